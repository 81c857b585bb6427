"""The packet's background build. The task owns its queueing: the packet service never
imports this module; the view queues the build of a packet the service recorded."""

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from .models import Packet
from .packets import packet_build

logger = logging.getLogger(__name__)


# The name it had in mentorship/tasks.py, so builds queued before the move still run.
@shared_task(name="mentorship.build_packet", acks_late=True)
def build_packet(packet_id: int) -> None:
    packet_build(packet_id=packet_id)


def broker_available() -> bool:
    """Whether a build can be queued now: the broker answers within REDIS_TIMEOUT.

    Asked before a packet is recorded, so with Redis down the coordinator is told at once that
    printing is paused, and no packet is left waiting for a build nobody queued.
    """
    app = build_packet.app
    if app.conf.task_always_eager:
        return True
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
    except Exception:
        logger.warning("Packet not requested: the broker is not answering", exc_info=True)
        return False
    return True


def builds_in_background() -> bool:
    """Whether a worker builds packets; without a broker (`make run`) the request does."""
    return not build_packet.app.conf.task_always_eager


def queue_build_packet(*, packet_id: int) -> None:
    """Queue the build once the packet's row is committed.

    Like Celery's `delay_on_commit`, plus one thing it cannot do: a broker that refuses the
    task marks the packet failed, so it does not block the program's next request forever
    (one packet in progress per program).
    """
    transaction.on_commit(partial(_send, packet_id))


def _send(packet_id: int) -> None:
    try:
        build_packet.delay(packet_id)
    except Exception:
        logger.exception("Could not queue packet %s", packet_id)
        Packet.objects.filter(pk=packet_id).update(status=Packet.Status.FAILED)
