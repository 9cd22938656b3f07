"""Celery tasks. They run inline when no broker is configured (REDIS_URL unset)."""

from celery import shared_task

from chibo.notices.services import due_notices_send, meeting_notices_send


@shared_task(name="chibo.notices.send_meeting_notices", ignore_result=True)
def send_meeting_notices(meeting_id: int, kind: str, revision: int = 0) -> int:
    return meeting_notices_send(meeting_id=meeting_id, kind=kind, revision=revision)


@shared_task(name="chibo.notices.send_due", ignore_result=True)
def send_due_notices() -> dict[str, int]:
    """Every few minutes (CELERY_BEAT_SCHEDULE): invitations coming due and reminders."""
    return due_notices_send()
