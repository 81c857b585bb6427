from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.flash import error_message
from programs.access import Need, program_view

from . import selectors, services
from .kinds import KINDS

PAGE_SIZE = 50


@program_view(Need.MANAGE)
def log(request, program, role):
    participant = None
    if request.GET.get("participant", "").isdigit():
        participant = get_object_or_404(program.participants, pk=request.GET["participant"])
    page = Paginator(selectors.reminder_log(program, participant=participant), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reminders/log.html",
        {
            "program": program,
            "page": page,
            "participant": participant,
            "labels": {key: kind.label for key, kind in KINDS.items()},
        },
    )


@require_POST
@program_view(Need.MANAGE)
def send_survey_reminder(request, program, role, participant_id):
    participant = get_object_or_404(program.participants.select_related("user"), pk=participant_id)
    try:
        services.reminder_send_by_hand(
            program=program,
            recipient=participant.user,
            kind="survey_due",
            subject_key=f"survey:{participant.pk}",
            by=request.user,
        )
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(
            request, _("A reminder was sent to %(name)s.") % {"name": participant.user.name}
        )
    return redirect("surveys:completion", program.slug)
