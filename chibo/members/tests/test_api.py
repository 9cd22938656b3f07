from datetime import date

import pytest

from chibo.accounts.tokens import token_issue
from chibo.audit.models import AccessLog
from chibo.members import services
from chibo.members.models import Member
from chibo.members.services import build_member
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _get(client, user, url, **params):
    _token, raw = token_issue(user=user)
    return client.get(url, params, headers={"Authorization": f"Bearer {raw}"})


def _names(response):
    assert response.status_code == 200, response.content
    return [item["full_name"] for item in response.json()["items"]]


ANHOA = ["Trần Văn Bí Thư", "Nguyễn Thị Thường"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ANHOA + ["Lê Văn Xa"]),
        ("town_officer", ANHOA + ["Lê Văn Xa"]),
        ("ward_officer", ANHOA),
        ("anhoa_secretary", ANHOA),
        ("viewer", ANHOA),
        ("anhoa_member", ["Nguyễn Thị Thường"]),  # their own record only
        ("other_cell_secretary", []),
        ("supervisor", []),
        ("outsider", ["Lê Văn Xa"]),
    ],
)
def test_the_member_list_holds_exactly_the_members_in_scope(client, world, persona, expected):
    MemberFactory(org=world.other_ward_cell, full_name="Lê Văn Xa")
    assert sorted(_names(_get(client, getattr(world, persona), "/api/v1/members"))) == sorted(expected)


def test_a_member_outside_scope_answers_404(client, world):
    url = f"/api/v1/members/{world.member_of_anhoa.pk}"
    assert _get(client, world.outsider, url).status_code == 404
    assert _get(client, world.other_cell_secretary, url).status_code == 404
    assert _get(client, world.supervisor, url).status_code == 404
    assert _get(client, world.viewer, url).status_code == 200


def test_a_member_reads_their_own_record_but_not_their_neighbours(client, world):
    own = _get(client, world.anhoa_member, f"/api/v1/members/{world.member_of_anhoa.pk}")
    assert own.status_code == 200
    assert own.json()["org_name"] == world.anhoa.name
    secretary = world.anhoa_secretary.member
    assert _get(client, world.anhoa_member, f"/api/v1/members/{secretary.pk}").status_code == 404


def test_reading_a_record_over_the_api_is_logged(client, world):
    member = world.member_of_anhoa
    _get(client, world.viewer, f"/api/v1/members/{member.pk}")
    _get(client, world.outsider, f"/api/v1/members/{member.pk}")  # 404: nothing was read
    _get(client, world.anhoa_member, f"/api/v1/members/{member.pk}")  # one's own record
    logged = AccessLog.objects.get()
    assert (logged.user, logged.member, logged.action) == (world.viewer, member, AccessLog.Action.API_VIEW)


def test_a_member_item_carries_the_record(client, world):
    member = MemberFactory(
        org=world.anhoa,
        full_name="Võ Thị Hồng",
        gender=Member.Gender.FEMALE,
        birth_date=date(1985, 2, 3),
        joined_on=date(2010, 5, 19),
        official_on=None,
        card_number="12345678",
    )
    item = next(i for i in _get(client, world.ward_officer, "/api/v1/members").json()["items"] if i["id"] == member.pk)
    assert item == {
        "id": member.pk,
        "full_name": "Võ Thị Hồng",
        "status": "probationary",
        "org_id": world.anhoa.pk,
        "gender": "female",
        "birth_date": "1985-02-03",
        "card_number": "12345678",
        "joined_on": "2010-05-19",
        "official_on": None,
        "strengths": "",
        "aspirations": "",
    }


def test_strengths_and_aspirations_only_for_those_who_may_see_them(client, world):
    member = world.member_of_anhoa
    services.member_update(actor=None, member=member, strengths="Tuyên truyền", aspirations="Học lý luận")
    url = f"/api/v1/members/{member.pk}"
    for persona in ("anhoa_secretary", "ward_officer", "admin"):
        body = _get(client, getattr(world, persona), url).json()
        assert (body["strengths"], body["aspirations"]) == ("Tuyên truyền", "Học lý luận"), persona
    for persona in ("viewer", "anhoa_member"):
        body = _get(client, getattr(world, persona), url).json()
        assert (body["strengths"], body["aspirations"]) == (None, None), persona
    listed = _get(client, world.viewer, "/api/v1/members").json()["items"]
    assert all(i["strengths"] is None for i in listed)


