"""The household API and pages doing their work (scope itself is the scope matrix's): a member logs through
the API, the secretary plans through it; the import page's dry run and report; the health station's page
and its logged export."""

import json
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chibo.accounts.tokens import token_issue
from chibo.audit.models import AccessLog
from chibo.core.dates import today
from chibo.households import services
from chibo.households.models import AssignmentPlan, Household, LiaisonEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(world):  # type: ignore[no-untyped-def]
    services.area_set(actor=None, cell=world.anhoa, ward="Phường Bình Thạnh", hamlets=["Tổ 1", "Tổ 2"])
    h = services.household_create(actor=None, cell=world.anhoa, head_name="Lê Văn Chủ Hộ", hamlet="Tổ 1")
    services.assignment_set(actor=None, household=h, member=world.member_of_anhoa, day=date(2025, 1, 1))
    return h


def api(client, user, method: str, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    token = token_issue(user=user, label="test")[1]
    return client.generic(
        method,
        f"/api/v1/households{path}",
        json.dumps(body or {}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_member_logs_an_opinion_through_the_api_and_a_stranger_household_is_404(client, world, household):  # type: ignore[no-untyped-def]
    response = api(
        client,
        world.anhoa_member,
        "POST",
        f"/{household.pk}/events",
        {"kind": "opinion", "occurred_on": str(today()), "text": "Xin sửa đèn đường"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["text"] == "Xin sửa đèn đường"
    assert LiaisonEvent.objects.get().created_by == world.anhoa_member
    refused = api(client, world.anhoa_member, "POST", f"/{household.pk}/events", {"kind": "arrival"})
    assert refused.status_code == 422 and refused.json()["field"] == "arrived_from"
    other = services.household_create(actor=None, cell=world.anhoa, head_name="Trần Văn Khác", hamlet="Tổ 2")
    assert api(client, world.anhoa_member, "GET", f"/{other.pk}").status_code == 404
    assert LiaisonEvent.objects.count() == 1


def test_the_secretary_plans_through_the_api_and_a_bound_too_low_is_refused_at_its_field(client, world, household):  # type: ignore[no-untyped-def]
    response = api(client, world.anhoa_secretary, "POST", f"/cells/{world.anhoa.pk}/plans", {"max_load": 1})
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["households"] == 1 and plan["members"] == 2 and plan["proved"]
    assert plan["distance_m"] >= plan["optimum_m"]
    services.household_create(actor=None, cell=world.anhoa, head_name="Trần Văn Hai", hamlet="Tổ 2")
    services.household_create(actor=None, cell=world.anhoa, head_name="Trần Văn Ba", hamlet="Tổ 2")
    refused = api(client, world.anhoa_secretary, "POST", f"/cells/{world.anhoa.pk}/plans", {"max_load": 1})
    assert refused.status_code == 422 and refused.json()["field"] == "max_load"
    assert "ít nhất 2 hộ" in refused.json()["detail"]
    assert AssignmentPlan.objects.count() == 1


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["Chủ hộ", "Khu vực, ấp", "Vĩ độ", "Kinh độ"])
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("ho-dan.xlsx", out.getvalue())


def test_the_import_page_reports_errors_then_imports_a_clean_file(client, world, household):  # type: ignore[no-untyped-def]
    client.force_login(world.anhoa_secretary)
    url = f"/households/import/?org={world.anhoa.pk}"
    bad = client.post(url, {"file": _xlsx([["Ngô Văn Một", "Tổ 9", None, None]]), "dry_run": "on"})
    assert bad.status_code == 400
    assert "Tổ 9" in bad.content.decode() and "không thuộc địa bàn" in bad.content.decode()
    checked = client.post(url, {"file": _xlsx([["Ngô Văn Một", "Tổ 2", 9.68, 105.57]]), "dry_run": "on"})
    assert checked.status_code == 200 and Household.objects.count() == 1
    done = client.post(url, {"file": _xlsx([["Ngô Văn Một", "Tổ 2", 9.68, 105.57]])})
    assert done.status_code == 302 and Household.objects.filter(head_name="Ngô Văn Một", hamlet="Tổ 2").exists()


def test_the_health_station_page_and_export_for_a_month_are_logged(client, world, household):  # type: ignore[no-untyped-def]
    services.event_record(
        actor=None,
        household=household,
        kind="arrival",
        occurred_on=date(2021, 4, 2),
        person_name="Lê Thị Con",
        arrived_from="Cà Mau",
        arrived_on=date(2021, 4, 1),
    )
    client.force_login(world.anhoa_secretary)
    page = client.get(f"/households/health/?org={world.anhoa.pk}&month=2021-04").content.decode()
    assert "Lê Thị Con" in page and "Chưa báo" in page
    assert "Lê Thị Con" not in client.get(f"/households/health/?org={world.anhoa.pk}&month=2021-05").content.decode()
    response = client.get(f"/households/health/export/?org={world.anhoa.pk}&month=2021-04")
    assert response.status_code == 200
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.org, log.row_count) == (world.anhoa_secretary, world.anhoa, 1)
    assert "04/2021" in log.detail
