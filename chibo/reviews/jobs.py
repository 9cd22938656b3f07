"""Celery tasks of the reviews app. With no broker configured they run inline (settings.CELERY_*)."""

from celery import shared_task

from chibo.reviews.runs import run_execute


@shared_task(name="chibo.reviews.run_year", ignore_result=True)
def run_year(run_id: int) -> None:
    """Open a year for every cell under a node: evidence and proposals for all their members."""
    run_execute(run_id=run_id)