def test_members_come_in_vietnamese_name_order(client, world):
    for name in ["Trần Văn Út Nhỏ", "Lê Văn Ân", "Lê Văn An", "Phạm Thị Đào", "Ngô Văn Dũng"]:
        MemberFactory(org=world.other_cell, full_name=name)
    names = _names(_get(client, world.ward_officer, "/api/v1/members", org=world.other_cell.pk))
    assert names == ["Lê Văn An", "Lê Văn Ân", "Ngô Văn Dũng", "Phạm Thị Đào", "Trần Văn Út Nhỏ"]


@pytest.mark.parametrize("text", ["truong", "Trường", "TRUONG", "vo truong", "võ trường"])
def test_search_matches_with_and_without_diacritics(client, world, text):
    MemberFactory(org=world.anhoa, full_name="Võ Văn Trường")
    MemberFactory(org=world.anhoa, full_name="Võ Văn Tường")
    assert _names(_get(client, world.ward_officer, "/api/v1/members", search=text)) == ["Võ Văn Trường"]


def test_search_finds_a_card_number(client, world):
    MemberFactory(org=world.anhoa, full_name="Đặng Văn Sổ", card_number="99887766")
    assert _names(_get(client, world.ward_officer, "/api/v1/members", search="99887766")) == ["Đặng Văn Sổ"]


def test_the_org_filter_narrows_to_a_subtree_and_refuses_outside_scope(client, world):
    MemberFactory(org=world.other_cell, full_name="Hồ Văn Bình")
    assert _names(_get(client, world.ward_officer, "/api/v1/members", org=world.other_cell.pk)) == ["Hồ Văn Bình"]
    assert len(_names(_get(client, world.ward_officer, "/api/v1/members", org=world.ward.pk))) == 3
    refused = _get(client, world.outsider, "/api/v1/members", org=world.anhoa.pk)
    assert refused.status_code == 404
    # A member may see their own record but not list their cell.
    assert _get(client, world.anhoa_member, "/api/v1/members", org=world.anhoa.pk).status_code == 404


def test_the_status_filter_and_members_who_left(client, world):
    MemberFactory(org=world.anhoa, full_name="Lý Thị Dự", official_on=None, joined_on=date(2025, 1, 10))
    gone = MemberFactory(org=world.anhoa, full_name="Mai Văn Đi")
    services.member_leave(actor=None, member=gone, left_on=date(2025, 3, 1), reason=Member.LeftReason.DECEASED)
    url = "/api/v1/members"
    assert _names(_get(client, world.ward_officer, url, status="probationary")) == ["Lý Thị Dự"]
    assert "Mai Văn Đi" not in _names(_get(client, world.ward_officer, url))
    assert _get(client, world.ward_officer, url, status="dead").status_code == 422


def test_member_lists_are_paginated_up_to_200_a_page(client, world):
    Member.objects.bulk_create(
        build_member(
            full_name=f"Nguyễn Văn Số {i:03d}",
            org=world.anhoa,
            gender=Member.Gender.MALE,
            birth_date=date(1970, 1, 1),
            joined_on=date(2000, 1, 1),
            official_on=date(2001, 1, 1),
        )
        for i in range(205)
    )
    first = _get(client, world.ward_officer, "/api/v1/members").json()
    assert set(first) == {"items", "count"}
    assert first["count"] == 207
    assert len(first["items"]) == 50
    assert len(_get(client, world.ward_officer, "/api/v1/members", limit=500).json()["items"]) == 200
    tail = _get(client, world.ward_officer, "/api/v1/members", limit=10, offset=200).json()
    assert len(tail["items"]) == 7
    assert tail["count"] == 207


@pytest.mark.parametrize(
    "url", ["/api/v1/members", "/api/v1/members?org={anhoa}&search=van", "/api/v1/orgs/{anhoa}/members"]
)
def test_member_lists_take_the_same_queries_whatever_their_size(client, world, django_assert_num_queries, url):
    _token, raw = token_issue(user=world.ward_officer)
    headers = {"Authorization": f"Bearer {raw}"}
    url = url.format(anhoa=world.anhoa.pk)
    client.get(url, headers=headers)  # the token's first use is recorded once

    counts = []
    for extra in (1, 15):
        MemberFactory.create_batch(extra, org=world.anhoa, full_name="Phan Văn Thêm")
        expected = 4 if "org=" not in url and "/orgs/" not in url else 5  # + the node asked for
        with django_assert_num_queries(expected) as captured:  # token, grants, (node,) count, page
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert response.json()["count"] >= extra
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
