from celery import shared_task


@shared_task(name="mentorship.ping")
def ping(payload: str) -> str:
    """Round-trip check for the broker and a worker (used by tests and operators)."""
    return f"pong: {payload}"


@shared_task(name="mentorship.build_packet", acks_late=True)
def build_packet(packet_id: int) -> None:
    from .packets import packet_build

    packet_build(packet_id=packet_id)
