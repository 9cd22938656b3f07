"""Celery tasks of supervision. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.supervision.services import coverage_reminders_send


@shared_task(name="chibo.supervision.send_coverage_reminders", ignore_result=True)
def send_coverage_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): cells left without an upper-level attendee too long."""
    return coverage_reminders_send()
