"""A URLconf for the activity log's tests: the real site plus coordinator pages planted
here, with no logging code of their own, to show that any new page is on record."""

from django.db import transaction
from django.shortcuts import redirect
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from programs.access import Need, program_view
from programs.models import Phase
from reminders.models import Reminder
from reminders.tasks import send_reminder

MARKER = "Planted-marker-7f3a"


@require_POST
@program_view(Need.MANAGE)
def add_phase(request, program, role):
    """A brand-new coordinator action: adds a phase, says nothing to the activity log."""
    Phase.objects.create(program=program, name=MARKER, description=MARKER)
    return redirect(program)


@require_POST
@program_view(Need.MANAGE)
def add_phase_with_secret(request, program, role, token):
    Phase.objects.create(program=program, name=MARKER)
    return redirect(program)


@require_POST
@program_view(Need.MANAGE)
def add_phase_then_fail(request, program, role):
    Phase.objects.create(program=program, name=MARKER)
    raise RuntimeError("the view fails after writing")


@require_POST
@program_view(Need.MANAGE)
def add_phase_and_undo(request, program, role):
    """Writes only inside a savepoint that is rolled back: nothing stands."""
    try:
        with transaction.atomic():
            Phase.objects.create(program=program, name=MARKER)
            raise ValueError("undo")
    except ValueError:
        pass
    return redirect(program)


@require_POST
@program_view(Need.MANAGE)
def remind_now(request, program, role):
    """Queues a Celery task, which runs inside the request when tasks are eager."""
    participant = program.participants.filter(role="mentee").first()
    reminder = Reminder.objects.create(
        kind="survey_due",
        recipient=participant.user,
        program=program,
        subject_key=f"survey:{participant.pk}",
        due_on=timezone.localdate(),
        sent_by=request.user,
    )
    send_reminder.delay(reminder.pk)
    return redirect(program)


urlpatterns = [
    path("planted/<slug:slug>/phase/", add_phase, name="planted_phase"),
    path("planted/<slug:slug>/secret/<str:token>/", add_phase_with_secret, name="planted_secret"),
    path("planted/<slug:slug>/fail/", add_phase_then_fail, name="planted_fail"),
    path("planted/<slug:slug>/undo/", add_phase_and_undo, name="planted_undo"),
    path("planted/<slug:slug>/remind/", remind_now, name="planted_remind"),
    path("", include("mentorship.urls")),
]
