"""The dashboard's periodic work, run by beat: the retention purge (dashboard/retention.py)
and the funnel's safety net (dashboard/funnel.py)."""

from celery import shared_task

from . import funnel, retention


@shared_task(name="dashboard.purge_expired", ignore_result=True)
def purge_expired() -> None:
    retention.retention_purge()


@shared_task(name="dashboard.recompute_funnel", ignore_result=True)
def recompute_funnel() -> int:
    """Correct any participant's stored funnel columns that drifted; returns how many."""
    return funnel.recompute()
