from datetime import date

import pytest

from chibo.accounts.tokens import token_issue
from chibo.rules.services import ruleset_create_version
from chibo.scheduling import services

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"Authorization": f"Bearer {token_issue(user=user, label='test')[1]}"}


def test_the_calendar_lists_the_visible_meetings_in_the_range(client, world):
    services.regular_meetings_generate(actor=None, org=world.town, year=2025, months=[1, 2])
    headers = _auth(world.ward_officer)
    response = client.get("/api/v1/calendar", {"date_from": "2025-01-01", "date_to": "2025-01-31"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert [(m["org_name"], m["scheduled_date"], m["period"]) for m in body["items"]] == [
        ("Chi bộ khu vực Bình Hòa", "2025-01-02", "2025-01-01"),
        ("Chi bộ khu vực An Hòa", "2025-01-06", "2025-01-01"),
    ]
    assert body["count"] == 2  # the other ward's cell is outside the ward officer's scope


def test_the_calendar_filters_by_org_and_refuses_outside_scope_or_bad_ranges(client, world):
    services.regular_meetings_generate(actor=None, org=world.town, year=2025, months=[3])
    headers = _auth(world.anhoa_member)
    mine = client.get(
        "/api/v1/calendar", {"org": world.anhoa.pk, "date_from": "2025-03-01", "date_to": "2025-03-31"}, headers=headers
    )
    assert [m["org_id"] for m in mine.json()["items"]] == [world.anhoa.pk]
    assert client.get("/api/v1/calendar", {"org": world.ward.pk}, headers=headers).status_code == 404
    backwards = client.get("/api/v1/calendar", {"date_from": "2025-03-31", "date_to": "2025-03-01"}, headers=headers)
    assert backwards.status_code == 422
    too_long = client.get("/api/v1/calendar", {"date_from": "2025-01-01", "date_to": "2026-06-01"}, headers=headers)
    assert too_long.status_code == 422 and "366" in too_long.json()["detail"]


def test_the_rules_in_force_say_where_they_come_from(client, world):
    version = ruleset_create_version(actor=None, org=world.ward, effective_from=date(2025, 1, 1), meeting_day=3)
    response = client.get(
        "/api/v1/rules/in-force", {"org": world.anhoa.pk, "date": "2025-06-01"}, headers=_auth(world.anhoa_member)
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["id"], body["source_org_id"], body["version"]) == (version.pk, world.ward.pk, 1)
    assert (body["meeting_day"], body["ruleset_meeting_day"]) == (5, 3)  # An Hòa keeps its own day
    assert (body["attendance_threshold_pct"], body["min_duration_thematic_minutes"]) == (85, 120)
    before = client.get(
        "/api/v1/rules/in-force", {"org": world.anhoa.pk, "date": "2024-06-01"}, headers=_auth(world.anhoa_member)
    ).json()
    assert before["source_org_id"] is None
    outside = client.get("/api/v1/rules/in-force", {"org": world.anhoa.pk}, headers=_auth(world.outsider))
    assert outside.status_code == 404
