"""Printed forms: warm render time of each blank form."""

import statistics
import time

from django.utils import translation

from core.printing import blank_paper, render_pdf
from printing.registry import registry


def run(repeat: int = 7) -> list[str]:
    lines = []
    with translation.override("en"):
        for key, printable in registry().items():
            render_pdf(blank_paper(printable), language="en")  # warm: fonts, stylesheet
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                render_pdf(blank_paper(printable), language="en")
                times.append(time.perf_counter() - start)
            lines.append(
                f"pdf {key}: warm render {statistics.median(times) * 1000:.0f} ms "
                f"(median of {repeat}; budget 250 ms)"
            )
    return lines


class _Rollback(Exception):
    pass


def packet_run() -> list[str]:
    """A packet for 30 pairs (60 surveys, 30 worksheets and session sheets), then rolled back."""
    from django.db import transaction

    from accounts.models import User
    from matching.models import Match
    from printing.models import Packet
    from printing.packets import packet_build
    from programs.models import Participant, Program
    from surveys.models import Survey
    from surveys.questions import questions_for

    lines: list[str] = []
    try:
        with transaction.atomic():
            program = Program.objects.create(name="Bench program", slug="bench-packet", year=2026)
            for n in range(30):
                pair = {}
                for role in ("mentee", "mentor"):
                    user = User.objects.create_user(
                        email=f"bench-{role}-{n}@example.org", name=f"Bench {role} {n}"
                    )
                    participant = Participant.objects.create(program=program, user=user, role=role)
                    answers = {q.key: "An answer of a few words. " * 6 for q in questions_for(role)}
                    Survey.objects.create(participant=participant, answers=answers)
                    pair[role] = participant
                Match.objects.create(
                    program=program,
                    mentee=pair["mentee"],
                    mentor=pair["mentor"],
                    status=Match.Status.ACTIVE,
                )
            packet = Packet.objects.create(program=program)
            start = time.perf_counter()
            packet_build(packet_id=packet.pk)
            elapsed = time.perf_counter() - start
            packet.refresh_from_db()
            size = packet.file.size
            packet.file.delete(save=False)
            lines.append(
                f"pdf packet, 30 pairs ({packet.total_items} forms): {elapsed:.1f} s, "
                f"{size / 1_000_000:.1f} MB"
            )
            raise _Rollback
    except _Rollback:
        pass
    return lines
