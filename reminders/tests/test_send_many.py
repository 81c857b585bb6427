"""Reminding everyone at once, what comes next, and whether the scheduler runs."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.testing import assert_constant_queries
from matching.models import Match
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from reminders import selectors
from reminders.models import Reminder, SchedulerRun
from reminders.services import reminders_send_many
from reminders.tasks import scan_reminders
from sessions.tests.factories import MeetingFactory
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

SURVEY = "survey_due"


def send(cast, ids, kind=SURVEY):
    return reminders_send_many(
        program=cast.program, kind=kind, participant_ids=ids, by=cast.coordinator
    )


def to_of(kind=SURVEY):
    return sorted(
        OutboxMessage.objects.filter(
            pk__in=Reminder.objects.filter(kind=kind).values("message_id")
        ).values_list("to", flat=True)
    )


def both(cast):
    return [cast.mentee_participant.pk, cast.mentor_participant.pk]


# --- The service ---------------------------------------------------------------------------------


def test_everyone_gets_one_email_each_through_the_outbox(cast):
    result = send(cast, both(cast))
    assert sorted(result.sent) == ["Eddie Mentee", "Mona Mentor"]
    assert to_of() == ["eddie@example.org", "mona@example.org"]
    reminders = Reminder.objects.filter(kind=SURVEY)
    assert {r.sent_by for r in reminders} == {cast.coordinator}
    assert all(r.sent_at and r.program == cast.program for r in reminders)


def test_a_double_submission_sends_nothing_twice(cast):
    send(cast, both(cast))
    again = send(cast, both(cast))
    assert again.sent == []
    assert sorted(again.already_today) == ["Eddie Mentee", "Mona Mentor"]
    assert OutboxMessage.objects.count() == 2


def test_reminded_today_by_the_scan_is_not_reminded_again(cast):
    Reminder.objects.create(
        kind=SURVEY,
        recipient=cast.mentee,
        program=cast.program,
        subject_key=f"survey:{cast.mentee_participant.pk}",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        sent_at=timezone.now(),
    )
    result = send(cast, both(cast))
    assert (result.sent, result.already_today) == (["Mona Mentor"], ["Eddie Mentee"])


def test_reminded_yesterday_is_reminded_again_today(cast):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1)):
        send(cast, both(cast))
    assert send(cast, both(cast)).sent == ["Eddie Mentee", "Mona Mentor"]


def test_who_did_it_since_the_preview_is_skipped(cast):
    SurveyFactory(
        participant=cast.mentor_participant, status="submitted", submitted_at=timezone.now()
    )
    result = send(cast, both(cast))
    assert (result.sent, result.done) == (["Eddie Mentee"], ["Mona Mentor"])
    assert to_of() == ["eddie@example.org"]


def test_only_the_chosen_are_reminded(cast):
    assert send(cast, [cast.mentee_participant.pk]).sent == ["Eddie Mentee"]
    assert to_of() == ["eddie@example.org"]


def test_another_programs_people_refuse_the_whole_batch(cast):
    outsider = ParticipantFactory(program=cast.other_program)
    with pytest.raises(ValidationError, match="not in this program"):
        send(cast, [cast.mentee_participant.pk, outsider.pk])
    assert not Reminder.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(ValidationError):
        send(cast, both(cast), kind="coordinator_digest")


def test_the_fit_check_is_never_sent_by_a_coordinator(cast, cast_pair, client_as):
    """Its one automatic e-mail per side and stage is all a member gets: the question is
    private and optional, so no coordinator can nudge one member, or everyone, again."""
    from reminders.services import reminder_send_by_hand
    from sessions.tests.factories import SessionRecordFactory

    meeting = MeetingFactory(match=cast_pair, starts_at=timezone.now() - datetime.timedelta(days=2))
    SessionRecordFactory(meeting=meeting, status="recorded")  # the question is open
    with pytest.raises(ValidationError):
        send(cast, [cast_pair.mentee_id, cast_pair.mentor_id], kind="fit_check_due")
    with pytest.raises(ValidationError):
        reminder_send_by_hand(
            program=cast.program,
            recipient=cast.mentee,
            kind="fit_check_due",
            subject_key=f"fit_check:{cast_pair.pk}:mentee:first",
            by=cast.coordinator,
        )
    url = reverse("reminders:send_many", args=[cast.program.slug, "fit_check_due"])
    coordinator = client_as("coordinator")
    assert coordinator.get(url).status_code == 404
    assert coordinator.post(url, {"participants": [cast_pair.mentee_id]}).status_code == 404
    assert not Reminder.objects.exists()


def test_worksheets_remind_each_side_not_agreed_once_overdue(cast, cast_pair):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Match.objects.filter(pk=cast_pair.pk).update(started_at=long_ago)
    result = send(cast, both(cast), kind="worksheet_not_agreed")
    assert sorted(result.sent) == ["Eddie Mentee", "Mona Mentor"]
    keys = set(Reminder.objects.values_list("subject_key", flat=True))
    assert keys == {f"worksheet:{cast_pair.pk}:mentee", f"worksheet:{cast_pair.pk}:mentor"}


def test_a_fresh_pair_is_not_yet_reminded_of_its_worksheet(cast, cast_pair):
    result = send(cast, both(cast), kind="worksheet_not_agreed")
    assert result.sent == []
    assert sorted(result.done) == ["Eddie Mentee", "Mona Mentor"]


def test_records_remind_the_mentor_once_for_several_meetings(cast, cast_pair):
    for days in (3, 10):
        MeetingFactory(match=cast_pair, starts_at=timezone.now() - datetime.timedelta(days=days))
    people = selectors.to_remind(cast.program, "record_due")
    assert [(p.item.name, p.more) for p in people] == [("Mona Mentor", 1)]
    assert send(cast, both(cast), kind="record_due").sent == ["Mona Mentor"]
    assert to_of("record_due") == ["mona@example.org"]


# --- The preview and the send ----------------------------------------------------------------


def preview_url(cast, kind=SURVEY):
    return reverse("reminders:send_many", args=[cast.program.slug, kind])


def test_preview_lists_everyone_ticked_with_when_they_were_last_reminded(cast, client_as):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        send(cast, [cast.mentee_participant.pk])
    page = client_as("coordinator").get(preview_url(cast)).content.decode()
    assert "Eddie Mentee: Survey not started · reminded on" in page
    assert "Mona Mentor: Survey not started · not reminded yet" in page
    assert page.count("checked") == 2


def test_preview_leaves_those_reminded_today_unticked(cast, client_as):
    send(cast, [cast.mentee_participant.pk])
    response = client_as("coordinator").get(preview_url(cast))
    assert response.context["form"].initial["people"] == [cast.mentor_participant.pk]


def test_send_redirects_back_where_the_coordinator_came_from(cast, client_as):
    back = reverse("dashboard:list", args=["surveys_missing"]) + "?program=2026-mentorship"
    response = client_as("coordinator").post(
        preview_url(cast), {"people": both(cast), "next": back}, follow=True
    )
    assert response.redirect_chain[0][0] == back
    assert "Reminded 2 members." in response.content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_send_never_redirects_off_the_site(cast, client_as, next_url):
    response = client_as("coordinator").post(
        preview_url(cast), {"people": both(cast), "next": next_url}
    )
    assert response.url == reverse("surveys:completion", args=[cast.program.slug])


def test_a_foreign_id_posted_sends_nothing_and_says_so(cast, client_as):
    outsider = ParticipantFactory(program=cast.other_program)
    response = client_as("coordinator").post(
        preview_url(cast), {"people": [cast.mentee_participant.pk, outsider.pk]}, follow=True
    )
    assert "nothing was sent" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_nobody_ticked_is_an_error_on_the_page(cast, client_as):
    response = client_as("coordinator").post(preview_url(cast), {})
    assert response.status_code == 200
    assert "Choose at least one person to remind." in response.content.decode()
    assert not Reminder.objects.exists()


def test_an_unknown_kind_is_404(cast, client_as):
    assert client_as("coordinator").get(preview_url(cast, "coordinator_digest")).status_code == 404


def test_the_post_is_for_coordinators_of_the_program_only(cast, client_as):
    for role, status in (("other_coordinator", 404), ("member", 404), ("mentee", 403)):
        response = client_as(role).post(preview_url(cast), {"people": both(cast)})
        assert response.status_code == status, role
    assert not Reminder.objects.exists()


def test_preview_queries_are_pinned(cast, client_as, django_assert_num_queries):
    client = client_as("coordinator")

    def grow(n):
        for participant in ParticipantFactory.create_batch(n, program=cast.program):
            send(cast, [participant.pk])

    count = assert_constant_queries(lambda: client.get(preview_url(cast)), grow)
    with django_assert_num_queries(count):
        client.get(preview_url(cast))
    assert count == 7


def test_completion_page_offers_remind_everyone_and_shows_reminded_on(cast, client_as):
    send(cast, [cast.mentee_participant.pk])
    page = client_as("coordinator").get(reverse("surveys:completion", args=[cast.program.slug]))
    text = page.content.decode()
    assert "Remind everyone missing a survey (2)" in text
    eddie = next(p for p in page.context["page"].object_list if p.user == cast.mentee)
    mona = next(p for p in page.context["page"].object_list if p.user == cast.mentor)
    assert eddie.reminded_at is not None and mona.reminded_at is None


def test_single_reminder_returns_to_the_persons_row(cast, client_as):
    completion = reverse("surveys:completion", args=[cast.program.slug]) + "?role=mentee"
    url = reverse("reminders:send_survey", args=[cast.program.slug, cast.mentee_participant.pk])
    response = client_as("coordinator").post(url, {"next": completion})
    assert response.url == f"{completion}#participant-{cast.mentee_participant.pk}"


def test_dashboard_list_links_to_remind_everyone_and_shows_reminded_on(cast, client_as):
    send(cast, [cast.mentee_participant.pk])
    response = client_as("coordinator").get(reverse("dashboard:list", args=["surveys_missing"]))
    text = response.content.decode()
    assert preview_url(cast) + "?next=" in text
    assert "Remind everyone on this list" in text
    rows = {row.user.name: row.reminded_on for row in response.context["page"].object_list}
    assert rows["Eddie Mentee"] is not None and rows["Mona Mentor"] is None


# --- What comes next, and the scheduler ---------------------------------------------------


def test_due_next_is_what_the_scans_will_send(cast, cast_pair):
    today = datetime.date(2026, 3, 10)
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    Participant.objects.filter(pk=cast.mentee_participant.pk).update(
        joined_at=noon - datetime.timedelta(days=3)  # survey due in 4 days
    )
    Participant.objects.filter(pk=cast.mentor_participant.pk).update(
        joined_at=noon - datetime.timedelta(days=30)  # overdue: not "next"
    )
    Match.objects.filter(pk=cast_pair.pk).update(started_at=noon)
    MeetingFactory(match=cast_pair, starts_at=noon + datetime.timedelta(days=20))  # too far
    MeetingFactory(match=cast_pair, starts_at=noon + datetime.timedelta(days=5))
    with time_machine.travel(noon, tick=False):
        upcoming = {
            item.kind.key: [(day, user.name) for day, user in item.rows]
            for item in selectors.due_next(cast.program)
        }
        # The same rows, the day each falls due, are what the scan of that day records.
        for kind, rows in upcoming.items():
            for day, _name in rows:
                from reminders.services import reminders_record_due

                at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
                reminders_record_due(now=at)
                assert Reminder.objects.filter(kind=kind, due_on=day).exists(), (kind, day)
    day = datetime.date
    assert upcoming["survey_due"] == [(day(2026, 3, 14), "Eddie Mentee")]
    assert upcoming["meeting_tomorrow"] == [
        (day(2026, 3, 14), "Eddie Mentee"),
        (day(2026, 3, 14), "Mona Mentor"),
    ]
    assert upcoming["preparation_due"] == [(day(2026, 3, 13), "Eddie Mentee")]
    assert upcoming["record_due"] == [(day(2026, 3, 16), "Mona Mentor")]
    assert upcoming["worksheet_not_agreed"] == [
        (day(2026, 3, 24), "Eddie Mentee"),
        (day(2026, 3, 24), "Mona Mentor"),
    ]


def test_due_next_leaves_out_other_programs(cast):
    other = ParticipantFactory(program=cast.other_program)
    Participant.objects.filter(pk=other.pk).update(
        joined_at=timezone.now() - datetime.timedelta(days=3)
    )
    names = [user.name for item in selectors.due_next(cast.program) for _day, user in item.rows]
    assert other.user.name not in names


def test_scheduler_is_not_running_until_beat_has_run_the_scan(cast, client_as, settings):
    url = reverse("reminders:log", args=[cast.program.slug])
    client = client_as("coordinator")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    text = client.get(url).content.decode()
    assert 'data-scheduler="stopped"' in text
    assert "only sent when you press Send" in text
    scan_reminders()  # what beat runs
    text = client.get(url).content.decode()
    assert 'data-scheduler="running"' in text


def test_a_stale_heartbeat_is_not_running(cast):
    every = 300  # REMINDER_SCAN_SECONDS' default
    SchedulerRun.objects.create(
        task="reminders.scan",
        last_run_at=timezone.now() - datetime.timedelta(seconds=2 * every + 61),
    )
    assert not selectors.scheduler_status().running
    SchedulerRun.objects.update(last_run_at=timezone.now() - datetime.timedelta(seconds=every))
    assert selectors.scheduler_status().running


def test_running_the_scan_by_hand_is_not_a_scheduler(cast):
    from django.core.management import call_command

    call_command("scan_reminders")
    assert not SchedulerRun.objects.exists()
    assert not selectors.scheduler_status().running


def test_worksheet_list_links_to_remind_both_sides(cast, cast_pair, client_as):
    Match.objects.filter(pk=cast_pair.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=30)
    )
    send(cast, [cast.mentee_participant.pk], kind="worksheet_not_agreed")
    response = client_as("coordinator").get(reverse("dashboard:list", args=["worksheet"]))
    assert preview_url(cast, "worksheet_not_agreed") + "?next=" in response.content.decode()
    (row,) = response.context["page"].object_list
    assert row.reminded_on is not None
    preview = client_as("coordinator").get(preview_url(cast, "worksheet_not_agreed"))
    text = preview.content.decode()
    assert "Eddie Mentee: Worksheet with Mona Mentor · reminded on" in text
    assert "Mona Mentor: Worksheet with Eddie Mentee · not reminded yet" in text
