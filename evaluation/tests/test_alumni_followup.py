"""Alumni follow-up (issue 20, item 4): former participants are asked 12 and 24 months after
their program closes whether their union roles changed, once each time, and answer with one
click ("no change") or by adding the role on their roles page."""

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from evaluation import selectors, services
from evaluation.models import AlumniFollowUp, LaterRole
from matching.models import Match
from members.services import account_delete
from mentorship.celery import app
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory
from reminders import tasks
from sessions.models import add_months

pytestmark = pytest.mark.django_db

ENDS = datetime.date(2025, 11, 30)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def close(program: Program, ends_on: datetime.date = ENDS) -> Program:
    program.status = Program.Status.CLOSED
    program.starts_on = datetime.date(ends_on.year - 1, 1, 15)
    program.ends_on = ends_on
    program.save()
    return program


def pair(program, mentee, mentor, reason=Match.EndReason.COMPLETED) -> Match:
    return Match.objects.create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        status=Match.Status.ENDED,
        started_at=at(ENDS - datetime.timedelta(days=300)),
        ended_at=at(ENDS),
        end_reason=reason,
    )


@pytest.fixture
def alumni(cast) -> Program:
    """The cast's program, closed on ENDS; its mentee and mentor completed their match."""
    close(cast.program)
    pair(cast.program, cast.mentee_participant, cast.mentor_participant)
    return cast.program


def asked() -> list[tuple[str, int]]:
    return sorted(
        AlumniFollowUp.objects.values_list("participant__user__email", "round"),
    )


def scan(day: datetime.date) -> int:
    return tasks.alumni_followups_scan(now=at(day))


# --- Who is asked, and when -------------------------------------------------------------------


def test_the_12_month_round_starts_on_the_day_and_not_before(cast, alumni):
    twelve = add_months(ENDS, 12)
    assert scan(twelve - datetime.timedelta(days=1)) == 0
    assert asked() == []
    assert scan(twelve) == 2
    assert asked() == [(cast.mentee.email, 12), (cast.mentor.email, 12)]


def test_the_24_month_round_starts_on_its_day_and_the_12_month_one_is_not_sent_again(cast, alumni):
    scan(add_months(ENDS, 12))
    twenty_four = add_months(ENDS, 24)
    assert scan(twenty_four - datetime.timedelta(days=1)) == 0  # still the 12-month round
    assert scan(twenty_four) == 2
    assert asked() == [
        (cast.mentee.email, 12),
        (cast.mentee.email, 24),
        (cast.mentor.email, 12),
        (cast.mentor.email, 24),
    ]


def test_a_missed_round_is_caught_up_within_its_year_and_never_after(cast, alumni):
    # The scheduler was down for eleven months: the 12-month round still goes.
    assert scan(add_months(ENDS, 23)) == 2
    # Then down for three years: the 24-month round is over at 36 months.
    assert scan(add_months(ENDS, 36)) == 0
    assert {months for _email, months in asked()} == {12}


def test_a_program_first_scanned_after_two_years_gets_only_the_24_month_round(cast, alumni):
    assert scan(add_months(ENDS, 25)) == 2
    assert {months for _email, months in asked()} == {24}


def test_month_ends_clamp(cast):
    """Ended on 29 February: the round starts on 28 February a year later."""
    close(cast.program, datetime.date(2024, 2, 29))
    pair(cast.program, cast.mentee_participant, cast.mentor_participant)
    assert scan(datetime.date(2025, 2, 27)) == 0
    assert scan(datetime.date(2025, 2, 28)) == 2


def test_only_closed_programs_with_an_end_date(cast):
    pair(cast.program, cast.mentee_participant, cast.mentor_participant)
    cast.program.ends_on = ENDS
    cast.program.status = Program.Status.CLOSING  # not closed yet
    cast.program.save()
    assert scan(add_months(ENDS, 13)) == 0
    cast.program.status = Program.Status.CLOSED
    cast.program.ends_on = None
    cast.program.save()
    assert scan(add_months(ENDS, 13)) == 0


