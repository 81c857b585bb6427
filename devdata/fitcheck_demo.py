"""Demo of the fit check (issue 20 item 2): one pair where the mentee said "Not a good fit"
(the coordinator's Needs attention lists it, with the end-match form one click away, and
the mentor is still asked), and the demo mentee's own "Going well" (the demo mentor is
still asked, on their home). Added once: running it again changes nothing."""

import datetime

from django.utils import timezone

from matching.models import Match
from sessions.models import FitCheck, Side
from sessions.selectors import due_fit_check, with_fit_check_columns

from .sessions_demo import PROGRAM_SLUG

ANSWERS = (
    (
        "amira.haddad@example.org",
        "louise.gagnon@example.org",
        FitCheck.Answer.NOT_A_GOOD_FIT,
        "Louise is kind, but she works days and I work nights: we have met once in a month, "
        "and the health and safety committee is not her field. Could I meet someone from the "
        "committee instead?",
    ),
    ("mentee@example.org", "mentor@example.org", FitCheck.Answer.GOING_WELL, ""),
)


def seed_fitcheck_demo() -> None:
    today = timezone.localdate()
    for mentee, mentor, answer, note in ANSWERS:
        match = Match.objects.filter(
            program__slug=PROGRAM_SLUG,
            status=Match.Status.ACTIVE,
            mentee__user__email=mentee,
            mentor__user__email=mentor,
        ).first()
        if match is None or FitCheck.objects.filter(match=match, side=Side.MENTEE).exists():
            continue
        stage = due_fit_check(with_fit_check_columns(match), Side.MENTEE, today)
        if stage is None:
            continue
        check = FitCheck.objects.create(
            match=match, side=Side.MENTEE, stage=stage, answer=answer, note=note
        )
        # Answered a few days ago, not at seeding time.
        FitCheck.objects.filter(pk=check.pk).update(
            answered_at=timezone.now() - datetime.timedelta(days=3)
        )
