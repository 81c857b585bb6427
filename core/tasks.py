"""The outbox's Celery tasks, and the queueing after commit that pages use (core/mail.py).

Queueing never fails or slows a page: a publish that fails (broker down) is logged, not
retried in the request, and the sweep queues the row once the broker is back.
"""

import datetime
import logging
from collections.abc import Sequence
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import outbox

logger = logging.getLogger(__name__)


def publish(message_ids: Sequence[int]) -> int:
    """Queue one send per row now; the number queued (stops at the first failure)."""
    for done, pk in enumerate(message_ids):
        try:
            send_outbox.apply_async((pk,), retry=False, ignore_result=True)
        except Exception:
            logger.warning(
                "Could not queue e-mails %s and %s more; the outbox sweep will send them",
                pk,
                len(message_ids) - done - 1,
                exc_info=True,
            )
            return done
    return len(message_ids)


def queue_on_commit(message_ids: Sequence[int]) -> None:
    """Queue the rows once the transaction that wrote them commits."""
    if message_ids:
        transaction.on_commit(partial(publish, list(message_ids)))


@shared_task(name="core.send_outbox", acks_late=True, ignore_result=True)
def send_outbox(message_id: int) -> str:
    return outbox.outbox_send(message_id=message_id)


@shared_task(name="core.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Queue every unsent row whose attempt is due (first try missed, or a retry).

    A row is left one sweep interval to be sent by the task queued at commit, so a long
    queue after a big change is not queued twice (twice would send once, but costs).
    """
    grace = datetime.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
    return publish(outbox.outbox_due(now=timezone.now() - grace))


@shared_task(name="core.purge_outbox", ignore_result=True)
def purge_outbox() -> int:
    return outbox.outbox_purge()