def test_running_twice_or_in_batches_asks_each_person_once(
    cast, alumni, mailoutbox, django_capture_on_commit_callbacks
):
    mentors = ParticipantFactory.create_batch(2, program=alumni, role="mentor")
    for mentor in mentors:
        pair(alumni, ParticipantFactory(program=alumni, role="mentee"), mentor)
    day = add_months(ENDS, 12)
    with django_capture_on_commit_callbacks(execute=True):
        # Two to a transaction: the first call asks two of the six, the scan the rest.
        assert services.alumni_followups_send(now=at(day), batch=2) == 2
        assert scan(day) == 4
        assert scan(day) == 0
        assert scan(day + datetime.timedelta(days=1)) == 0
    assert AlumniFollowUp.objects.count() == 6
    assert OutboxMessage.objects.count() == 6
    recipients = [message.to[0] for message in mailoutbox]
    assert sorted(recipients) == sorted(
        Participant.objects.filter(program=alumni).values_list("user__email", flat=True)
    )


def test_the_database_refuses_a_second_row_for_a_round(cast, alumni):
    scan(add_months(ENDS, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        AlumniFollowUp.objects.create(
            participant=cast.mentee_participant, round=12, sent_at=timezone.now()
        )


def test_erased_left_unmatched_and_opted_out_members_are_not_asked(cast, alumni):
    program = alumni
    erased = ParticipantFactory(program=program, role="mentee")
    pair(program, erased, cast.mentor_participant)
    account_delete(user=erased.user)
    left = ParticipantFactory(program=program, role="mentee")
    pair(program, left, ParticipantFactory(program=program, role="mentor"), "left_program")
    ParticipantFactory(program=program, role="mentee")  # accepted, never matched
    proposed = ParticipantFactory(program=program, role="mentee")
    Match.objects.create(
        program=program, mentee=proposed, mentor=cast.mentor_participant, status="proposed"
    )
    quiet = ParticipantFactory(program=program, role="mentee", user__optional_reminders=False)
    pair(program, quiet, cast.mentor_participant)
    # An account disabled by an administrator, its e-mail preferences untouched.
    disabled = ParticipantFactory(program=program, role="mentee", user__is_active=False)
    pair(program, disabled, cast.mentor_participant)
    assert scan(add_months(ENDS, 12)) == 2
    assert asked() == [(cast.mentee.email, 12), (cast.mentor.email, 12)]


def test_one_match_left_does_not_hide_one_that_was_completed(cast, alumni):
    """A mentor whose other mentee left the program still took part."""
    left = ParticipantFactory(program=alumni, role="mentee")
    pair(alumni, left, cast.mentor_participant, "left_program")
    scan(add_months(ENDS, 12))
    assert (cast.mentor.email, 12) in asked()
    assert (left.user.email, 12) not in asked()


# --- The e-mail -------------------------------------------------------------------------------


def test_each_member_is_e_mailed_in_their_language_with_the_roles_page(
    cast, alumni, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentee.language = "fr"
    cast.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        scan(add_months(ENDS, 12))
    by_to = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_to) == sorted([cast.mentee.email, cast.mentor.email])
    url = settings.SITE_URL + reverse("evaluation:my_roles", args=[alumni.slug])
    english, french = by_to[cast.mentor.email], by_to[cast.mentee.email]
    assert f"{alumni.name}: has your union role changed?" in english.subject
    assert f"It has been a year since {alumni.name} ended." in english.body
    assert "tell us with one button that nothing has changed" in english.body
    assert "We will ask once more, two years after the program." in english.body
    assert url in english.body
    assert url in english.alternatives[0].content
    # A subject is one line: its no-break spaces are plain spaces (core.mail.one_line).
    assert f"{alumni.name}\xa0: votre rôle syndical a-t-il changé\xa0?" in french.subject
    assert f"Cela fait un an que le programme {alumni.name} a pris fin." in french.body
    assert "Nous vous le demanderons une dernière fois" in french.body
    assert url in french.body
    assert "has your union role changed" not in french.subject


def test_the_24_month_e_mail_says_it_is_the_last(
    cast, alumni, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentee.language = "fr"
    cast.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        scan(add_months(ENDS, 24))
    by_to = {message.to[0]: message for message in mailoutbox}
    assert f"It has been two years since {alumni.name} ended." in by_to[cast.mentor.email].body
    assert "This is the last time we ask." in by_to[cast.mentor.email].body
    french = by_to[cast.mentee.email].body
    assert f"Cela fait deux ans que le programme {alumni.name} a pris fin." in french
    assert "C’est la dernière fois que nous vous le demandons." in french


def test_the_task_is_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reminders.alumni_followups" in tasks_scheduled
    assert tasks.send_alumni_followups.name == "reminders.alumni_followups"
    assert "reminders.alumni_followups" in app.tasks


def test_the_beat_task_asks_who_is_due_today_once(cast):
    close(cast.program, add_months(timezone.localdate(), -12))
    pair(cast.program, cast.mentee_participant, cast.mentor_participant)
    assert tasks.send_alumni_followups.apply().get() == 2
    assert tasks.send_alumni_followups.apply().get() == 0


# --- Answering --------------------------------------------------------------------------------


def roles_url(program) -> str:
    return reverse("evaluation:my_roles", args=[program.slug])


def no_change_url(program) -> str:
    return reverse("evaluation:roles_no_change", args=[program.slug])


@pytest.fixture
def followed_up(cast, alumni) -> Program:
    """Asked three days ago: the 12-month round."""
    for participant in (cast.mentee_participant, cast.mentor_participant):
        AlumniFollowUp.objects.create(
            participant=participant, round=12, sent_at=timezone.now() - datetime.timedelta(days=3)
        )
    return alumni


def mine(cast) -> AlumniFollowUp:
    return AlumniFollowUp.objects.get(participant=cast.mentee_participant)


def test_the_roles_page_asks_and_get_writes_nothing(cast, client_as, followed_up):
    client = client_as("mentee")
    page = client.get(roles_url(followed_up))
    assert page.status_code == 200
    content = page.content.decode()
    assert "A year on: has your union role changed?" in content
    assert f'action="{no_change_url(followed_up)}"' in content
    # Neither the page nor a GET of the button's address answers anything.
    assert client.get(no_change_url(followed_up)).status_code == 405
    followup = mine(cast)
    assert (followup.answer, followup.answered_at) == ("", None)


def test_no_change_is_one_click_and_recorded_once(cast, client_as, followed_up):
    client = client_as("mentee")
    response = client.post(no_change_url(followed_up), follow=True)
    assert response.redirect_chain[-1][0] == roles_url(followed_up)
    assert "Thank you: your answer “no change” is recorded." in response.content.decode()
    followup = mine(cast)
    assert followup.answer == "no_change"
    answered_at = followup.answered_at
    assert answered_at is not None
    assert "that nothing has changed" in response.content.decode()
    again = client.post(no_change_url(followed_up), follow=True)
    assert "You have already answered this follow-up." in again.content.decode()
    assert mine(cast).answered_at == answered_at
    # The partner's follow-up is theirs to answer.
    assert AlumniFollowUp.objects.get(participant=cast.mentor_participant).answer == ""


def test_adding_a_role_answers_with_it_and_no_change_does_not_undo_it(cast, client_as, followed_up):
    client = client_as("mentee")
    client.post(no_change_url(followed_up))
    client.post(
        roles_url(followed_up),
        {"role-kind": "steward", "role-started_on": "2026-10-01", "role-title": "Unit 4"},
    )
    followup = mine(cast)
    assert followup.answer == "new_role"
    assert list(followup.roles.values_list("kind", flat=True)) == ["steward"]
    client.post(no_change_url(followed_up))
    assert mine(cast).answer == "new_role"
    assert (
        "your new role is recorded as your answer"
        in client.get(roles_url(followed_up)).content.decode()
    )


def test_a_role_a_coordinator_enters_is_not_the_members_answer(cast, client_as, followed_up):
    client_as("coordinator").post(
        reverse(
            "evaluation:participant_outcomes",
            args=[followed_up.slug, cast.mentee_participant.pk],
        ),
        {"action": "role", "role-kind": "officer", "role-started_on": "2026-10-01"},
    )
    role = LaterRole.objects.get(participant=cast.mentee_participant)
    assert role.followup is None
    assert mine(cast).answer == ""


def test_without_a_follow_up_nothing_is_asked_and_no_change_is_refused(cast, client_as, alumni):
    client = client_as("mentee")
    assert "has your union role changed" not in client.get(roles_url(alumni)).content.decode()
    response = client.post(no_change_url(alumni), follow=True)
    assert "There is no follow-up question to answer now." in response.content.decode()
    client.post(roles_url(alumni), {"role-kind": "steward", "role-started_on": "2026-10-01"})
    assert LaterRole.objects.get().followup is None
    assert not AlumniFollowUp.objects.exists()


def test_a_follow_up_takes_answers_for_a_year(cast, client_as, followed_up):
    AlumniFollowUp.objects.update(sent_at=timezone.now() - datetime.timedelta(days=366))
    client = client_as("mentee")
    assert "has your union role changed" not in client.get(roles_url(followed_up)).content.decode()
    client.post(no_change_url(followed_up))
    assert mine(cast).answer == ""


def test_the_latest_round_is_the_one_answered(cast, client_as, followed_up):
    AlumniFollowUp.objects.create(
        participant=cast.mentee_participant, round=24, sent_at=timezone.now()
    )
    client = client_as("mentee")
    assert (
        "Two years on: has your union role changed?"
        in client.get(roles_url(followed_up)).content.decode()
    )
    client.post(no_change_url(followed_up))
    answers = dict(
        AlumniFollowUp.objects.filter(participant=cast.mentee_participant).values_list(
            "round", "answer"
        )
    )
    assert answers == {12: "", 24: "no_change"}


def test_coordinators_and_others_cannot_answer(cast, client_as, followed_up):
    assert client_as("coordinator").post(no_change_url(followed_up)).status_code == 403
    assert client_as("member").post(no_change_url(followed_up)).status_code == 404
    assert client_as("other_coordinator").post(no_change_url(followed_up)).status_code == 404
    assert client_as("anonymous").post(no_change_url(followed_up)).status_code == 302
    assert not AlumniFollowUp.objects.exclude(answer="").exists()


# --- What coordinators see --------------------------------------------------------------------


def answered_cohort(program, answers, months=12) -> None:
    """One mentee per answer: "" (none), "no_change", or the kind of the new role reported."""
    now = timezone.now()
    for answer in answers:
        participant = ParticipantFactory(program=program, role="mentee")
        followup = AlumniFollowUp.objects.create(
            participant=participant,
            round=months,
            sent_at=now,
            answer={"": "", "no_change": "no_change"}.get(answer, "new_role"),
            answered_at=now if answer else None,
        )
        if answer not in ("", "no_change"):
            LaterRole.objects.create(
                participant=participant,
                kind=answer,
                started_on=datetime.date(2026, 9, 1),
                followup=followup,
            )


def test_the_summary_counts_each_round_and_hides_small_numbers(cast, alumni):
    answered_cohort(alumni, [""] * 5 + ["no_change"] * 6 + ["steward"] * 5 + ["committee"] * 2)
    answered_cohort(alumni, ["no_change"] * 2, months=24)
    summary = selectors.followup_summary(alumni)
    assert summary.rounds == ["12 months after the program", "24 months after the program"]
    assert summary.asked == [18, 2]
    shown = {row.label: [str(cell) for cell in row.cells] for row in summary.rows}
    assert shown["Answered"] == ["13", "fewer than 5"]
    assert shown["No change"] == ["6", "fewer than 5"]
    assert shown["Reported a new role"] == ["7", "fewer than 5"]
    assert shown["New role: Steward"] == ["5", "fewer than 5"]
    assert shown["New role: Committee member"] == ["fewer than 5", "fewer than 5"]
    assert shown["New role: Union staff"] == ["fewer than 5", "fewer than 5"]


def test_outcomes_report_and_csv_show_the_same_answers(cast, client_as, alumni):
    answered_cohort(alumni, [""] * 5 + ["no_change"] * 6 + ["steward"] * 5)
    client = client_as("coordinator")
    for name in ("outcomes", "report"):
        page = client.get(reverse(f"evaluation:{name}", args=[alumni.slug])).content.decode()
        assert "Answers to the alumni follow-up" in page
        assert "12 months after the program" in page
        assert "Reported a new role" in page
    csv = client.get(reverse("evaluation:report_csv", args=[alumni.slug])).content.decode()
    assert "Alumni follow-up,Asked,12 months after the program,16" in csv
    assert "Alumni follow-up,Reported a new role,12 months after the program,5" in csv
    assert "Alumni follow-up,New role: Officer,12 months after the program,fewer than 5" in csv


def test_before_anyone_is_asked_the_pages_say_so(cast, client_as, alumni):
    page = client_as("coordinator").get(reverse("evaluation:outcomes", args=[alumni.slug]))
    assert "Nobody has been asked yet." in page.content.decode()
    assert selectors.followup_summary(alumni).rounds == []


def test_outcomes_and_report_cost_the_same_with_more_follow_ups(cast, client_as, alumni):
    """Two queries for the follow-up (pinned in test_views), however many answered."""
    client = client_as("coordinator")

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"evaluation:{name}", args=[alumni.slug])).status_code == 200
        return len(captured)

    answered_cohort(alumni, ["", "no_change", "steward"])
    counts = {name: queries(name) for name in ("outcomes", "report")}
    answered_cohort(alumni, ["", "no_change", "steward", "committee", "officer"] * 4, months=24)
    assert {name: queries(name) for name in ("outcomes", "report")} == counts


def test_the_members_download_holds_their_follow_ups(cast, client_as, followed_up):
    client = client_as("mentee")
    client.post(roles_url(followed_up), {"role-kind": "steward", "role-started_on": "2026-10-01"})
    from members.export import REGISTRY, Member, export_rows

    member = Member(cast.mentee)
    by_section = {entry.section: export_rows(entry, member) for entry in REGISTRY}
    (followup,) = by_section["alumni_followups"]
    assert followup["round"] == 12 and followup["answer"] == "new_role"
    (role,) = by_section["later_roles"]
    assert role["followup"] == 12


def test_the_admin_lists_follow_ups_but_cannot_write_them(cast, client, followed_up):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    changelist = client.get(reverse("admin:evaluation_alumnifollowup_changelist"))
    assert changelist.status_code == 200
    assert cast.mentee.name in changelist.content.decode()
    assert client.get(reverse("admin:evaluation_alumnifollowup_add")).status_code == 403
    pk = mine(cast).pk
    client.post(
        reverse("admin:evaluation_alumnifollowup_change", args=[pk]),
        {"answer": "no_change", "round": "12"},
    )
    assert mine(cast).answer == ""


def test_my_forms_shows_the_question_until_it_is_answered(cast, client_as, followed_up):
    client = client_as("mentee")
    forms = reverse("accounts:forms")
    assert "Asked: has anything changed?" in client.get(forms).content.decode()
    (item,) = [i for i in selectors.forms_due(cast.mentee_participant) if "union roles" in i.label]
    assert (item.status, item.badge) == ("Asked: has anything changed?", "warning")
    client.post(no_change_url(followed_up))
    assert "Asked: has anything changed?" not in client.get(forms).content.decode()
    (item,) = [i for i in selectors.forms_due(cast.mentee_participant) if "union roles" in i.label]
    assert (item.status, item.badge) == ("Optional", "secondary")
    # The next round asks again.
    AlumniFollowUp.objects.create(
        participant=cast.mentee_participant, round=24, sent_at=timezone.now()
    )
    assert "Asked: has anything changed?" in client.get(forms).content.decode()


def test_the_e_mailed_link_leads_through_log_in_back_to_the_question(cast, client, followed_up):
    response = client.get(roles_url(followed_up))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={roles_url(followed_up)}"
    client.force_login(cast.mentee)
    assert (
        "A year on: has your union role changed?"
        in client.get(roles_url(followed_up)).content.decode()
    )
