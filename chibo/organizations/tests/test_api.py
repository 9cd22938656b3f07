from datetime import date

import pytest

from chibo.accounts.tokens import token_issue
from chibo.organizations import services
from chibo.organizations.models import Organization
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db


def _get(client, user, url, **params):
    _token, raw = token_issue(user=user)
    return client.get(url, params, headers={"Authorization": f"Bearer {raw}"})


def _names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_the_org_list_holds_exactly_the_nodes_in_scope(client, world):
    assert set(_names(_get(client, world.ward_officer, "/api/v1/orgs"))) == {
        world.ward.name,
        world.anhoa.name,
        world.other_cell.name,
    }
    assert set(_names(_get(client, world.outsider, "/api/v1/orgs"))) == {
        world.other_ward.name,
        world.other_ward_cell.name,
    }
    assert _names(_get(client, world.anhoa_member, "/api/v1/orgs")) == [world.anhoa.name]


def test_an_org_item_says_what_the_node_is_and_where_it_sits(client, world):
    body = _get(client, world.ward_officer, f"/api/v1/orgs/{world.anhoa.pk}").json()
    assert body == {
        "id": world.anhoa.pk,
        "name": "Chi bộ khu vực An Hòa",
        "kind": "cell",
        "parent_id": world.ward.pk,
        "code": world.anhoa.code,
        "admin_unit": None,
        "meeting_day": 5,
        "established_on": "2000-01-01",
        "dissolved_on": None,
    }


