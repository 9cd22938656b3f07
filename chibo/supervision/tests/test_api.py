"""Supervision and directives over the API: the same services and refusals as the pages, scoped alike."""

from datetime import date

import pytest
from django.test import Client

from chibo.accounts.models import User
from chibo.accounts.tokens import token_issue
from chibo.directives import services as directives
from chibo.supervision.tests.conftest import held
from chibo.testing.factories import World

pytestmark = pytest.mark.django_db


def _auth(user: User) -> dict[str, str]:
    _t, raw = token_issue(user=user, label="t")
    return {"Authorization": f"Bearer {raw}"}


def test_the_ward_assigns_through_the_api_and_an_overlap_is_refused_at_its_field(
    client: Client, world: World, committee_member: User
) -> None:
    auth = _auth(world.ward_officer)
    url = f"/api/v1/supervision/assignments?org={world.ward.pk}"
    body = {
        "cadre_id": committee_member.pk,
        "cell_id": world.anhoa.pk,
        "title": "Đảng ủy viên",
        "valid_from": "2021-01-01",
    }
    made = client.post(url, body, content_type="application/json", headers=auth)
    assert made.status_code == 201, made.content
    assert made.json()["cell_name"] == "Chi bộ khu vực An Hòa" and made.json()["valid_to"] is None
    again = client.post(url, body | {"valid_from": "2021-05-01"}, content_type="application/json", headers=auth)
    assert again.status_code == 422 and again.json()["field"] == "valid_from"
    assert "thời gian bị trùng" in again.json()["detail"]
    listed = client.get(url, headers=auth).json()
    assert listed["count"] == 1


def test_coverage_and_compliance_answer_in_json(client: Client, world: World, committee_member: User) -> None:
    april = held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    directive = directives.directive_register(
        actor=None,
        target=world.ward,
        number="01-CT/TW",
        issued_on=date(2021, 3, 9),
        issuer="Bộ Chính trị",
        summary="Quán triệt Nghị quyết Đại hội XIII",
        deadline=date(2021, 4, 30),
    )
    directives.dissemination_record(actor=None, directive=directive, meeting=april)
    auth = _auth(world.viewer)
    cov = client.get(f"/api/v1/supervision/coverage?org={world.ward.pk}&period=2021-Q2&as_of=2021-12-01", headers=auth)
    assert cov.status_code == 200, cov.content
    cells = {c["name"]: c for c in cov.json()["cells"]}
    assert cells["Chi bộ khu vực An Hòa"]["last_visit"] == "2021-04-05" and cells["Chi bộ khu vực Bình Hòa"]["overdue"]
    comp = client.get(f"/api/v1/directives/{directive.pk}/compliance", headers=auth).json()
    assert comp["totals"]["targeted"] == 2 and comp["totals"]["on_time"] == 1
    assert {c["cell_name"]: c["status"] for c in comp["cells"]}["Chi bộ khu vực Bình Hòa"] in ("pending", "overdue")
    assert client.get(f"/api/v1/directives/{directive.pk}/compliance", headers=_auth(world.outsider)).status_code == 404
