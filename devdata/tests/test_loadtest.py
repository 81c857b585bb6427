"""The load test's data and its "exactly once" check (devdata/bench/load.py), and the parts
of devdata/loadtest.py that decide what a page asks for and what gunicorn measured."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from dashboard.tests.helpers import drift
from devdata import loadtest
from devdata.bench import load
from matching.models import Match
from sessions.tests.factories import MeetingFactory, PreparationFactory, SessionRecordFactory
from surveys.models import Survey

RUN = "c0ffee"


def marker(n: int) -> str:
    return f"LT{RUN}x{n}"


@pytest.fixture
def seeded(db):
    return load.build(members=3, password="load password")


def acknowledged(*rows: tuple[str, int, str]) -> list[dict]:
    return [{"kind": k, "marker": marker(n), "member": m} for k, n, m in rows]


def check(tmp_path, rows: list[dict]) -> None:
    path = tmp_path / "acknowledged.json"
    path.write_text(json.dumps({"run": RUN, "acknowledged": rows}))
    call_command("loadtest_check", str(path))


def a_meeting(match: Match, text: str, hours_ago: int = 1):
    return MeetingFactory(
        match=match,
        created_by=match.mentor.user,
        starts_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        location=text,
    )


def test_seed_makes_pairs_that_can_log_in_and_a_coordinator_with_a_code(seeded):
    rows = seeded["members"]
    assert [r["role"] for r in rows] == ["mentor", "mentee", "mentor"]
    for row in rows:
        user = User.objects.get(email=row["email"])
        assert user.check_password("load password")
        assert user.emailaddress_set.get().verified
        match = Match.objects.get(pk=row["match"])
        assert match.status == Match.Status.ACTIVE
        assert user in (match.mentor.user, match.mentee.user)
    coordinator = User.objects.get(email=seeded["coordinator"]["email"])
    assert coordinator.authenticator_set.filter(type="totp").exists()
    assert len(seeded["coordinator"]["totp_secret"]) >= 32
    # Seeding again replaces the earlier load data rather than failing on it.
    load.build(members=1, password="again")
    assert User.objects.filter(email__endswith=load.EMAIL_DOMAIN).count() == 3


def test_check_passes_when_each_acknowledged_submission_is_stored_once(seeded, tmp_path):
    mentor_row, mentee_row = seeded["members"][:2]
    match = Match.objects.get(pk=mentor_row["match"])
    meeting = a_meeting(match, marker(1))
    PreparationFactory(meeting=meeting, tried=marker(2))
    SessionRecordFactory(meeting=meeting, recorded_by=match.mentor.user, update=marker(3))
    Survey.objects.create(participant=match.mentee, answers={"goals": marker(5)})
    check(
        tmp_path,
        acknowledged(
            ("meeting", 1, mentor_row["email"]),
            ("preparation", 2, mentee_row["email"]),
            ("record", 3, mentor_row["email"]),
            # An earlier draft rightly replaced by the later one.
            ("survey", 4, mentee_row["email"]),
            ("survey", 5, mentee_row["email"]),
        ),
    )


@pytest.mark.parametrize("kind", ["meeting", "preparation", "record"])
def test_check_fails_on_a_lost_submission(seeded, tmp_path, kind):
    row = seeded["members"][0]
    match = Match.objects.get(pk=row["match"])
    meeting = a_meeting(match, marker(1))
    PreparationFactory(meeting=meeting, tried=marker(2))
    SessionRecordFactory(meeting=meeting, recorded_by=match.mentor.user, update=marker(3))
    rows = acknowledged(("meeting", 1, row["email"]), ("preparation", 2, row["email"]))
    rows += acknowledged(("record", 3, row["email"]), (kind, 9, row["email"]))
    with pytest.raises(CommandError, match="1 of 4"):
        check(tmp_path, rows)


def test_check_fails_on_a_duplicated_submission(seeded, tmp_path):
    row = seeded["members"][0]
    match = Match.objects.get(pk=row["match"])
    a_meeting(match, marker(1))
    a_meeting(match, f"Union hall {marker(1)}", hours_ago=2)  # the same submission, twice
    with pytest.raises(CommandError, match="1 of 1"):
        check(tmp_path, acknowledged(("meeting", 1, row["email"])))


def test_check_fails_when_a_survey_lost_its_last_draft_or_holds_it_twice(seeded, tmp_path):
    mentor_row, mentee_row = seeded["members"][:2]
    match = Match.objects.get(pk=mentor_row["match"])
    survey = Survey.objects.create(participant=match.mentee, answers={"goals": marker(4)})
    rows = acknowledged(("survey", 4, mentee_row["email"]), ("survey", 5, mentee_row["email"]))
    with pytest.raises(CommandError, match="1 of 2"):
        check(tmp_path, rows)  # the later draft, acknowledged, is not there
    survey.answers = {"goals": marker(5)}
    survey.save()
    check(tmp_path, rows)
    # In someone else's survey too: stored twice.
    Survey.objects.create(participant=match.mentor, answers={"goals": marker(5)})
    with pytest.raises(CommandError, match="1 of 2"):
        check(tmp_path, rows)


def test_check_fails_when_a_survey_marker_is_in_another_members_survey(seeded, tmp_path):
    mentor_row, mentee_row = seeded["members"][:2]
    match = Match.objects.get(pk=mentor_row["match"])
    Survey.objects.create(participant=match.mentor, answers={"goals": marker(4)})
    with pytest.raises(CommandError, match="1 of 1"):
        check(tmp_path, acknowledged(("survey", 4, mentee_row["email"])))


def test_form_data_is_what_a_browser_sends():
    page = """
    <form method="post" action="/x/">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="date" value="2026-01-01"><input type="checkbox" name="box" value="1">
      <input type="radio" name="mode" value="phone" checked><input type="radio" name="mode"
        value="video"><textarea name="notes">old &amp; kept</textarea>
      <select name="size"><option value="a">A</option><option value="b" selected>B</option>
      </select><button type="submit" name="save" value="1">Save</button>
    </form>"""
    form = loadtest.form_with(page, "save")
    assert form.text_areas == ["notes"]
    assert form.data({"mode": "video"}, ("save", "1")) == [
        ("csrfmiddlewaretoken", "t"),
        ("date", "2026-01-01"),
        ("mode", "video"),
        ("notes", "old & kept"),
        ("size", "b"),
        ("save", "1"),
    ]
    with pytest.raises(loadtest.LoadError):
        loadtest.form_with(page, "missing")


def test_server_times_read_gunicorns_access_log(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        '127.0.0.2 - - [07/Dec/2026:02:00:00 +0000] "POST /accounts/login/ HTTP/1.1" 302 0 '
        '"-" "agent" 412\n'
        '127.0.0.2 - - [07/Dec/2026:02:00:01 +0000] "GET /programs/p/pairs/3/meetings/9/'
        'record/?x=1 HTTP/1.1" 200 900 "-" "agent" 38\n'
    )
    assert loadtest.server_times(log, 0) == {"log-in": [412.0], "record form": [38.0]}
    first_line = len(log.read_text().splitlines(keepends=True)[0])
    assert loadtest.server_times(log, first_line) == {"record form": [38.0]}


def test_totp_code_is_the_one_allauth_accepts():
    from allauth.mfa.totp.internal.auth import validate_totp_code

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert validate_totp_code(secret, loadtest.totp_now(secret))


def test_the_load_test_stores_each_persons_funnel_step(seeded):
    assert drift() == []
