from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.flash import show_refusal
from programs.access import Need, program_view

from . import selectors, services
from .forms import ReminderSettingsForm
from .kinds import KINDS
from .models import LIMITS

PAGE_SIZE = 50
DEFAULTS = {name: default for name, (default, _low, _high) in LIMITS.items()}


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
            "undelivered": selectors.undelivered(program),
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
        show_refusal(request, error)
    else:
        messages.success(
            request, _("A reminder was sent to %(name)s.") % {"name": participant.user.name}
        )
    return redirect("surveys:completion", program.slug)


@require_POST
@program_view(Need.MANAGE)
def retry_delivery(request, program, role, reminder_id):
    reminder = get_object_or_404(
        program.reminders.select_related("recipient"), pk=reminder_id, message__isnull=False
    )
    try:
        services.reminder_retry_delivery(reminder=reminder, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The e-mail to %(name)s will be sent again now.") % {"name": reminder.recipient.name},
        )
    return redirect("reminders:log", program.slug)


@program_view(Need.MANAGE)
def reminder_settings(request, program, role):
    if request.method == "POST" and "defaults" in request.POST:
        services.reminder_settings_save(program=program, data=DEFAULTS, by=request.user)
        messages.success(request, _("The reminder settings are back to the defaults."))
        return redirect("reminders:settings", program.slug)
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, instance=selectors.settings_of(program)
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_save(program=program, data=form.settings_data(), by=request.user)
        messages.success(request, _("The reminder settings are saved. The next scan uses them."))
        return redirect("reminders:log", program.slug)
    return render(
        request,
        "reminders/settings.html",
        {"program": program, "form": form, "defaults": DEFAULTS},
    )
