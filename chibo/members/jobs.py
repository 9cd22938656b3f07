"""Celery tasks of the members app. With no broker configured they run inline (settings.CELERY_*)."""

from celery import shared_task

from chibo.members.imports import import_job_run


@shared_task(name="chibo.members.run_import_job", ignore_result=True)
def run_import_job(job_id: int) -> None:
    """Check, and unless it is a dry run import, a large member spreadsheet (see imports.import_job_run)."""
    import_job_run(job_id=job_id)
