from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.concurrency import EditConflict, resolve

from . import selectors, services
from .forms import LanguageForm, ProfileForm
from .mfa import NEXT_SESSION_KEY, has_authenticator


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


@login_required
def profile(request):
    """The member's own profile: contact details, background, optional demographics."""
    current = selectors.profile_of(request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        instance=current,
        loaded_from=selectors.profile_values(current),
    )
    clash = None
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=request.user, data=form.cleaned_data, loaded=form.loaded())
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile": current,
            "views": selectors.views_of_my_data(request.user),
            "account_url": reverse("account_email"),
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@require_POST
@login_required
def reminders(request):
    """Turn optional reminders on or off (decisions and matches are always sent)."""
    wanted = request.POST.get("optional_reminders") == "on"
    services.user_set_reminders(user=request.user, enabled=wanted)
    if wanted:
        messages.success(request, _("Reminders are on."))
    else:
        messages.success(request, _("Reminders are off. Decisions and matches are still sent."))
    return redirect("accounts:profile")


def _next_param(request) -> str:
    """The `next` the member was sent here with, if it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_required(request):
    """Why coordinators need an authenticator app; POST starts allauth's set-up."""
    next_url = _next_param(request)
    if request.method == "POST":
        # allauth's set-up ends on the recovery codes, which offer the way back from here.
        request.session[NEXT_SESSION_KEY] = next_url
        messages.info(
            request,
            _(
                "Confirm your password if asked, then scan the code with your authenticator "
                "app and type the six digits it shows. Your recovery codes come next."
            ),
        )
        return redirect("mfa_activate_totp")
    if has_authenticator(request.user):
        return redirect(next_url)
    return render(request, "accounts/mfa_required.html", {"next": next_url})
