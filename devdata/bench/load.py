"""Data for the load test and the production smoke test, and the "exactly once" check.

`make loadtest` and `.ci/smoke` drive a real gunicorn over HTTP with `devdata/loadtest.py`
(a standalone script that imports no Django). They prepare their members with
`manage.py loadtest_seed` and, after the run, hand the submissions the server acknowledged
to `manage.py loadtest_check`, which reads the database and fails unless each one is stored
exactly once.

Load members are mentors and mentees in pairs of one running program; each submission
carries a unique marker (`LT<run>x<n>`) in a text field: the meeting's place, the
preparation's first answer, the record's first answer, a survey answer.
"""

import datetime
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from dashboard import funnel
from matching.models import Match
from programs.models import Participant, Program
from sessions.models import Meeting, Preparation, SessionRecord
from surveys.models import Survey

EMAIL_DOMAIN = "@load.example.org"
SLUG_PREFIX = "load-"
RUNNING_SLUG = "load-running"
OPEN_SLUG = "load-open"
COORDINATOR_EMAIL = f"coordinator{EMAIL_DOMAIN}"

# The kinds of submission the load script sends, and where each keeps its marker.
KINDS = ("survey", "meeting", "preparation", "record")
MARKER = re.compile(r"LT[0-9a-f]+x[0-9]+")


def delete_load_data() -> None:
    Program.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    User.objects.filter(email__endswith=EMAIL_DOMAIN).delete()


@transaction.atomic
def build(*, members: int, password: str) -> dict:
    """`members` log-ins in pairs of one running program, an open program and its coordinator.

    Member 0, 2, 4... mentor the member after them; with an odd count the last mentor's
    mentee never logs in. One password hash serves every account (hashing is the slow part).
    """
    delete_load_data()
    hashed = make_password(password)
    now = timezone.now()
    running = Program.objects.create(
        name="Load test program", slug=RUNNING_SLUG, year=now.year, status=Program.Status.RUNNING
    )
    open_program = Program.objects.create(
        name="Smoke test program", slug=OPEN_SLUG, year=now.year, status=Program.Status.OPEN
    )
    coordinator = _user(COORDINATOR_EMAIL, "Load Coordinator", hashed)
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    for program in (running, open_program):
        program.coordinators.add(coordinator)

    rows = []
    pairs = (members + 1) // 2
    for pair in range(pairs):
        mentor = _user(f"mentor{pair}{EMAIL_DOMAIN}", f"Load Mentor {pair}", hashed)
        mentee = _user(f"mentee{pair}{EMAIL_DOMAIN}", f"Load Mentee {pair}", hashed)
        match = Match.objects.create(
            program=running,
            mentor=Participant.objects.create(
                program=running, user=mentor, role=Participant.Role.MENTOR
            ),
            mentee=Participant.objects.create(
                program=running, user=mentee, role=Participant.Role.MENTEE
            ),
            status=Match.Status.ACTIVE,
            started_at=now - datetime.timedelta(days=30),
        )
        for user, role in ((mentor, "mentor"), (mentee, "mentee")):
            if len(rows) < members:
                rows.append(
                    {"index": len(rows), "email": user.email, "role": role, "match": match.pk}
                )
    funnel.refresh(running.participants.all())  # each one's funnel step, as the services keep it
    return {
        "password": password,
        "program": RUNNING_SLUG,
        "open_program": OPEN_SLUG,
        "coordinator": {"email": COORDINATOR_EMAIL, "totp_secret": secret},
        "members": rows,
    }


def _user(email: str, name: str, hashed: str) -> User:
    user = User.objects.create(email=email, name=name, password=hashed)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


# --- The check -------------------------------------------------------------------------------


@dataclass
class Stored:
    """What the database holds: how often each marker appears, per kind of submission.

    `latest_survey` maps a member's e-mail to the markers in their survey now: a survey is
    one row per participant, so a later draft rightly replaces an earlier one's answers.
    """

    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    latest_survey: dict[str, set[str]] = field(default_factory=dict)


def stored_markers(run: str) -> Stored:
    """Every marker of this run found in the database."""
    stored = Stored()
    tag = f"LT{run}x"
    sources = {
        "meeting": Meeting.objects.filter(location__contains=tag).values_list("location"),
        "preparation": Preparation.objects.filter(tried__contains=tag).values_list("tried"),
        "record": SessionRecord.objects.filter(update__contains=tag).values_list("update"),
    }
    for kind, rows in sources.items():
        for (text,) in rows:
            stored.counts[kind].update(m for m in MARKER.findall(text) if m.startswith(tag))
    surveys = Survey.objects.filter(participant__user__email__endswith=EMAIL_DOMAIN).values_list(
        "participant__user__email", "answers"
    )
    for email, answers in surveys:
        found = {m for m in MARKER.findall(json.dumps(answers)) if m.startswith(tag)}
        stored.counts["survey"].update(found)
        stored.latest_survey[email] = found
    return stored


def exactly_once_problems(acknowledged: Iterable[Mapping], stored: Stored) -> list[str]:
    """Why the acknowledged submissions are not each stored exactly once ([] when they are).

    `acknowledged` rows have `kind`, `marker` and `member` (e-mail), in the order the server
    acknowledged them. A meeting, a preparation or a record must be found once: missing is
    lost, twice is duplicated. A survey must hold its member's last acknowledged draft, once.
    """
    problems = []
    last_survey: dict[str, str] = {}
    for row in acknowledged:
        kind, marker = row["kind"], row["marker"]
        if kind not in KINDS:
            problems.append(f"{marker}: unknown kind {kind!r}")
        elif kind == "survey":
            last_survey[row["member"]] = marker
        else:
            found = stored.counts[kind][marker]
            if found != 1:
                problems.append(f"{kind} {marker}: stored {found} times, acknowledged once")
    for member, marker in last_survey.items():
        found = stored.counts["survey"][marker]
        if found != 1 or marker not in stored.latest_survey.get(member, set()):
            problems.append(
                f"survey {marker} of {member}: its last acknowledged draft is stored {found} "
                "times" + ("" if found != 1 else " but not in their survey")
            )
    return problems
