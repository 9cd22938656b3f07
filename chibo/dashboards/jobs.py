"""Celery tasks. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.dashboards.services import summary_refresh_changed


@shared_task(name="chibo.dashboards.refresh_summaries", ignore_result=True)
def refresh_summaries() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): the months touched since the last run."""
    return summary_refresh_changed(by="celery")
