"""A program's whole packet of forms as one PDF, built in the background."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.printing import Paper, blank_paper, combine, render_document
from matching.models import Match
from programs.models import Program
from surveys.selectors import Relation, member_details

from .models import Packet
from .registry import registry

logger = logging.getLogger(__name__)
IN_PROGRESS = (Packet.Status.QUEUED, Packet.Status.RUNNING)


def packet_request(*, program: Program, by) -> tuple[Packet, bool]:
    """Record a packet to build, or return the one already on its way (and False).

    The caller queues the build of a new one (printing.tasks.queue_build_packet): a service
    never imports its own task.
    """
    current = Packet.objects.filter(program=program, status__in=IN_PROGRESS).first()
    if current is not None:
        return current, False
    try:
        with transaction.atomic():
            packet = Packet.objects.create(program=program, requested_by=by)
    except IntegrityError:  # another request started one a moment ago
        return Packet.objects.get(program=program, status__in=IN_PROGRESS), False
    return packet, True


def packet_items(program: Program) -> list[Callable[[], Paper]]:
    """Per participant their survey; per pair the worksheet and the session sheets.

    Printed copies circulate at sessions, so surveys print as a partner sees them:
    no gender, date of birth or race/ethnicity.
    """
    from sessions.pdf import filled_worksheet_paper
    from sessions.selectors import contacts, worksheet_of
    from surveys.pdf import filled_survey_paper

    forms = registry()
    items: list[Callable[[], Paper]] = []
    participants = program.participants.select_related("user", "survey", "program")
    for participant in participants.order_by("role", "user__name"):

        def survey(participant=participant) -> Paper:
            url = settings.SITE_URL + reverse("surveys:detail", args=[program.slug, participant.pk])
            details = member_details(participant.user, Relation.PARTNER)
            found = getattr(participant, "survey", None)
            return filled_survey_paper(found, participant, details, record_url=url)

        items.append(survey)
    matches = Match.objects.filter(program=program, status=Match.Status.ACTIVE).select_related(
        "mentee__user", "mentor__user", "program"
    )
    for match in matches.order_by("mentee__user__name"):

        def worksheet(match=match) -> Paper:
            found = worksheet_of(match)
            if found is None:
                return blank_paper(forms["planning-worksheet"], program=program)
            found.match = match
            url = settings.SITE_URL + reverse("sessions:worksheet", args=[program.slug, match.pk])
            return filled_worksheet_paper(found, contacts(match), record_url=url)

        items.append(worksheet)
        for key in ("session-structure", "session-preparation"):
            items.append(lambda key=key: blank_paper(forms[key], program=program))
    return items


def packet_build(*, packet_id: int) -> Packet | None:
    packet = Packet.objects.select_related("program", "requested_by").filter(pk=packet_id).first()
    if packet is None or packet.status not in IN_PROGRESS:
        return packet
    language = packet.requested_by.language if packet.requested_by else settings.LANGUAGE_CODE
    try:
        items = packet_items(packet.program) or [
            lambda: blank_paper(registry()["application"], program=packet.program)
        ]
        Packet.objects.filter(pk=packet.pk).update(
            status=Packet.Status.RUNNING, total_items=len(items), done_items=0
        )
        documents = []
        for done, make in enumerate(items, start=1):
            documents.append(render_document(make(), language=language))
            if done % 5 == 0 or done == len(items):
                Packet.objects.filter(pk=packet.pk).update(done_items=done)
        packet.refresh_from_db()
        packet.file.save(
            f"{packet.program.slug}-forms-{packet.pk}.pdf",
            ContentFile(combine(documents)),
            save=False,
        )
        packet.status = Packet.Status.DONE
        packet.finished_at = timezone.now()
        packet.save(update_fields=["file", "status", "finished_at"])
    except Exception:
        logger.exception("Packet %s failed", packet.pk)
        Packet.objects.filter(pk=packet.pk).update(status=Packet.Status.FAILED)
        raise
    return packet
