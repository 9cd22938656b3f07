"""Celery tasks of the directives register. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.directives.services import deadline_reminders_send


@shared_task(name="chibo.directives.send_deadline_reminders", ignore_result=True)
def send_deadline_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): directives whose deadline comes within the rule set's lead time."""
    return deadline_reminders_send()
