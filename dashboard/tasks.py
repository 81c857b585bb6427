"""The retention purge, run daily by beat (dashboard/retention.py)."""

from celery import shared_task

from . import retention


@shared_task(name="dashboard.purge_expired", ignore_result=True)
def purge_expired() -> None:
    retention.retention_purge()
