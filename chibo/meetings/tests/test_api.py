"""The meetings API: the same services and scope as the pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chibo.accounts.models import User
from chibo.accounts.tokens import token_issue
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn, Vote
from chibo.meetings.tests.conftest import Cell, plan_meeting

pytestmark = pytest.mark.django_db
BASE = "/api/v1/meetings"


class Api:
    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token_issue(user=user)[1]}"}

    def get(self, path: str, **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(BASE + path, params, headers=self.headers)

    def send(self, method: str, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
        return getattr(self.client, method)(
            BASE + path, body or {}, content_type="application/json", headers=self.headers
        )


def test_the_list_is_scoped_paginated_and_filtered_by_date(cell: Cell) -> None:
    w = cell.world
    later = plan_meeting(w.anhoa, timezone.localdate() + timedelta(days=40), kind=Meeting.Kind.THEMATIC)
    plan_meeting(w.other_ward_cell)
    body = Api(w.ward_officer).get("", org=w.anhoa.pk).json()
    assert body["count"] == 2 and {i["id"] for i in body["items"]} == {cell.meeting.pk, later.pk}
    item = body["items"][0]
    assert item["scheduled_for"] == cell.meeting.scheduled_date.isoformat() and item["status"] == "planned"
    assert item["org_id"] == w.anhoa.pk and item["kind"] == "regular"
    upto = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert Api(w.ward_officer).get("", date_to=upto).json()["count"] == 1
    assert Api(w.outsider).get("", org=w.anhoa.pk).status_code == 404
    assert Api(w.ward_officer).get("", date_from="05/07/2025").status_code == 422


def test_a_meeting_answers_its_totals_and_distinct_speakers(cell: Cell) -> None:
    api = Api(cell.world.anhoa_secretary)
    assert api.get(f"/{cell.meeting.pk}").json()["totals"] is None
    refused = api.send("post", f"/{cell.meeting.pk}/open", {"chair_id": cell.official[0].pk})
    assert refused.status_code == 422 and refused.json()["field"] == "recorder"
    same = {"chair_id": cell.official[0].pk, "recorder_id": cell.official[0].pk}
    assert api.send("post", f"/{cell.meeting.pk}/open", same).json()["detail"] == (
        "Chủ trì và thư ký phải là hai đồng chí khác nhau."
    )
    officers = {"chair_id": cell.official[0].pk, "recorder_id": cell.official[1].pk}
    assert api.send("post", f"/{cell.meeting.pk}/open", officers).status_code == 200
    for m in cell.required[:16]:
        r = api.send("put", f"/{cell.meeting.pk}/attendance/{m.pk}", {"status": "present"})
        assert r.status_code == 200 and r.json()["status"] == "present"
    r = api.send("put", f"/{cell.meeting.pk}/attendance/{cell.required[16].pk}", {"status": "excused"})
    assert r.status_code == 422 and r.json()["field"] == "reason" and "lý do" in r.json()["detail"]
    turn = api.send("post", f"/{cell.meeting.pk}/speakers", {"member_id": cell.official[0].pk, "kind": "criticism"})
    assert turn.status_code == 201
    api.send("post", f"/{cell.meeting.pk}/speakers/{turn.json()['id']}/start")
    done = api.send(
        "post", f"/{cell.meeting.pk}/speakers/{turn.json()['id']}/finish", {"summary": "Phê bình việc chậm."}
    )
    assert done.json()["status"] == "done" and done.json()["summary"] == "Phê bình việc chậm."
    body = api.get(f"/{cell.meeting.pk}").json()
    assert body["distinct_speakers"] == 1
    t = body["totals"]
    assert (t["required"], t["present"], t["unmarked"], t["attendance_rate"], t["attendance_met"]) == (
        18,
        16,
        2,
        88.9,
        True,
    )
    assert api.get(f"/{cell.meeting.pk}/attendance").json()["count"] == 20
    assert api.get(f"/{cell.meeting.pk}/speakers").json()["items"][0]["kind"] == "criticism"


def test_a_vote_above_the_voters_is_refused_with_a_vietnamese_reason(cell: Cell) -> None:
    services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required:
        services.attendance_record(actor=None, meeting=cell.meeting, member=m, status=Attendance.Status.PRESENT)
    api = Api(cell.world.anhoa_secretary)
    r = api.send("post", f"/{cell.meeting.pk}/votes", {"votes_for": 17, "votes_against": 0, "votes_abstain": 0})
    assert r.status_code == 422 and "vượt số đảng viên chính thức có mặt (16)" in r.json()["detail"]
    assert not Vote.objects.exists()
    r = api.send("post", f"/{cell.meeting.pk}/votes", {"votes_for": 9, "votes_against": 7})
    assert r.status_code == 200 and r.json()["passed"] is True
    assert api.get(f"/{cell.meeting.pk}/votes").json()["items"][0]["votes_for"] == 9


def test_a_member_asks_to_speak_but_cannot_record_others(cell: Cell) -> None:
    services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    services.attendance_record(
        actor=None, meeting=cell.meeting, member=cell.world.member_of_anhoa, status=Attendance.Status.PRESENT
    )
    api = Api(cell.world.anhoa_member)
    assert api.send("post", f"/{cell.meeting.pk}/speakers/request").status_code == 201
    assert SpeakingTurn.objects.get().requested_by_member
    r = api.send("put", f"/{cell.meeting.pk}/attendance/{cell.official[3].pk}", {"status": "present"})
    assert r.status_code == 403
    assert Attendance.objects.get(meeting=cell.meeting, member=cell.official[3]).status == Attendance.Status.UNMARKED


def test_the_list_costs_the_same_queries_for_two_meetings_or_ten(cell: Cell, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cell.world
    api = Api(w.ward_officer)
    start = timezone.localdate() + timedelta(days=40)
    plan_meeting(w.anhoa, start, kind=Meeting.Kind.THEMATIC)
    api.get("", org=w.anhoa.pk)  # warm the token and the grants
    with CaptureQueriesContext(connection) as small:
        assert api.get("", org=w.anhoa.pk).json()["count"] == 2
    for i in range(8):
        plan_meeting(w.anhoa, start + timedelta(days=i + 1), kind=Meeting.Kind.THEMATIC)
    with django_assert_num_queries(len(small.captured_queries)):
        assert api.get("", org=w.anhoa.pk).json()["count"] == 10
