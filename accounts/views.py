from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from intake import selectors as intake_selectors
from programs import selectors as program_selectors

from . import services
from .forms import LanguageForm


@login_required
def home(request):
    """The member's home: the programs they take part in or coordinate."""
    return render(
        request,
        "accounts/home.html",
        {
            "participations": program_selectors.participations_of(request.user),
            "coordinated": program_selectors.programs_coordinated_by(request.user),
            "applications": intake_selectors.applications_of(request.user).exclude(
                status="accepted"
            ),
            "open_programs": program_selectors.open_programs(),
            "nominations": intake_selectors.nominations_by(request.user),
        },
    )


@require_POST
def set_language(request):
    """Switch language for this browser, and for a member's account and e-mails."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
