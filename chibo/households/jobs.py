"""Celery tasks. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.households.services import follow_up_reminders_send


@shared_task(name="chibo.households.remind_follow_ups", ignore_result=True)
def remind_follow_ups() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind members of liaison follow-ups that have come due."""
    return follow_up_reminders_send()
