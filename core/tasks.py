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


# How long a page may wait for the broker before leaving its e-mails to the sweep.
PUBLISH_TIMEOUT_SECONDS = 2


def publish(message_ids: Sequence[int]) -> int:
    """Queue one send per row now; the number queued (none when the broker is down).

    One connection attempt, no retries: the broker's client would otherwise retry for
    seconds (kombu's default), holding the page that called this after commit.
    """
    app = send_outbox.app
    if app.conf.task_always_eager:
        for pk in message_ids:
            send_outbox.apply_async((pk,))
        return len(message_ids)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=PUBLISH_TIMEOUT_SECONDS)
            for pk in message_ids:
                send_outbox.apply_async(
                    (pk,), connection=connection, retry=False, ignore_result=True
                )
    except Exception:
        logger.warning(
            "Could not queue %s e-mail(s); the outbox sweep will send them",
            len(message_ids),
            exc_info=True,
        )
        return 0
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
