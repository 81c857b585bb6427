"""Demo data for the alumni follow-up: the closed 2025 program's former participants were
asked whether their union roles changed, and most have answered.

`seed_alumni_demo()` is called by `devdata.demo.seed` after the evaluation demo. The round
is the one the daily task would be sending now (12 months after the program ended, or 24
later on); the follow-ups are dated on the round's first day and written without e-mails
(they went then). Eight answered: three "no change", five with a new role (stewards,
committees, an officer), entered by the members themselves on their roles page. Rosa
Delgado (`mentor@example.org`) has not answered, so her roles page for the 2025 program
shows the question and its "No change" button. Farah Siddiqui, who left the program, is
not asked. Idempotent: rows are looked up by their natural keys.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from devdata.evaluation_demo import SLUG
from evaluation import services
from evaluation.models import AlumniFollowUp, LaterRole
from programs.models import Program
from sessions.models import add_months

# e-mail → "no_change", or the new role reported: (kind, details, since).
ANSWERS = {
    "dwayne.clarke@example.org": (
        "officer",
        "Vice-president, Local 2009",
        datetime.date(2026, 9, 1),
    ),
    "mei.lin.chen@example.org": ("steward", "Unit 7, day shift", datetime.date(2026, 6, 15)),
    "ahmed.yusuf@example.org": "no_change",
    "brenda.cardinal@example.org": (
        "committee",
        "Bargaining committee",
        datetime.date(2026, 10, 1),
    ),
    "carmen.ortiz@example.org": ("steward", "Unit 2", datetime.date(2026, 8, 1)),
    "derek.lam@example.org": "no_change",
    "elena.petrova@example.org": (
        "committee",
        "Women's committee",
        datetime.date(2026, 5, 1),
    ),
    "gloria.fernandes@example.org": "no_change",
}


def _round(program: Program, today: datetime.date) -> int:
    """The round asked now: 24 once two years have passed, else 12."""
    return 24 if add_months(program.ends_on, 24) <= today else 12


@transaction.atomic
def seed_alumni_demo() -> Program:
    program = Program.objects.get(slug=SLUG)
    months = _round(program, timezone.localdate())
    sent_on = add_months(program.ends_on, months)
    sent_at = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(9)))
    for participant in services.followups_due({program.pk: months}):
        AlumniFollowUp.objects.get_or_create(
            participant=participant, round=months, defaults={"sent_at": sent_at}
        )
    followups = AlumniFollowUp.objects.filter(
        participant__program=program, round=months
    ).select_related("participant__user")
    for followup in followups:
        answer = ANSWERS.get(followup.participant.user.email)
        if answer is None or followup.answer:
            continue
        followup.answered_at = sent_at + datetime.timedelta(days=2)
        if answer == "no_change":
            followup.answer = AlumniFollowUp.Answer.NO_CHANGE
        else:
            kind, title, since = answer
            followup.answer = AlumniFollowUp.Answer.NEW_ROLE
            LaterRole.objects.get_or_create(
                participant=followup.participant,
                kind=kind,
                started_on=since,
                defaults={
                    "title": title,
                    "entered_by": followup.participant.user,
                    "followup": followup,
                },
            )
        followup.save(update_fields=["answer", "answered_at"])
    return program
