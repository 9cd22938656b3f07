"""Celery tasks. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.tasks.services import overdue_reminders_send


@shared_task(name="chibo.tasks.remind_overdue", ignore_result=True)
def remind_overdue() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind members of tasks past due, once a week each while open."""
    return overdue_reminders_send()
