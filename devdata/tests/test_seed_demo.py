import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from devdata import demo, people
from intake.models import Application
from programs.models import Participant, Program
from programs.selectors import pending_invitations_for

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row of every model of ours and allauth's e-mail addresses, as values."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "accounts",
            "programs",
            "intake",
            "surveys",
            "matching",
            "mentoring_sessions",
            "evaluation",
        }
    ] + [EmailAddress]
    return {m._meta.label: sorted(map(repr, m.objects.values_list())) for m in models}


def test_seed_demo_is_idempotent():
    call_command("seed_demo", allow_production=True)
    first = snapshot()
    call_command("seed_demo", allow_production=True)
    assert snapshot() == first


def test_seed_demo_has_every_demo_login_with_a_verified_address():
    call_command("seed_demo", allow_production=True)
    for login in demo.LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(people.DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.coordinated_programs.exists()
    for role in ("mentor", "mentee"):
        user = User.objects.get(email=f"{role}@example.org")
        assert Participant.objects.get(user=user, program__slug="2026-mentorship").role == role
    member = User.objects.get(email="member@example.org")
    assert not member.participations.exists() and not member.coordinated_programs.exists()
    # Invited to co-coordinate the circle, not made a coordinator without saying yes.
    (invitation,) = pending_invitations_for(member)
    assert invitation.program.slug == "2026-stewards-circle"
    waiting = Program.objects.get(slug="2027-mentorship").coordinator_invitations.get()
    assert (waiting.email, waiting.status) == ("tom.nguyen@example.org", "pending")
    assert set(Program.objects.values_list("status", flat=True)) >= {"running", "open"}


def test_seed_demo_has_an_open_program_with_applications_in_every_state():
    call_command("seed_demo", allow_production=True)
    program = Program.objects.get(slug="2027-mentorship")
    assert program.accepts_applications()
    statuses = set(program.applications.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    assert program.applications.count() >= 20
    assert program.phases.filter(lost_time=True).exists()
    assert program.success_measures.count() == 3
    accepted = program.applications.filter(status="accepted")
    assert program.participants.count() == accepted.count()
    assert program.nominations.filter(nominee_email="member@example.org").exists()


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo accounts"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_has_surveys_in_every_state_and_the_demo_pair_matched():
    call_command("seed_demo", allow_production=True)
    from matching.models import Match
    from surveys.models import Survey

    running = Program.objects.get(slug="2026-mentorship")
    surveys = Survey.objects.filter(participant__program=running)
    assert set(surveys.values_list("status", flat=True)) == {"draft", "submitted"}
    assert surveys.filter(reopened_at__isnull=False).exists()
    assert running.participants.filter(survey__isnull=True).exists()  # not started
    assert Match.objects.filter(
        mentee__user__email="mentee@example.org",
        mentor__user__email="mentor@example.org",
        status="active",
    ).exists()


def test_seed_demo_has_a_reminder_whose_email_was_not_delivered():
    from reminders.models import Reminder

    call_command("seed_demo", allow_production=True)
    undelivered = Reminder.objects.filter(message__status="failed")
    assert undelivered.count() == 1
    assert undelivered.get().program.slug == "2026-mentorship"


def test_seed_demo_has_surveys_to_remind_and_some_already_reminded():
    from reminders import selectors

    call_command("seed_demo", allow_production=True)
    call_command("seed_demo", allow_production=True)
    running = Program.objects.get(slug="2026-mentorship")
    people = selectors.to_remind(running, "survey_due")
    reminded = [person for person in people if person.last_reminded]
    assert len(people) > len(reminded) == 2


def test_demo_has_a_program_whose_retention_preview_shows_something():
    from dashboard.retention import retention_preview
    from devdata.retention_demo import SLUG

    demo.seed()
    demo.seed()  # twice: idempotent
    program = Program.objects.get(slug=SLUG)
    preview = retention_preview(program)
    assert preview["closed"] and not preview["due"] and preview["date"] > timezone.localdate()
    counts = {str(label): n for label, n in preview["rows"]}
    assert counts["Application answers"] == 2
    assert counts["Demographics of members in no newer program"] == 1