def test_an_org_outside_scope_answers_404_in_vietnamese(client, world):
    for url in (
        f"/api/v1/orgs/{world.anhoa.pk}",
        f"/api/v1/orgs/{world.anhoa.pk}/children",
        f"/api/v1/orgs/{world.anhoa.pk}/members",
    ):
        response = _get(client, world.outsider, url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Không tìm thấy."}
    assert _get(client, world.outsider, "/api/v1/orgs/999999").status_code == 404


def test_as_of_gives_names_and_parents_as_they_stood_that_day(client, world):
    services.org_rename(actor=None, org=world.anhoa, name="Chi bộ khu vực An Hòa Mới", effective_on=date(2024, 3, 1))
    services.org_move(actor=None, org=world.other_cell, new_parent=world.other_ward, effective_on=date(2024, 6, 1))
    officer = world.town_officer

    before = {o["id"]: o for o in _get(client, officer, "/api/v1/orgs", as_of="2024-02-29").json()["items"]}
    assert before[world.anhoa.pk]["name"] == "Chi bộ khu vực An Hòa"
    assert before[world.other_cell.pk]["parent_id"] == world.ward.pk

    now = {o["id"]: o for o in _get(client, officer, "/api/v1/orgs").json()["items"]}
    assert now[world.anhoa.pk]["name"] == "Chi bộ khu vực An Hòa Mới"
    assert now[world.other_cell.pk]["parent_id"] == world.other_ward.pk

    detail = _get(client, officer, f"/api/v1/orgs/{world.anhoa.pk}", as_of="2024-02-29").json()
    assert detail["name"] == "Chi bộ khu vực An Hòa"
    assert _get(client, officer, "/api/v1/orgs", as_of="1999-12-31").json() == {"items": [], "count": 0}


def test_children_are_those_of_the_day_asked(client, world):
    services.org_move(actor=None, org=world.other_cell, new_parent=world.other_ward, effective_on=date(2024, 6, 1))
    url = f"/api/v1/orgs/{world.ward.pk}/children"
    assert _names(_get(client, world.town_officer, url, as_of="2024-05-31")) == [
        world.anhoa.name,
        world.other_cell.name,
    ]
    assert _names(_get(client, world.town_officer, url)) == [world.anhoa.name]
    # Bình Hòa sat under the ward then, but it has since left the ward officer's scope.
    assert _names(_get(client, world.ward_officer, url, as_of="2024-05-31")) == [world.anhoa.name]


def test_a_dissolved_org_is_read_as_on_its_last_day(client, world):
    services.org_dissolve(actor=None, org=world.other_cell, effective_on=date(2024, 1, 1))
    body = _get(client, world.ward_officer, f"/api/v1/orgs/{world.other_cell.pk}").json()
    assert body["name"] == world.other_cell.name
    assert body["dissolved_on"] == "2024-01-01"
    assert world.other_cell.name not in _names(_get(client, world.ward_officer, "/api/v1/orgs"))
    assert world.other_cell.name in _names(_get(client, world.ward_officer, "/api/v1/orgs", as_of="2023-12-31"))
    assert (
        _get(client, world.ward_officer, f"/api/v1/orgs/{world.other_cell.pk}", as_of="2024-01-01").status_code == 404
    )


@pytest.mark.parametrize("bad", ["hôm qua", "01/07/2025", "2025-02-30", "2025-13-01"])
def test_a_bad_as_of_is_refused_in_vietnamese(client, world, bad):
    for url in ("/api/v1/orgs", f"/api/v1/orgs/{world.ward.pk}", f"/api/v1/orgs/{world.ward.pk}/children"):
        response = _get(client, world.ward_officer, url, as_of=bad)
        assert response.status_code == 422, url
        assert "YYYY-MM-DD" in response.json()["detail"]
        assert "as_of" in response.json()["detail"]


def test_the_org_list_searches_names_and_codes(client, world):
    assert _names(_get(client, world.ward_officer, "/api/v1/orgs", search="Bình Hòa")) == [world.other_cell.name]
    assert _names(_get(client, world.ward_officer, "/api/v1/orgs", search=world.anhoa.code.lower())) == [
        world.anhoa.name
    ]
    assert _names(_get(client, world.ward_officer, "/api/v1/orgs", search="Trà Lồng")) == []


def test_an_orgs_members_list_its_subtree_in_vietnamese_order(client, world):
    for name in ["Lê Văn Ân", "Lê Văn An", "Phạm Thị Đào"]:
        MemberFactory(org=world.anhoa, full_name=name)
    MemberFactory(org=world.other_ward_cell, full_name="Ngô Văn Xa")
    names = [
        m["full_name"]
        for m in _get(client, world.ward_officer, f"/api/v1/orgs/{world.ward.pk}/members").json()["items"]
    ]
    assert names == ["Lê Văn An", "Lê Văn Ân", "Phạm Thị Đào", "Trần Văn Bí Thư", "Nguyễn Thị Thường"]


def test_an_orgs_members_need_the_right_to_list_them(client, world):
    url = f"/api/v1/orgs/{world.anhoa.pk}/members"
    assert _get(client, world.anhoa_secretary, url).status_code == 200
    # Members and supervisors see the cell, not its roll.
    assert _get(client, world.anhoa_member, url).status_code == 404
    assert _get(client, world.supervisor, url).status_code == 404
    assert _get(client, world.anhoa_member, f"/api/v1/orgs/{world.anhoa.pk}").status_code == 200


def test_the_org_list_is_paginated(client, world):
    for i in range(5):
        make_org(f"Chi bộ số {i}", Organization.Kind.CELL, world.ward)
    body = _get(client, world.ward_officer, "/api/v1/orgs", limit=2, offset=2).json()
    assert body["count"] == 8
    assert len(body["items"]) == 2
    everything = _get(client, world.ward_officer, "/api/v1/orgs", limit=1000).json()
    assert len(everything["items"]) == 8
    assert _get(client, world.ward_officer, "/api/v1/orgs", limit=0).status_code == 422


def _grow(world, n):
    for i in range(n):
        make_org(f"Chi bộ thêm {world.ward.pk}-{i}", Organization.Kind.CELL, world.ward)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/orgs", 4),  # token, grants, count, page
        ("/api/v1/orgs?as_of=2020-01-01", 4),
        ("/api/v1/orgs/{ward}/children?as_of=2020-01-01", 5),  # + the node asked for
    ],
)
def test_org_lists_take_the_same_queries_whatever_their_size(client, world, django_assert_num_queries, url, queries):
    _token, raw = token_issue(user=world.ward_officer)
    headers = {"Authorization": f"Bearer {raw}"}
    url = url.format(ward=world.ward.pk)
    client.get(url, headers=headers)  # the token's first use is recorded once

    counts = []
    for extra in (1, 12):
        _grow(world, extra)
        with django_assert_num_queries(queries) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
        world.ward.refresh_from_db()
    assert counts[0] == counts[1]


def test_org_search_ignores_diacritics(client, world):
    found = _get(client, world.ward_officer, "/api/v1/orgs", search="an hoa").json()
    assert [item["name"] for item in found["items"]] == ["Chi bộ khu vực An Hòa"]
    assert _get(client, world.ward_officer, "/api/v1/orgs", search="An Hòa").json()["count"] == 1
