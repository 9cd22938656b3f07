"""The member pages: list, record and the forms that change a member, for each persona."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.members import services
from chibo.members.models import Exemption, Member, Membership, Position
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db

ACTIONS = ["edit", "transfer", "exempt", "assign_position", "leave"]


def _as(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def _url(name: str, member: Member) -> str:
    return reverse(f"members:{name}", args=[member.pk])


def _profile(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Võ Văn Trường",
        "gender": "male",
        "birth_date": "17/05/1970",
        "card_number": "99887766",
        "joined_on": "03/02/2000",
        "official_on": "03/02/2001",
        "phone": "0909123456",
        "strengths": "Tuyên truyền",
    }
    data.update(changes)
    return data


def _snapshot(member: Member) -> tuple:  # type: ignore[type-arg]
    member.refresh_from_db()
    return (
        member.full_name,
        member.org_id,
        member.left_on,
        member.memberships.count(),
        member.positions.count(),
        member.exemptions.count(),
    )


# --- List and record --------------------------------------------------------------------------------


def test_the_list_finds_a_name_typed_without_diacritics(client, world):
    MemberFactory(org=world.anhoa, full_name="Võ Văn Trường")
    page = _as(client, world.anhoa_secretary).get(reverse("members:list"), {"q": "truong"}).content.decode()
    assert "Võ Văn Trường" in page and "Nguyễn Thị Thường" not in page


def test_the_list_keeps_its_query_count_as_members_grow(client, world, django_assert_num_queries):
    MemberFactory.create_batch(3, org=world.anhoa)  # 5 with the world's two
    _as(client, world.ward_officer)
    variants = [{}, {"org": world.anhoa.pk, "status": "official", "q": "a"}]
    counts = []
    for params in variants:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("members:list"), params).status_code == 200
        counts.append(len(captured.captured_queries))
    MemberFactory.create_batch(35, org=world.anhoa)
    for params, expected in zip(variants, counts, strict=True):
        with django_assert_num_queries(expected):
            response = client.get(reverse("members:list"), params)
    assert response.status_code == 200
    assert client.get(reverse("members:list")).context["page"].paginator.count == 40


def test_the_add_button_shows_only_to_those_who_may_add(client, world):
    assert reverse("members:create") in _as(client, world.anhoa_secretary).get(reverse("members:list")).content.decode()
    assert reverse("members:create") not in _as(client, world.viewer).get(reverse("members:list")).content.decode()


def test_the_record_shows_strengths_and_actions_to_the_cell_committee_only(client, world):
    member = world.member_of_anhoa
    services.member_update(actor=None, member=member, strengths="Giỏi tin học")
    page = _as(client, world.anhoa_secretary).get(member.get_absolute_url()).content.decode()
    assert "Giỏi tin học" in page and _url("transfer", member) in page
    for persona in (world.viewer, world.anhoa_member):
        page = _as(client, persona).get(member.get_absolute_url()).content.decode()
        assert "Giỏi tin học" not in page and _url("edit", member) not in page


def test_a_record_outside_scope_is_not_found(client, world):
    assert _as(client, world.outsider).get(world.member_of_anhoa.get_absolute_url()).status_code == 404


# --- Who may change a member ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTIONS)
def test_those_who_may_only_read_are_forbidden_and_nothing_changes(client, world, name):
    member = world.member_of_anhoa
    before = _snapshot(member)
    # The viewer reads the ward's members; a plain member reads their own record.
    for persona in (world.viewer, world.anhoa_member):
        _as(client, persona)
        assert client.get(_url(name, member)).status_code == 403
        response = client.post(
            _url(name, member),
            _profile(to_org=world.other_cell.pk, effective_on="01/07/2025", title="secretary", started_on="01/07/2025"),
        )
        assert response.status_code == 403
    assert _snapshot(member) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_those_outside_scope_get_not_found_and_nothing_changes(client, world, name):
    member = world.member_of_anhoa
    before = _snapshot(member)
    for persona in (world.outsider, world.other_cell_secretary):
        response = _as(client, persona).post(_url(name, member), _profile(left_on="01/07/2025", reason="deceased"))
        assert response.status_code == 404
    assert _snapshot(member) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_the_cell_committee_opens_every_form(client, world, name):
    assert _as(client, world.anhoa_secretary).get(_url(name, world.member_of_anhoa)).status_code == 200


# --- Create and edit --------------------------------------------------------------------------------


def test_a_secretary_adds_a_member_to_their_cell(client, world):
    _as(client, world.anhoa_secretary)
    form_page = client.get(reverse("members:create"))
    assert form_page.context["form"]["org"].value() == world.anhoa.pk  # their only cell, chosen already
    response = client.post(reverse("members:create"), _profile(org=world.anhoa.pk, roll_started_on="01/03/2020"))
    member = Member.objects.get(card_number="99887766")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert (member.org, member.given_name, member.status) == (world.anhoa, "Trường", Member.Status.OFFICIAL)
    assert member.birth_date == date(1970, 5, 17) and member.strengths == "Tuyên truyền"
    assert member.memberships.get().started_on == date(2020, 3, 1)


def test_a_member_cannot_be_added_to_a_cell_outside_the_users_scope(client, world):
    response = _as(client, world.anhoa_secretary).post(reverse("members:create"), _profile(org=world.other_cell.pk))
    assert response.status_code == 400
    assert "lựa chọn hợp lệ" in response.context["form"].errors["org"][0]
    assert not Member.objects.filter(card_number="99887766").exists()


def test_the_add_form_is_forbidden_to_those_who_edit_no_cell(client, world):
    assert _as(client, world.viewer).get(reverse("members:create")).status_code == 403
    assert (
        _as(client, world.anhoa_member).post(reverse("members:create"), _profile(org=world.anhoa.pk)).status_code == 403
    )
    assert not Member.objects.filter(card_number="99887766").exists()


def test_a_duplicate_card_number_is_shown_beside_the_field(client, world):
    MemberFactory(org=world.other_cell, card_number="99887766")
    response = _as(client, world.anhoa_secretary).post(reverse("members:create"), _profile(org=world.anhoa.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["card_number"] == ["Số thẻ đảng viên 99887766 đã có trong hệ thống."]
    assert Member.objects.filter(card_number="99887766").count() == 1


def test_bad_dates_are_refused_in_vietnamese_and_nothing_is_saved(client, world):
    response = _as(client, world.anhoa_secretary).post(
        reverse("members:create"), _profile(org=world.anhoa.pk, birth_date="31/02/1970", joined_on="2000/02/03")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["birth_date"] == ["Ngày 31/02/1970 không tồn tại: tháng 2 năm 1970 chỉ có 28 ngày."]
    assert errors["joined_on"] == ["Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021."]
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    assert not Member.objects.filter(card_number="99887766").exists()


def test_an_official_date_before_joining_is_shown_beside_it(client, world):
    response = _as(client, world.anhoa_secretary).post(
        reverse("members:create"), _profile(org=world.anhoa.pk, official_on="01/01/1999")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["official_on"] == ["Ngày chính thức không được trước ngày vào Đảng."]
    assert not Member.objects.filter(card_number="99887766").exists()


def test_the_edit_form_shows_dates_as_dd_mm_yyyy_and_saves_changes(client, world):
    member = world.member_of_anhoa
    _as(client, world.anhoa_secretary)
    assert 'value="17/05/1970"' in client.get(_url("edit", member)).content.decode()
    response = client.post(_url("edit", member), _profile(full_name="nguyễn  thị thường", official_on=""))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Thị Thường"
    assert (member.status, member.card_number, member.phone) == (Member.Status.PROBATIONARY, "99887766", "0909123456")


def test_an_edit_with_a_future_birth_date_saves_nothing(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.anhoa_secretary).post(_url("edit", member), _profile(birth_date="01/01/2999"))
    assert response.status_code == 400
    assert response.context["form"].errors["birth_date"] == ["Ngày sinh không được ở tương lai."]
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Thị Thường"


# --- Transfer ---------------------------------------------------------------------------------------


def test_a_ward_officer_transfers_a_member_officially(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.ward_officer).post(
        _url("transfer", member),
        {"to_org": world.other_cell.pk, "kind": "official", "effective_on": "01/07/2025", "reason": "Chuyển nhà"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.org == world.other_cell
    roll = member.memberships.get(ended_on__isnull=True, kind="official")
    assert (roll.org, roll.started_on, roll.reason) == (world.other_cell, date(2025, 7, 1), "Chuyển nhà")


def test_a_temporary_transfer_keeps_the_roll(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.ward_officer).post(
        _url("transfer", member), {"to_org": world.other_cell.pk, "kind": "temporary", "effective_on": "01/07/2025"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.org == world.anhoa
    assert member.memberships.get(kind="temporary", ended_on__isnull=True).org == world.other_cell


def test_a_secretary_cannot_transfer_to_a_cell_outside_their_scope(client, world):
    member = world.member_of_anhoa
    _as(client, world.anhoa_secretary)
    assert "Không có chi bộ nào khác" in client.get(_url("transfer", member)).content.decode()
    response = client.post(
        _url("transfer", member), {"to_org": world.other_cell.pk, "kind": "official", "effective_on": "01/07/2025"}
    )
    assert response.status_code == 400
    assert "lựa chọn hợp lệ" in response.context["form"].errors["to_org"][0]
    member.refresh_from_db()
    assert member.org == world.anhoa


def test_a_transfer_before_the_current_roll_began_is_refused_beside_the_date(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.ward_officer).post(
        _url("transfer", member), {"to_org": world.other_cell.pk, "kind": "official", "effective_on": "01/01/1999"}
    )
    assert response.status_code == 400
    assert "Ngày chuyển phải sau ngày" in response.context["form"].errors["effective_on"][0]
    assert Membership.objects.filter(member=member).count() == 1


# --- Exemption --------------------------------------------------------------------------------------


def test_a_secretary_exempts_a_member_and_ends_the_exemption(client, world):
    member = world.member_of_anhoa
    _as(client, world.anhoa_secretary)
    response = client.post(
        _url("exempt", member),
        {"reason": "old_age", "scope": "work_and_meetings", "started_on": "01/01/2025", "wants_notices": "on"},
    )
    assert response.status_code == 302
    exemption = Exemption.objects.get(member=member)
    assert (exemption.reason, exemption.started_on, exemption.ended_on) == ("old_age", date(2025, 1, 1), None)
    assert exemption.wants_notices
    end_url = reverse("members:end_exemption", args=[member.pk, exemption.pk])
    assert end_url in client.get(member.get_absolute_url()).content.decode()
    assert client.post(end_url, {"ended_on": "01/06/2025"}).status_code == 302
    exemption.refresh_from_db()
    assert exemption.ended_on == date(2025, 6, 1)


def test_working_far_without_an_end_date_is_refused_beside_it(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.anhoa_secretary).post(
        _url("exempt", member), {"reason": "working_far", "scope": "work_only", "started_on": "01/01/2025"}
    )
    assert response.status_code == 400
    assert "dưới 12 tháng" in response.context["form"].errors["ended_on"][0]
    assert not Exemption.objects.filter(member=member).exists()


def test_ending_an_exemption_before_it_began_saves_nothing(client, world):
    member = world.member_of_anhoa
    exemption = services.member_exempt(actor=None, member=member, reason="ill_health", started_on=date(2025, 1, 1))
    url = reverse("members:end_exemption", args=[member.pk, exemption.pk])
    response = _as(client, world.anhoa_secretary).post(url, {"ended_on": "01/12/2024"})
    assert response.status_code == 400
    assert response.context["form"].errors["ended_on"] == ["Ngày kết thúc phải sau ngày bắt đầu miễn."]
    exemption.refresh_from_db()
    assert exemption.ended_on is None


def test_ending_an_exemption_is_forbidden_to_a_viewer_and_unknown_elsewhere(client, world):
    member = world.member_of_anhoa
    exemption = services.member_exempt(actor=None, member=member, reason="ill_health", started_on=date(2025, 1, 1))
    url = reverse("members:end_exemption", args=[member.pk, exemption.pk])
    assert _as(client, world.viewer).post(url, {"ended_on": "01/06/2025"}).status_code == 403
    assert _as(client, world.outsider).post(url, {"ended_on": "01/06/2025"}).status_code == 404
    other = MemberFactory(org=world.anhoa)
    wrong = reverse("members:end_exemption", args=[other.pk, exemption.pk])
    assert _as(client, world.anhoa_secretary).post(wrong, {"ended_on": "01/06/2025"}).status_code == 404
    exemption.refresh_from_db()
    assert exemption.ended_on is None


# --- Position ---------------------------------------------------------------------------------------


def test_a_new_secretary_replaces_the_previous_one(client, world):
    old = world.anhoa_secretary.member
    services.position_assign(actor=None, member=old, title="secretary", started_on=date(2020, 1, 1))
    member = world.member_of_anhoa
    response = _as(client, world.ward_officer).post(
        _url("assign_position", member), {"title": "secretary", "started_on": "01/07/2025"}
    )
    assert response.status_code == 302
    assert Position.objects.get(org=world.anhoa, title="secretary", ended_on__isnull=True).member == member
    assert Position.objects.get(member=old).ended_on == date(2025, 7, 1)


def test_a_position_starting_before_the_holders_is_refused_beside_the_date(client, world):
    services.position_assign(
        actor=None, member=world.anhoa_secretary.member, title="secretary", started_on=date(2024, 1, 1)
    )
    response = _as(client, world.ward_officer).post(
        _url("assign_position", world.member_of_anhoa), {"title": "secretary", "started_on": "01/01/2023"}
    )
    assert response.status_code == 400
    assert "ngày bắt đầu phải sau ngày đó" in response.context["form"].errors["started_on"][0]
    assert Position.objects.filter(ended_on__isnull=True).count() == 1


# --- Off the roll -----------------------------------------------------------------------------------


def test_a_secretary_takes_a_member_off_the_roll(client, world):
    member = world.member_of_anhoa
    _as(client, world.anhoa_secretary)
    response = client.post(_url("leave", member), {"left_on": "01/07/2025", "reason": "deceased"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.left_reason) == (date(2025, 7, 1), "deceased")
    assert not member.memberships.filter(ended_on__isnull=True).exists()
    assert member not in client.get(reverse("members:list")).context["page"].object_list
    # The record stays readable; only editing is offered for a member who left.
    page = client.get(member.get_absolute_url()).content.decode()
    assert _url("edit", member) in page and _url("transfer", member) not in page


def test_leaving_in_the_future_is_refused_and_nothing_changes(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.anhoa_secretary).post(
        _url("leave", member), {"left_on": "01/01/2999", "reason": "other"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["left_on"] == ["Ngày ra khỏi danh sách không được ở tương lai."]
    member.refresh_from_db()
    assert member.is_active


def test_leaving_without_a_reason_is_refused(client, world):
    member = world.member_of_anhoa
    response = _as(client, world.anhoa_secretary).post(_url("leave", member), {"left_on": "01/07/2025", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Trường này là bắt buộc."]
    member.refresh_from_db()
    assert member.is_active


def test_the_list_and_a_record_cost_the_same_queries_for_a_ward_and_the_province_at_two_sizes(client, world):
    """bench/run.py times these pages for a ward's and a province's officer: neither grows with the scope."""
    from chibo.accounts.models import Role
    from chibo.testing.factories import make_user

    province_officer = make_user("tinh.uy", (Role.OFFICER, world.province))
    record = reverse("members:detail", args=[world.member_of_anhoa.pk])

    def counts() -> list[int]:
        found = []
        for user in (world.ward_officer, province_officer):
            _as(client, user)
            for url in (reverse("members:list"), record):
                client.get(url)  # the session's first read
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                found.append(len(captured.captured_queries))
        return found

    small = counts()
    MemberFactory.create_batch(30, org=world.anhoa)
    MemberFactory.create_batch(30, org=world.other_ward_cell)
    assert counts() == small
    assert small[0] == small[2] and small[1] == small[3]  # the ward's officer and the province's alike
