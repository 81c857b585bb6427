"""A member's pages that combine several apps: home, forms, data export and page, erasure,
account deletion, and the program page (public, plus each insider's part of it).

URL names and paths stay as they were: mentorship/urls.py joins these patterns to the
`accounts` and `programs` namespaces (members/urls.py).
"""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from evaluation.selectors import with_forms_due
from intake import selectors as intake_selectors
from matching.selectors import active_matches_of
from programs import selectors as program_selectors
from programs.access import Role, get_public_program
from sessions.access import get_pair_for_user, side_of
from sessions.models import Side
from sessions.selectors import due_fit_check_for
from sessions.views import change_action_status
from surveys.selectors import partners_of

from . import selectors, services
from .forms import AccountDeleteForm
from .next_step import next_meeting, next_steps


def site_home(request):
    """The site's front page; a member who is signed in goes to their own home."""
    if request.user.is_authenticated:
        # A coordinator's home is their dashboard; everyone else's, their programs.
        if request.user.coordinated_programs.exists():
            return redirect("dashboard:home")
        return redirect("accounts:home")
    return render(request, "home.html", {"open_programs": program_selectors.open_programs()})


@login_required
def home(request):
    """The member's home: their next step first, then their next meeting and open actions,
    then the programs they take part in or coordinate."""
    state = selectors.member_state(request.user)
    steps = next_steps(request.user, state)
    today = timezone.localdate(state.now)
    fit_checks_due = [
        due
        for match in state.matches
        if (due := due_fit_check_for(match, side_of(request.user, match), today)) is not None
    ]
    open_actions = selectors.open_actions_of(state)
    for action in open_actions:
        match = action.match
        mentee = match.mentee.user_id == request.user.pk
        if (action.owner == Side.MENTEE) == mentee:
            action.owner_name = _("You")
        else:
            action.owner_name = (match.mentor if mentee else match.mentee).user.name
    return render(
        request,
        "accounts/home.html",
        {
            "next_step": steps[0] if steps else None,
            "other_steps": steps[1:],
            "next_meeting": next_meeting(state),
            "fit_checks_due": fit_checks_due,
            "open_actions": open_actions,
            "participations": state.participations,
            "coordinated": program_selectors.programs_coordinated_by(request.user),
            "invitations": program_selectors.pending_invitations_for(request.user),
            "applications": state.applications,
            "open_programs": program_selectors.open_programs(),
            "nominations": intake_selectors.nominations_by(request.user),
        },
    )


@require_POST
@login_required
def action_status(request, action_id):
    """Done or dropped, from the home page: the pair's own rules, then back home."""
    action = selectors.action_of_member(request.user, action_id)
    if action is None:
        raise Http404
    # The pair's access helper decides, as on the pair's pages (a coordinator 403s).
    get_pair_for_user(request.user, action.match.program.slug, action.match_id, write=True)
    change_action_status(request, action)
    return redirect("accounts:home")


@login_required
def forms(request):
    """The forms the member has to fill in, program by program."""
    participations = with_forms_due(
        program_selectors.participations_of(request.user).select_related("survey")
    )
    return render(request, "accounts/forms.html", {"participations": participations})


@login_required
def download(request, fmt):
    """The member's own data, as JSON or as a spreadsheet (CSV)."""
    filename = f"my-mentorship-data.{fmt}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(selectors.member_data(request.user), indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
    elif fmt == "csv":
        response = csv_response(
            filename, ["section", "field", "value"], selectors.member_data_rows(request.user)
        )
    else:
        raise Http404
    return response  # never cached: mentorship/middleware.py


@login_required
def my_data(request):
    """Everything kept about the member, as a page to read (the download's contents)."""
    return render(
        request, "accounts/my_data.html", {"sections": selectors.member_data_page(request.user)}
    )


@login_required
@reauthentication_required
def account_delete(request):
    """Delete my account: after re-entering the password, tick to confirm, then POST."""
    refusal = selectors.account_delete_refusal(request.user)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form, "refusal": refusal})


@login_required
def profile_delete(request):
    """GET asks for confirmation; POST erases the profile data."""
    if request.method == "POST":
        services.profile_erase(user=request.user)
        messages.success(request, _("Your profile data has been deleted."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_delete.html")


def program_detail(request, slug):
    """The program page: public once past draft; insiders see their part of it too."""
    program, role = get_public_program(request.user, slug)
    insider = role is not Role.OUTSIDER
    my_applications = list(intake_selectors.applications_of(request.user, program))
    applied = {application.role for application in my_applications}
    context = {
        "program": program,
        "role": role,
        "insider": insider,
        "is_coordinator": role is Role.COORDINATOR,
        "phases": program.phases.all(),
        "accepts_applications": program.accepts_applications(),
        "my_applications": my_applications,
        # Apply buttons only for a role the member has not applied in, and only to
        # someone with no part in the program yet.
        "can_apply_as": [] if insider else [r for r in ("mentee", "mentor") if r not in applied],
        "my_step": None,
    }
    state = None
    if request.user.is_authenticated and role is not Role.COORDINATOR:
        state = selectors.member_state(request.user, program)
        steps = next_steps(request.user, state)
        context["my_step"] = steps[0] if steps else None
    if insider:
        context["coordinators"] = program.coordinators.order_by("name")
        context["counts"] = program_selectors.role_counts(program)
    if role is Role.COORDINATOR:
        context["success_measures"] = program.success_measures.all()
    elif insider:
        # The member's participation was read with their state above.
        (me,) = state.participations
        context["partners"] = partners_of(me).select_related("user")
        context["active_matches"] = active_matches_of(request.user, program)
    return render(request, "programs/detail.html", context)
