"""Once against the real broker: a Celery worker (in a thread) on Redis sends the notices."""

import time as clock
from datetime import timedelta
from uuid import uuid4

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections

from chibo.celery import app
from chibo.core.dates import today
from chibo.members import services as member_services
from chibo.notices.jobs import send_meeting_notices
from chibo.notices.models import Notice
from chibo.scheduling import services


def _wait_for(condition, seconds: float) -> bool:
    deadline = clock.monotonic() + seconds
    while clock.monotonic() < deadline:
        if condition():
            return True
        clock.sleep(0.2)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_creates_and_mails_the_notices_once(world, mailoutbox):
    member_services.member_update(actor=None, member=world.member_of_anhoa, email="thuong@example.vn")
    meeting = services.meeting_plan(
        actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=today() + timedelta(days=4), notify=False
    )
    # A queue of its own, so that no other worker on the same Redis takes the task.
    queue = f"chibo-test-{uuid4().hex[:10]}"
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            send_meeting_notices.apply_async((meeting.pk, "invitation", 0), queue=queue)
            send_meeting_notices.apply_async((meeting.pk, "invitation", 0), queue=queue)  # a duplicate
            assert _wait_for(lambda: len(mailoutbox) >= 1 and Notice.objects.filter(meeting=meeting).count() == 3, 15)
            clock.sleep(0.5)  # let the duplicate run too
    finally:
        connections.close_all()
    assert Notice.objects.filter(meeting=meeting, kind="invitation").count() == 3
    assert [m.to for m in mailoutbox] == [["thuong@example.vn"]]
