"""The program's Activity page and its CSV (access by role: the URL × role matrix)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.testing import assert_constant_queries
from programs.activity import record_activity
from programs.models import ActivityEntry

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def add(cast, *, actor=None, action="intake:decide", days_ago=0, program=None, **extra):
    return record_activity(
        actor_id=actor.pk if actor else None,
        program_id=(program or cast.program).pk,
        action=action,
        target=extra.get("target", {"slug": cast.program.slug, "pk": 7}),
        changes=extra.get(
            "changes",
            [{"model": "intake.application", "operation": "changed", "fields": ["status"]}],
        ),
        at=NOW - datetime.timedelta(days=days_ago),
    )


def page_of(client, cast, **params):
    return client.get(reverse("programs:activity", args=[cast.program.slug]), params)


def test_the_page_lists_the_programs_entries_newest_first_in_words(cast, client_as):
    add(cast, actor=cast.coordinator, action="matching:publish", days_ago=2)
    add(cast, actor=cast.coordinator, days_ago=1)
    add(cast, program=cast.other_program, action="matching:run")  # another program's
    response = page_of(client_as("coordinator"), cast)
    html = response.content.decode()
    assert [row["entry"].action for row in response.context["rows"]] == [
        "intake:decide",
        "matching:publish",
    ]
    assert "Decided on an application" in html and "Published matches" in html
    assert "Ran matching" not in html
    assert "Alice Coordinator" in html
    assert "<strong>Application</strong> changed: status" in html
    assert "#7" in html


def test_a_member_who_is_gone_is_shown_as_a_former_member(cast, client_as):
    gone = UserFactory(name="Gone Coordinator")
    add(cast, actor=gone)
    gone.delete()
    html = page_of(client_as("coordinator"), cast).content.decode()
    assert "A former member" in html and "Gone Coordinator" not in html


def test_filters_by_who_action_and_dates(cast, client_as):
    second = UserFactory(name="Second Coordinator")
    cast.program.coordinators.add(second)
    old = add(cast, actor=cast.coordinator, action="matching:lock", days_ago=30)
    mine = add(cast, actor=cast.coordinator, days_ago=1)
    theirs = add(cast, actor=second, days_ago=1)
    gone = UserFactory()
    former = add(cast, actor=gone, action="matching:run", days_ago=3)
    gone.delete()
    client = client_as("coordinator")

    def shown(**params):
        return {row["entry"].pk for row in page_of(client, cast, **params).context["rows"]}

    assert shown() == {old.pk, mine.pk, theirs.pk, former.pk}
    assert shown(who=second.pk) == {theirs.pk}
    assert shown(who="former") == {former.pk}
    assert shown(action="matching:lock") == {old.pk}
    today = timezone.localdate()
    assert shown(since=(today - datetime.timedelta(days=5)).isoformat()) == {
        mine.pk,
        theirs.pk,
        former.pk,
    }
    assert shown(until=(today - datetime.timedelta(days=10)).isoformat()) == {old.pk}
    # The choices offer who and what the log holds, in words.
    form = page_of(client, cast).context["form"]
    assert ("former", "A former member") in form.fields["who"].choices
    assert ("matching:lock", "Locked a proposal") in form.fields["action"].choices


def test_a_date_range_the_wrong_way_round_is_explained(cast, client_as):
    add(cast, actor=cast.coordinator)
    response = page_of(client_as("coordinator"), cast, since="2026-05-02", until="2026-05-01")
    assert "Choose a date on or after the first one." in response.content.decode()


def test_the_csv_has_every_filtered_entry_with_field_names_only(cast, client_as):
    add(cast, actor=cast.coordinator, action="matching:lock", days_ago=2)
    add(
        cast,
        actor=cast.coordinator,
        target={"slug": cast.program.slug, "pk": 9},
        changes=[
            {"model": "intake.application", "operation": "changed", "fields": ["status", "note"]},
            {"model": "programs.participant", "operation": "created", "fields": ["role"]},
        ],
    )
    url = reverse("programs:activity_csv", args=[cast.program.slug])
    response = client_as("coordinator").get(url, {"action": "intake:decide"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"activity-{cast.program.slug}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When", "Who", "Action", "Action code", "Object", "Changes"]
    assert len(rows) == 2
    assert rows[1][1:] == [
        "Alice Coordinator",
        "Decided on an application",
        "intake:decide",
        "#9",
        "intake.application changed: status, note; programs.participant created: role",
    ]


def test_the_csv_of_a_name_that_looks_like_a_formula_is_text(cast, client_as):
    add(cast, actor=UserFactory(name="=HYPERLINK(1)"))
    url = reverse("programs:activity_csv", args=[cast.program.slug])
    body = client_as("coordinator").get(url).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_the_page_is_paginated(cast, client_as):
    for day in range(51):
        add(cast, actor=cast.coordinator, days_ago=day)
    client = client_as("coordinator")
    first = page_of(client, cast)
    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = page_of(client, cast, page=2)
    assert len(second.context["rows"]) == 1


def test_the_page_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    for _ in range(5):
        add(cast, actor=UserFactory())
    client = client_as("coordinator")
    # session, member, program, role, the coordinator's authenticator, who's in the log,
    # its actions, count, the page, and the navigation.
    with django_assert_num_queries(9):
        assert page_of(client, cast).status_code == 200


def test_the_page_queries_do_not_grow_with_entries(cast, client_as):
    client = client_as("coordinator")

    def grow(n):
        for _ in range(n):
            add(cast, actor=UserFactory())

    assert_constant_queries(lambda: page_of(client, cast), grow)


def test_an_empty_log_says_so(cast, client_as):
    html = page_of(client_as("coordinator"), cast).content.decode()
    assert "Nothing has been changed in this program yet." in html
    assert not ActivityEntry.objects.exists()


def test_coordinators_reach_it_from_the_programs_page(cast, client_as):
    url = reverse("programs:activity", args=[cast.program.slug])
    assert url in client_as("coordinator").get(cast.program.get_absolute_url()).content.decode()
    assert url not in client_as("mentee").get(cast.program.get_absolute_url()).content.decode()


def test_reading_the_page_writes_nothing(cast, client_as):
    add(cast, actor=cast.coordinator)
    client = client_as("coordinator")
    page_of(client, cast)
    client.get(reverse("programs:activity_csv", args=[cast.program.slug]))
    assert ActivityEntry.objects.count() == 1


def test_the_demo_leaves_activity_to_read():
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from accounts.tests.factories import with_totp

    call_command("seed_demo", allow_production=True)
    client = Client()
    # The demo turns the authenticator rule off (make run); here it is on, as in production.
    client.force_login(with_totp(User.objects.get(email="coordinator@example.org")))
    html = client.get(reverse("programs:activity", args=["2027-mentorship"])).content.decode()
    assert "Decided on an application" in html and "Created the program" in html
    assert "<strong>Program: coordinators</strong> created" in html
    html = client.get(reverse("programs:activity", args=["2026-mentorship"])).content.decode()
    assert "Published matches" in html and "A former member" in html


def test_actions_are_named_in_words_and_admin_ones_by_their_model():
    from programs.activity_labels import action_label

    assert action_label("intake:decide") == "Decided on an application"
    assert action_label("admin:programs_program_change") == "Administration: program changed"
    assert action_label("admin:mentoring_sessions_meeting_delete") == (
        "Administration: meeting deleted"
    )
    assert action_label("admin:programs_program_changelist") == (
        "Administration: programs, several at once"
    )
    assert action_label("some:new_page") == "some:new_page"  # unnamed: its URL's name


def test_every_action_with_a_label_is_a_real_address():
    from mentorship.tests.test_access_matrix import named_patterns
    from programs.activity_labels import ACTION_LABELS

    assert set(ACTION_LABELS) - set(named_patterns()) == set()
