"""Printed forms: each blank form, one filled worksheet and a 30-pair packet, beside a floor.

The floor is a one-line page rendered through core.printing the same way (the same
template, stylesheet, fonts and PDF/UA output): what every printed form costs at least.
Forms and floor are rendered in turn, warm (fonts and stylesheet already loaded).
"""

import datetime
import time

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.printing import Paper, blank_paper, render_pdf
from devdata.bench.figures import Figure, count_queries, elapsed_ms, interleaved
from printing.registry import registry

FLOOR = "one-line PDF"


class _Rollback(Exception):
    pass


def _floor() -> bytes:
    return render_pdf(Paper(title="Floor", sections=[]), language="en")


def run(repeat: int | None = None) -> list[Figure]:
    """Each blank form, then one filled worksheet."""
    repeat = repeat or 7
    figures = []
    with translation.override("en"):
        for key, printable in registry().items():

            def form(printable=printable) -> bytes:
                return render_pdf(blank_paper(printable), language="en")

            samples, floors = interleaved(form, _floor, repeat)
            figures.append(
                Figure(
                    name=f"pdf: blank {key}",
                    group="pdf_blank",
                    samples_ms=samples,
                    floor=FLOOR,
                    floor_samples_ms=floors,
                    queries=count_queries(form),
                )
            )
        figures.append(_filled_worksheet(repeat))
    return figures


def _pair(program, n: int, *, answers: str):
    """A mentee and a mentor with surveys, matched (active): the packet's and worksheet's pair."""
    from accounts.models import User
    from matching.models import Match
    from programs.models import Participant
    from surveys.models import Survey
    from surveys.questions import questions_for

    pair = {}
    for role in ("mentee", "mentor"):
        user = User.objects.create_user(
            email=f"bench-{role}-{n}@example.org", name=f"Bench {role} {n}"
        )
        participant = Participant.objects.create(program=program, user=user, role=role)
        Survey.objects.create(
            participant=participant, answers={q.key: answers for q in questions_for(role)}
        )
        pair[role] = participant
    return Match.objects.create(
        program=program,
        mentee=pair["mentee"],
        mentor=pair["mentor"],
        status=Match.Status.ACTIVE,
        started_at=timezone.now(),
    )


def _filled_worksheet(repeat: int) -> Figure:
    """A pair's planning worksheet with every section answered, as its PDF view renders it."""
    from programs.models import Program
    from sessions.models import Worksheet
    from sessions.pdf import filled_worksheet_paper
    from sessions.selectors import contacts

    figure = None
    try:
        with transaction.atomic():
            program = Program.objects.create(name="Bench program", slug="bench-filled", year=2026)
            match = _pair(program, 0, answers="An answer of a few words. " * 6)
            today = timezone.localdate()
            text = "A plan in a few sentences, as a pair writes it. " * 8
            worksheet = Worksheet.objects.create(
                match=match,
                starts_on=today,
                target_end_on=today + datetime.timedelta(days=180),
                midpoint_on=today + datetime.timedelta(days=90),
                next_meeting_at=timezone.now() + datetime.timedelta(days=7),
                **dict.fromkeys(Worksheet.TEXT_SECTIONS, text),
            )
            url = settings.SITE_URL + reverse("sessions:worksheet", args=[program.slug, match.pk])

            def filled() -> bytes:
                paper = filled_worksheet_paper(worksheet, contacts(match), record_url=url)
                return render_pdf(paper, language="en")

            samples, floors = interleaved(filled, _floor, repeat)
            figure = Figure(
                name="pdf: filled planning worksheet",
                group="pdf_filled",
                samples_ms=samples,
                floor=FLOOR,
                floor_samples_ms=floors,
                queries=count_queries(filled),
            )
            raise _Rollback
    except _Rollback:
        pass
    return figure


def packet_run(repeat: int | None = None) -> list[Figure]:
    """A packet for 30 pairs (60 surveys, 30 worksheets and session sheets), rolled back."""
    from printing.models import Packet
    from printing.packets import packet_build
    from programs.models import Program

    repeat = repeat or 1
    figure = None
    try:
        with transaction.atomic():
            program = Program.objects.create(name="Bench program", slug="bench-packet", year=2026)
            for n in range(30):
                _pair(program, n, answers="An answer of a few words. " * 6)
            samples, floors, queries, packet = [], [], None, None
            size = forms = 0

            def build() -> None:
                nonlocal packet
                packet = Packet.objects.create(program=program)
                packet_build(packet_id=packet.pk)

            with translation.override("en"):
                _floor()  # warm: fonts, stylesheet
                for _ in range(repeat):
                    floors.append(elapsed_ms(_floor))
                    # Counting the queries costs microseconds beside seconds of layout.
                    start = time.perf_counter()
                    queries = count_queries(build)
                    samples.append((time.perf_counter() - start) * 1000)
                    packet.refresh_from_db()
                    assert packet.status == Packet.Status.DONE, packet.status
                    size, forms = packet.file.size, packet.total_items
                    packet.file.delete(save=False)
                    packet.delete()
            figure = Figure(
                name=f"pdf: packet, 30 pairs ({forms} forms)",
                group="packet",
                samples_ms=samples,
                floor=FLOOR,
                floor_samples_ms=floors,
                queries=queries,
                extra={"forms": forms, "megabytes": round(size / 1_000_000, 2)},
            )
            raise _Rollback
    except _Rollback:
        pass
    return [figure]
