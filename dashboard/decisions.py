"""Deciding applications: intake's decisions, then the invitations a new participant missed.

These two pages were intake's; they live here because accepting someone now also invites
them to the program's coming orientation and group sessions (sessions), which intake sits
below. Their URLs keep their names (`intake:decide`, `intake:decide_many`, joined in
mentorship/urls.py).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.flash import show_refusal
from intake import selectors as intake_selectors
from intake import services as intake_services
from intake.forms import BulkDecisionForm, DecisionForm
from intake.models import Application
from intake.views import bulk_message, waiting_list_url
from programs.access import Need, program_view

from . import services


@require_POST
@program_view(Need.MANAGE)
def decide(request, program, role, pk):
    application = get_object_or_404(intake_selectors.applications_for_review(program), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = services.application_decide(
                application=application,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            # Shown with the form, so the note the coordinator typed is not lost.
            show_refusal(request, error, form=form)
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s. They have been told by e-mail.")
                % {"name": decided.applicant.name, "status": decided.get_status_display()},
            )
            # The next waiting application, so deciding a queue is one page after another.
            following = intake_selectors.next_waiting(program, decided)
            if following is not None:
                return redirect("intake:review_detail", program.slug, following.pk)
            return redirect(waiting_list_url(program))
    return render(
        request,
        "intake/review_detail.html",
        {"program": program, "application": application, "form": form, "can_decide": True},
        status=400,
    )


@require_POST
@program_view(Need.MANAGE)
def decide_many(request, program, role):
    """The action bar's POST shows the confirmation; its Confirm button decides them all."""
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(waiting_list_url(program))
    ids, decision = form.cleaned_data["ids"], form.cleaned_data["decision"]
    if not form.cleaned_data["confirmed"]:
        chosen = list(
            intake_selectors.applications_for_review(program)
            .filter(pk__in=ids)
            .order_by("applicant__name", "pk")
        )
        waiting = [a for a in chosen if a.status == Application.Status.SUBMITTED]
        return render(
            request,
            "intake/decide_many_confirm.html",
            {
                "program": program,
                "decision": decision,
                "waiting": waiting,
                "not_waiting": [a for a in chosen if a.status != Application.Status.SUBMITTED],
                "unknown": len(ids) - len(chosen),
                "can_decide": program.status in intake_services.DECIDING_STATUSES,
            },
        )
    try:
        result = services.applications_decide_many(
            program=program, ids=ids, decision=decision, by=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
        return redirect(waiting_list_url(program))
    messages.add_message(
        request,
        messages.SUCCESS if result.decided else messages.INFO,
        bulk_message(result),
    )
    return redirect(waiting_list_url(program))
