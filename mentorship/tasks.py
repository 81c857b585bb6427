from celery import shared_task


@shared_task(name="mentorship.ping")
def ping(payload: str) -> str:
    """Round-trip check for the broker and a worker (used by tests and operators)."""
    return f"pong: {payload}"
