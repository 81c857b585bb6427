"""Deciding many applications in one step, and moving on to the next one after a decision."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutboxMessage
from core.testing import assert_constant_queries
from intake import services
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from programs.models import ActivityEntry, Participant, Program
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def waiting(program, n, **extra) -> list[Application]:
    return [ApplicationFactory(program=program, **extra) for _ in range(n)]


def decide_many(program, applications_or_ids, decision, by):
    ids = [getattr(a, "pk", a) for a in applications_or_ids]
    return services.applications_decide_many(program=program, ids=ids, decision=decision, by=by)


def statuses(applications) -> list[str]:
    return [Application.objects.get(pk=a.pk).status for a in applications]


# --- The service ------------------------------------------------------------------------------


def test_ten_accepted_in_one_step_each_with_one_email(
    open_program, cast, mailoutbox, django_capture_on_commit_callbacks
):
    ten = waiting(open_program, 5, role="mentee") + waiting(open_program, 5, role="mentor")
    with django_capture_on_commit_callbacks(execute=True):
        result = decide_many(open_program, ten, "accept", cast.coordinator)
    assert len(result.decided) == 10 and not result.not_waiting and result.unknown == 0
    assert statuses(ten) == ["accepted"] * 10
    for application in ten:
        application.refresh_from_db()
        assert application.decided_by == cast.coordinator and application.decided_at
        assert Participant.objects.get(program=open_program, user=application.applicant).role == (
            application.role
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(a.applicant.email for a in ten)
    assert all(f"Welcome to {open_program.name}" in m.subject for m in mailoutbox)
    assert OutboxMessage.objects.count() == 10


def test_wait_list_and_decline_make_nobody_a_participant(open_program, cast):
    two = waiting(open_program, 2)
    decide_many(open_program, two[:1], "waitlist", cast.coordinator)
    decide_many(open_program, two[1:], "decline", cast.coordinator)
    assert statuses(two) == ["waitlisted", "declined"]
    assert not Participant.objects.filter(user__in=[a.applicant for a in two]).exists()
    assert OutboxMessage.objects.count() == 2


def test_only_waiting_applications_of_this_program_are_decided(open_program, cast):
    """Mixed states and ids an attacker made up: only the waiting ones change."""
    fresh = waiting(open_program, 2)
    waitlisted = ApplicationFactory(program=open_program, status="waitlisted")
    declined = ApplicationFactory(program=open_program, status="declined")
    withdrawn = ApplicationFactory(program=open_program, status="withdrawn")
    draft = ApplicationFactory(program=open_program, status="draft")
    other_program = ProgramFactory(status=Program.Status.OPEN)
    foreign = ApplicationFactory(program=other_program)
    chosen = [*fresh, waitlisted, declined, withdrawn, draft, foreign, 999_999]

    result = decide_many(open_program, chosen, "accept", cast.coordinator)

    assert {a.pk for a in result.decided} == {a.pk for a in fresh}
    assert {a.pk for a in result.not_waiting} == {waitlisted.pk, declined.pk, withdrawn.pk}
    assert result.unknown == 3  # the draft, the other program's and one that does not exist
    assert statuses([waitlisted, declined, withdrawn, draft, foreign]) == [
        "waitlisted",
        "declined",
        "withdrawn",
        "draft",
        "submitted",
    ]
    assert not Participant.objects.filter(program=other_program).exists()
    assert not Participant.objects.filter(user=foreign.applicant).exists()
    assert OutboxMessage.objects.count() == 2
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {
        a.applicant.email for a in fresh
    }


def test_a_second_submission_decides_nothing_twice(open_program, cast):
    """Two tabs, or a double click on Confirm: the second finds them decided."""
    three = waiting(open_program, 3)
    first = decide_many(open_program, three, "decline", cast.coordinator)
    stamps = [Application.objects.get(pk=a.pk).decided_at for a in three]
    second = decide_many(open_program, three, "decline", cast.coordinator)
    third = decide_many(open_program, three, "accept", cast.coordinator)  # a stale other tab
    assert len(first.decided) == 3
    assert second.decided == [] and len(second.not_waiting) == 3
    assert third.decided == [] and len(third.not_waiting) == 3
    assert statuses(three) == ["declined"] * 3
    assert [Application.objects.get(pk=a.pk).decided_at for a in three] == stamps
    assert OutboxMessage.objects.count() == 3
    assert not Participant.objects.filter(user__in=[a.applicant for a in three]).exists()


def test_an_impossible_acceptance_refuses_the_whole_step(open_program, cast):
    """The plain member is already a mentor: nothing is half done, nobody is e-mailed."""
    others = waiting(open_program, 3)
    clash = ApplicationFactory(program=open_program, applicant=cast.member, role="mentee")
    Participant.objects.create(program=open_program, user=cast.member, role="mentor")
    with pytest.raises(ValidationError, match="already take part in this program"):
        decide_many(open_program, [*others, clash], "accept", cast.coordinator)
    assert statuses([*others, clash]) == ["submitted"] * 4
    assert Participant.objects.filter(user__in=[a.applicant for a in others]).count() == 0
    assert Participant.objects.get(user=cast.member).role == "mentor"
    assert OutboxMessage.objects.count() == 0


def test_both_roles_of_one_applicant_cannot_be_accepted_together(open_program, cast):
    as_mentee = ApplicationFactory(program=open_program, applicant=cast.member, role="mentee")
    as_mentor = ApplicationFactory(program=open_program, applicant=cast.member, role="mentor")
    with pytest.raises(ValidationError, match="both as mentee and as mentor"):
        decide_many(open_program, [as_mentee, as_mentor], "accept", cast.coordinator)
    assert statuses([as_mentee, as_mentor]) == ["submitted"] * 2
    # Wait-listing both is fine: nobody becomes a participant.
    assert (
        len(decide_many(open_program, [as_mentee, as_mentor], "waitlist", cast.coordinator).decided)
        == 2
    )


def test_an_already_participating_applicant_in_the_same_role_is_not_added_twice(open_program, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.member, role="mentee")
    Participant.objects.create(program=open_program, user=cast.member, role="mentee")
    decide_many(open_program, [application], "accept", cast.coordinator)
    assert Participant.objects.filter(program=open_program, user=cast.member).count() == 1
    assert statuses([application]) == ["accepted"]


@pytest.mark.parametrize("status", ["draft", "running", "closed"])
def test_no_decision_outside_the_deciding_statuses(open_program, cast, status):
    application = ApplicationFactory(program=open_program)
    open_program.status = status
    open_program.save()
    with pytest.raises(ValidationError, match="open, selecting or matching"):
        decide_many(open_program, [application], "accept", cast.coordinator)
    assert statuses([application]) == ["submitted"]


def test_an_unknown_decision_is_refused(open_program, cast):
    application = ApplicationFactory(program=open_program)
    with pytest.raises(ValidationError):
        decide_many(open_program, [application], "submitted", cast.coordinator)
    assert statuses([application]) == ["submitted"]


# --- The pages --------------------------------------------------------------------------------


def review_url(program, **query):
    url = reverse("intake:review", args=[program.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def bulk_url(program):
    return reverse("intake:decide_many", args=[program.slug])


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_list_has_a_labelled_checkbox_per_waiting_application(open_program, client_as):
    ana = ApplicationFactory(program=open_program, applicant__name="Ana Waiting")
    bo = ApplicationFactory(program=open_program, applicant__name="Bo Decided", status="declined")
    html = client_as("coordinator").get(review_url(open_program)).content.decode()
    assert f'name="ids" value="{ana.pk}" id="select-{ana.pk}"' in html
    assert (
        f'<label class="visually-hidden" for="select-{ana.pk}">Select Ana Waiting</label>' in html
    )
    assert f'value="{bo.pk}"' not in html  # a decided one has no checkbox
    assert "Select all on this page" in html
    for verb in ("Accept", "Wait-list", "Decline"):
        assert f'{verb}<span class="visually-hidden"> the selected</span></button>' in html
    assert 'tabindex="0" role="region" aria-labelledby="applications-heading"' in html


def test_no_action_bar_when_no_decision_can_be_made(open_program, client_as):
    ApplicationFactory(program=open_program)
    open_program.status = Program.Status.RUNNING
    open_program.save()
    html = client_as("coordinator").get(review_url(open_program)).content.decode()
    assert 'name="ids"' not in html and " the selected</span>" not in html


def test_confirmation_names_them_and_changes_nothing(open_program, client_as, cast):
    ten = [
        ApplicationFactory(program=open_program, applicant__name=f"Applicant {i:02d}")
        for i in range(10)
    ]
    done = ApplicationFactory(
        program=open_program, applicant__name="Already Declined", status="declined"
    )
    foreign = ApplicationFactory(program=ProgramFactory(status=Program.Status.OPEN))
    response = client_as("coordinator").post(
        bulk_url(open_program),
        {"ids": [a.pk for a in ten] + [done.pk, foreign.pk], "decision": "accept"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Accept 10 applications?" in html
    assert "Each of the 10 applicants gets one e-mail telling them the decision." in html
    assert all(f"Applicant {i:02d}" in html for i in range(10))
    assert "Already Declined" in html and "no longer waiting" in html
    assert "1 selected application is not in this program and is ignored." in html
    assert foreign.applicant.name not in html
    # The Confirm form carries the waiting ones only.
    assert html.count('type="hidden" name="ids"') == 10
    assert f'name="ids" value="{done.pk}"' not in html
    assert "Yes, accept them and send 10 e-mails" in html
    assert statuses([*ten, done, foreign]) == ["submitted"] * 10 + ["declined", "submitted"]
    assert OutboxMessage.objects.count() == 0


def test_confirm_decides_them_and_returns_to_the_waiting_list(open_program, client_as, cast):
    ten = waiting(open_program, 10)
    done = ApplicationFactory(program=open_program, status="waitlisted")
    foreign = ApplicationFactory(program=ProgramFactory(status=Program.Status.OPEN))
    client = client_as("coordinator")
    data = {
        "ids": [a.pk for a in ten] + [done.pk, foreign.pk],
        "decision": "waitlist",
        "confirmed": "1",
    }
    response = client.post(bulk_url(open_program), data)
    assert response.status_code == 302
    assert response["Location"] == review_url(open_program, status="submitted")
    assert message_texts(response) == [
        "10 applications wait-listed. Each applicant has been told by e-mail. "
        "1 was already decided or withdrawn and was left as it was. "
        "1 selected application is not in this program and was ignored."
    ]
    assert statuses(ten) == ["waitlisted"] * 10
    assert statuses([foreign]) == ["submitted"]
    assert OutboxMessage.objects.count() == 10
    # On record in the program's activity log, like every coordinator's write.
    entry = ActivityEntry.objects.get(action="intake:decide_many")
    assert (entry.actor, entry.program) == (cast.coordinator, open_program)

    # The same Confirm again (a double click, the back button): nothing more happens.
    client.get(response["Location"])  # the first message is shown
    response = client.post(bulk_url(open_program), data)
    assert message_texts(response) == [
        "Nothing was decided. 11 were already decided or withdrawn and were left as they were. "
        "1 selected application is not in this program and was ignored."
    ]
    assert OutboxMessage.objects.count() == 10

    # The waiting list is now empty, and says so.
    html = client.get(response["Location"]).content.decode()
    assert "No application is waiting for a decision." in html


def test_a_refused_bulk_acceptance_says_why_and_changes_nothing(open_program, client_as, cast):
    others = waiting(open_program, 2)
    clash = ApplicationFactory(program=open_program, applicant=cast.member, role="mentee")
    Participant.objects.create(program=open_program, user=cast.member, role="mentor")
    response = client_as("coordinator").post(
        bulk_url(open_program),
        {"ids": [a.pk for a in [*others, clash]], "decision": "accept", "confirmed": "1"},
    )
    assert response.status_code == 302
    [text] = message_texts(response)
    assert f"{cast.member.name} already take part in this program in another role." in text
    assert "Nothing was decided" in text
    assert statuses([*others, clash]) == ["submitted"] * 3
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision": "accept"}, "Select at least one application first."),
        ({"ids": ["x1"], "decision": "accept"}, "The selection was not understood."),
        ({"ids": ["-4"], "decision": "accept", "confirmed": "1"}, "not understood"),
    ],
)
def test_a_selection_that_makes_no_sense_is_refused(open_program, client_as, data, message):
    application = ApplicationFactory(program=open_program)
    response = client_as("coordinator").post(bulk_url(open_program), data)
    assert response.status_code == 302
    assert any(message in text for text in message_texts(response))
    assert statuses([application]) == ["submitted"]


def test_an_unknown_decision_is_refused_by_the_page(open_program, client_as):
    application = ApplicationFactory(program=open_program)
    response = client_as("coordinator").post(
        bulk_url(open_program), {"ids": [application.pk], "decision": "submitted", "confirmed": "1"}
    )
    assert response.status_code == 302
    assert statuses([application]) == ["submitted"]


def test_another_programs_coordinator_changes_nothing(open_program, client_as):
    application = ApplicationFactory(program=open_program)
    data = {"ids": [application.pk], "decision": "decline", "confirmed": "1"}
    client = client_as("other_coordinator")
    assert client.post(bulk_url(open_program), data).status_code == 404
    # Nor through the program they do coordinate.
    response = client.post(reverse("intake:decide_many", args=["stewards-circle"]), data)
    assert response.status_code in (302, 404)
    assert statuses([application]) == ["submitted"]
    assert OutboxMessage.objects.count() == 0


def test_a_participant_is_refused(open_program, client_as):
    application = ApplicationFactory(program=open_program)
    data = {"ids": [application.pk], "decision": "decline", "confirmed": "1"}
    assert client_as("mentee").post(bulk_url(open_program), data).status_code == 403
    assert statuses([application]) == ["submitted"]


def test_the_bulk_action_needs_post(open_program, client_as):
    assert client_as("coordinator").get(bulk_url(open_program)).status_code == 405


def test_bulk_decision_query_count_does_not_grow(open_program, client_as):
    """Deciding 10 or 30 costs the same queries: one e-mail insert, no query per person."""
    client = client_as("coordinator")

    def confirm(n) -> int:
        ids = [a.pk for a in waiting(open_program, n)]
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                bulk_url(open_program), {"ids": ids, "decision": "accept", "confirmed": "1"}
            )
        assert response.status_code == 302
        assert Application.objects.filter(pk__in=ids, status="accepted").count() == n
        return len(captured)

    confirm(1)  # the first request of the session fills caches: not what is measured
    # With the authenticator and the activity log; 6 of them find who joined and invite them
    # to the coming gatherings (dashboard.services.applications_decide_many), 2 store the
    # accepted members' funnel step (their ids read, locked on PostgreSQL, then one UPDATE:
    # dashboard/funnel.py).
    assert confirm(10) == confirm(30) == 23


def test_confirmation_page_query_count_does_not_grow(open_program, client_as):
    client = client_as("coordinator")
    ids: list[int] = []

    def grow(n):
        ids.extend(a.pk for a in waiting(open_program, n))

    def show():
        assert (
            client.post(bulk_url(open_program), {"ids": ids, "decision": "accept"}).status_code
            == 200
        )

    grow(1)
    show()  # the first request of the session fills caches: not what is measured
    count = assert_constant_queries(show, grow, sizes=(10, 30))
    assert count == 9


# --- One decision, then the next waiting application --------------------------------------------


def test_after_a_decision_the_next_waiting_application_opens(open_program, client_as):
    first, second, third = waiting(open_program, 3)
    # Newest first: the list shows third, second, first.
    ApplicationFactory(program=open_program, status="declined")
    client = client_as("coordinator")

    def decide(application, decision="accept"):
        return client.post(
            reverse("intake:decide", args=[open_program.slug, application.pk]),
            {"decision": decision},
        )

    def detail(application):
        return reverse("intake:review_detail", args=[open_program.slug, application.pk])

    response = decide(second)
    assert response["Location"] == detail(first)  # the next one down the list
    assert message_texts(response) == [
        f"{second.applicant.name}: Accepted. They have been told by e-mail."
    ]
    assert decide(first)["Location"] == detail(third)  # from the end, back to the top
    assert decide(third, "decline")["Location"] == review_url(open_program, status="submitted")
