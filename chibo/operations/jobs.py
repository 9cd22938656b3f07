"""Celery tasks of operations. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.operations.services import purge_import_files


@shared_task(name="chibo.operations.purge_import_files", ignore_result=True)
def purge_old_import_files() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): same as `manage.py purge_import_files`."""
    return purge_import_files()
