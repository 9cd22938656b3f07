from datetime import timedelta

import pytest

from chibo.accounts.tokens import token_issue
from chibo.core.dates import today
from chibo.notices.services import meeting_notices_send
from chibo.scheduling import services

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"Authorization": f"Bearer {token_issue(user=user, label='test')[1]}"}


def test_my_notices_are_listed_and_marked_read(client, world):
    meeting = services.meeting_plan(
        actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=today() + timedelta(days=2), notify=False
    )
    meeting_notices_send(meeting_id=meeting.pk, kind="invitation")
    headers = _auth(world.anhoa_member)
    body = client.get("/api/v1/notices", headers=headers).json()
    assert body["count"] == 1
    [notice] = body["items"]
    assert (notice["kind"], notice["meeting_id"], notice["read_at"]) == ("invitation", meeting.pk, None)
    supervisor_notice = meeting.notices.get(user=world.supervisor)
    assert client.post(f"/api/v1/notices/{supervisor_notice.pk}/read", headers=headers).status_code == 404
    read = client.post(f"/api/v1/notices/{notice['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get("/api/v1/notices", {"unread": "true"}, headers=headers).json()["count"] == 0
    supervisor_notice.refresh_from_db()
    assert supervisor_notice.read_at is None
