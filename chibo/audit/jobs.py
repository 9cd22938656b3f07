"""Celery tasks of the audit app. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.audit.services import purge_access_logs


@shared_task(name="chibo.audit.purge_access_logs", ignore_result=True)
def purge_old_access_logs() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the retention rule of C19, same as `manage.py purge_access_logs`."""
    return purge_access_logs()
