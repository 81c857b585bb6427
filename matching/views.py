from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import profile_of
from programs.models import Participant

from . import selectors, services
from .access import get_mentor_for_user, mentor_database_view
from .forms import MentorFilterForm, MentorProfileForm

PAGE_SIZE = 25


def _add_errors(form, error: ValidationError) -> None:
    """A service's validation errors, next to the form's fields where it has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.error_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
def my_mentor_profile(request):
    """Create or edit the member's entry in the mentor database."""
    mentor_profile = selectors.mentor_profile_of(request.user)
    form = MentorProfileForm(request.POST or None, instance=mentor_profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_profile_save(user=request.user, data=form.mentor_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if mentor_profile is None:
                messages.success(
                    request,
                    _(
                        "Thank you for stepping up as a mentor. Coordinators can now find you "
                        "in the mentor database."
                    ),
                )
            else:
                messages.success(request, _("Your mentor profile has been saved."))
            return redirect("matching:my_mentor_profile")
    roles = set(request.user.participations.values_list("role", flat=True))
    return render(
        request,
        "matching/my_mentor_profile.html",
        {
            "form": form,
            # After an error the form's instance holds the unsaved answers: the page shows
            # only its dates, which are as saved.
            "mentor_profile": mentor_profile,
            "profile": profile_of(request.user),
            "has_mentored": Participant.Role.MENTOR in roles,
            "was_mentee": Participant.Role.MENTEE in roles,
        },
    )


@require_POST
@login_required
def confirm_mentor_profile(request):
    """The yearly refresh: the member says their mentor profile is still up to date."""
    try:
        services.mentor_profile_confirm(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your mentor profile is marked as up to date."))
    return redirect("matching:my_mentor_profile")


@mentor_database_view
def mentor_database(request):
    """Coordinators: every mentor and past mentor, searchable and filterable."""
    form = MentorFilterForm(request.GET or None, regions=selectors.mentor_regions())
    filters = form.filters()
    page = Paginator(selectors.mentor_database(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "matching/mentor_database.html",
        {
            "form": form,
            "page": page,
            "filtered": filters["internal"] is not None
            or any(value for name, value in filters.items() if name != "internal"),
        },
    )


@login_required
def mentor_detail(request, user_id):
    mentor = get_mentor_for_user(request.user, user_id)
    return render(
        request,
        "matching/mentor_detail.html",
        {"mentor": mentor, "mentor_profile": getattr(mentor, "mentor_profile", None)},
    )
