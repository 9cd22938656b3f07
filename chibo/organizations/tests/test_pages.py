"""The organization pages: the tree, a node, and the restructuring forms, for each persona."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.members.models import Member, Membership
from chibo.organizations import forms as org_forms
from chibo.organizations import services
from chibo.organizations.models import AdministrativeUnit, Organization, RestructuringEvent
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db


def _url(name: str, org: Organization) -> str:
    return reverse(f"organizations:{name}", args=[org.pk])


def _as(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def _same_queries_at_two_sizes(client, django_assert_num_queries, url, grow):  # type: ignore[no-untyped-def]
    """Count the queries of `url`, grow the data with `grow()`, and require the same count again."""
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.fixture(autouse=True)
def _fresh_unit_search():  # type: ignore[no-untyped-def]
    # A rolled-back test may leave the same count and highest id with other names (SQLite reuses ids).
    org_forms.forget_units()
    yield
    org_forms.forget_units()


@pytest.fixture
def units(db):  # type: ignore[no-untyped-def]
    Level = AdministrativeUnit.Level
    can_tho = AdministrativeUnit.objects.create(code="P92", name="Thành phố Cần Thơ", level=Level.PROVINCE)
    hcm = AdministrativeUnit.objects.create(code="P79", name="Thành phố Hồ Chí Minh", level=Level.PROVINCE)
    made = {
        "binh_thanh_ct": AdministrativeUnit.objects.create(
            code="W31471", name="Phường Bình Thạnh", level=Level.WARD, parent=can_tho
        ),
        "binh_thanh_hcm": AdministrativeUnit.objects.create(
            code="W26944", name="Phường Bình Thạnh", level=Level.WARD, parent=hcm
        ),
        "long_my": AdministrativeUnit.objects.create(
            code="W31480", name="Phường Long Mỹ", level=Level.WARD, parent=can_tho
        ),
        "old": AdministrativeUnit.objects.create(
            code="W99999", name="Phường Bình Thạnh Cũ", level=Level.WARD, parent=can_tho, is_current=False
        ),
    }
    return made


# --- Tree and node ----------------------------------------------------------------------------------


def test_the_tree_shows_the_users_top_node_and_its_children(client, world):
    page = _as(client, world.ward_officer).get(reverse("organizations:tree")).content.decode()
    assert "Đảng bộ phường Bình Thạnh" in page
    assert "Chi bộ khu vực An Hòa" in page
    assert "Đảng bộ thị xã Long Mỹ" not in page
    assert "Đảng bộ phường Trà Lồng" not in page


def test_the_tree_on_a_past_date_shows_the_old_names(client, world):
    services.org_rename(actor=None, org=world.anhoa, name="Chi bộ khu phố An Hòa", effective_on=date(2025, 7, 1))
    _as(client, world.ward_officer)
    then = client.get(reverse("organizations:tree"), {"as_of": "05/04/2021"}).content.decode()
    now = client.get(reverse("organizations:tree")).content.decode()
    assert "Chi bộ khu vực An Hòa" in then and "Chi bộ khu phố An Hòa" not in then
    assert "Chi bộ khu phố An Hòa" in now


def test_the_tree_keeps_its_query_count_as_children_grow(client, world, django_assert_num_queries):
    for i in range(5):
        make_org(f"Chi bộ {i}", Organization.Kind.CELL, world.ward)

    def grow() -> None:
        for i in range(35):
            make_org(f"Chi bộ thêm {i}", Organization.Kind.CELL, world.ward)

    _as(client, world.ward_officer)
    _same_queries_at_two_sizes(client, django_assert_num_queries, reverse("organizations:tree"), grow)
    assert client.get(reverse("organizations:tree")).content.decode().count("Chi bộ thêm") == 35


def test_the_node_page_keeps_its_query_count_as_children_grow(client, world, django_assert_num_queries):
    for i in range(5):
        make_org(f"Chi bộ {i}", Organization.Kind.CELL, world.ward)

    def grow() -> None:
        for i in range(35):
            make_org(f"Chi bộ thêm {i}", Organization.Kind.CELL, world.ward)
            services.org_rename(
                actor=None,
                org=Organization.objects.get(name=f"Chi bộ thêm {i}"),
                name=f"CB {i}",
                effective_on=date(2024, 1, 1),
            )

    _as(client, world.ward_officer)
    _same_queries_at_two_sizes(client, django_assert_num_queries, _url("detail", world.ward), grow)


def test_a_cell_page_keeps_its_query_count_as_members_grow(client, world, django_assert_num_queries):
    _as(client, world.ward_officer)
    _same_queries_at_two_sizes(
        client,
        django_assert_num_queries,
        _url("detail", world.anhoa),
        lambda: MemberFactory.create_batch(38, org=world.anhoa),
    )


def test_a_node_outside_scope_is_not_found(client, world):
    assert _as(client, world.outsider).get(_url("detail", world.anhoa)).status_code == 404


def test_restructuring_buttons_show_only_to_those_who_may_restructure(client, world):
    assert "Đổi tên" in _as(client, world.ward_officer).get(_url("detail", world.anhoa)).content.decode()
    for persona in (world.viewer, world.anhoa_secretary, world.anhoa_member):
        page = _as(client, persona).get(_url("detail", world.anhoa)).content.decode()
        assert "Đổi tên" not in page and _url("rename", world.anhoa) not in page


# --- Who may open the forms -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["create_child", "rename", "move", "merge", "dissolve"])
def test_restructuring_forms_are_forbidden_to_those_who_only_see_the_node(client, world, name):
    assert _as(client, world.viewer).get(_url(name, world.ward)).status_code == 403


@pytest.mark.parametrize("name", ["rename", "move", "merge", "split", "dissolve"])
def test_a_cell_secretary_may_not_restructure_their_cell(client, world, name):
    response = _as(client, world.anhoa_secretary).post(
        _url(name, world.anhoa), {"name": "Tên khác", "effective_on": "01/07/2025"}
    )
    assert response.status_code == 403
    world.anhoa.refresh_from_db()
    assert world.anhoa.name == "Chi bộ khu vực An Hòa" and world.anhoa.is_active


@pytest.mark.parametrize("name", ["create_child", "rename", "move", "merge", "split", "dissolve"])
def test_restructuring_forms_outside_scope_are_not_found(client, world, name):
    response = _as(client, world.outsider).post(_url(name, world.anhoa), {"effective_on": "01/07/2025"})
    assert response.status_code == 404
    assert not RestructuringEvent.objects.exclude(kind="create").exists()


def test_the_forms_open_for_an_officer(client, world):
    _as(client, world.ward_officer)
    for name in ("create_child", "rename", "move", "merge", "dissolve"):
        assert client.get(_url(name, world.ward)).status_code == 200, name
    for name in ("rename", "move", "merge", "split", "dissolve"):
        assert client.get(_url(name, world.anhoa)).status_code == 200, name


def test_a_cell_has_no_children_and_a_committee_is_not_split(client, world):
    _as(client, world.ward_officer)
    assert client.get(_url("create_child", world.anhoa)).status_code == 403
    assert client.get(_url("split", world.ward)).status_code == 403


# --- Create a child ---------------------------------------------------------------------------------


def test_an_officer_creates_a_cell_with_its_administrative_unit(client, world, units):
    response = _as(client, world.ward_officer).post(
        _url("create_child", world.ward),
        {
            "kind": Organization.Kind.CELL,
            "name": "Chi bộ khu vực Mới",
            "code": "BT-MOI",
            "admin_unit": units["binh_thanh_ct"].pk,
            "meeting_day": "5",
            "established_on": "01/02/2024",
            "decision": "12-QĐ/ĐU",
        },
    )
    cell = Organization.objects.get(code="BT-MOI")
    assert response.status_code == 302 and response["Location"] == cell.get_absolute_url()
    assert Organization.objects.get_parent(cell) == world.ward
    assert (cell.kind, cell.meeting_day, cell.established_on) == (Organization.Kind.CELL, 5, date(2024, 2, 1))
    assert cell.admin_unit == units["binh_thanh_ct"]
    assert RestructuringEvent.objects.get(org=cell, kind="create").decision == "12-QĐ/ĐU"


def test_a_duplicate_code_is_shown_beside_the_field_and_nothing_is_created(client, world):
    response = _as(client, world.ward_officer).post(
        _url("create_child", world.ward),
        {
            "kind": Organization.Kind.CELL,
            "name": "Chi bộ trùng mã",
            "code": world.anhoa.code,
            "established_on": "01/02/2024",
        },
    )
    assert response.status_code == 400
    assert f"Mã {world.anhoa.code} đã được dùng" in response.context["form"].errors["code"][0]
    assert not Organization.objects.filter(name="Chi bộ trùng mã").exists()


def test_a_date_not_in_dd_mm_yyyy_is_refused_in_vietnamese(client, world):
    response = _as(client, world.ward_officer).post(
        _url("create_child", world.ward),
        {"kind": Organization.Kind.CELL, "name": "Chi bộ sai ngày", "code": "X1", "established_on": "02/2024"},
    )
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.context["form"].errors["established_on"][0]
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    assert not Organization.objects.filter(code="X1").exists()
    # A day that is not on the calendar says so.
    response = _as(client, world.ward_officer).post(
        _url("create_child", world.ward),
        {"kind": Organization.Kind.CELL, "name": "Chi bộ sai ngày", "code": "X1", "established_on": "31/02/2024"},
    )
    assert response.context["form"].errors["established_on"] == [
        "Ngày 31/02/2024 không tồn tại: tháng 2 năm 2024 chỉ có 29 ngày."
    ]
    assert not Organization.objects.filter(code="X1").exists()


def test_a_kind_that_cannot_sit_under_the_parent_is_not_offered(client, world):
    response = _as(client, world.ward_officer).post(
        _url("create_child", world.ward),
        {"kind": Organization.Kind.PROVINCE_COMMITTEE, "name": "Tỉnh lạ", "code": "X2", "established_on": "01/02/2024"},
    )
    assert response.status_code == 400
    assert "lựa chọn hợp lệ" in response.context["form"].errors["kind"][0]
    assert not Organization.objects.filter(code="X2").exists()


# --- Rename -----------------------------------------------------------------------------------------


def test_an_officer_renames_a_cell_from_a_date(client, world):
    response = _as(client, world.ward_officer).post(
        _url("rename", world.anhoa), {"name": "Chi bộ khu phố An Hòa", "effective_on": "01/07/2025", "decision": "5"}
    )
    assert response.status_code == 302
    world.anhoa.refresh_from_db()
    assert world.anhoa.name == "Chi bộ khu phố An Hòa"
    assert world.anhoa.versions.get(valid_to__isnull=True).valid_from == date(2025, 7, 1)


def test_a_rename_in_the_future_is_refused_beside_the_date(client, world):
    response = _as(client, world.ward_officer).post(
        _url("rename", world.anhoa), {"name": "Tên mới", "effective_on": "01/01/2099"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["effective_on"] == ["Ngày hiệu lực không được ở tương lai."]
    world.anhoa.refresh_from_db()
    assert world.anhoa.name == "Chi bộ khu vực An Hòa"


# --- Move -------------------------------------------------------------------------------------------


def test_a_town_officer_moves_a_cell_to_another_ward(client, world):
    member_count = Member.objects.filter(org=world.anhoa).count()
    response = _as(client, world.town_officer).post(
        _url("move", world.anhoa), {"parent": world.other_ward.pk, "effective_on": "01/07/2025"}
    )
    assert response.status_code == 302
    world.anhoa.refresh_from_db()
    assert Organization.objects.get_parent(world.anhoa) == world.other_ward
    assert Member.objects.filter(org=world.anhoa).count() == member_count


def test_a_ward_officer_cannot_move_a_cell_outside_their_ward(client, world):
    page = _as(client, world.ward_officer).get(_url("move", world.anhoa)).content.decode()
    assert "Đảng bộ phường Trà Lồng" not in page
    response = client.post(_url("move", world.anhoa), {"parent": world.other_ward.pk, "effective_on": "01/07/2025"})
    assert response.status_code == 400
    assert "lựa chọn hợp lệ" in response.context["form"].errors["parent"][0]
    assert Organization.objects.get_parent(Organization.objects.get(pk=world.anhoa.pk)) == world.ward


def test_a_move_that_breaks_the_kinds_is_refused_beside_the_parent(client, world):
    response = _as(client, world.town_officer).post(
        _url("move", world.anhoa), {"parent": world.town.pk, "effective_on": "01/07/2025"}
    )
    assert response.status_code == 400
    assert "Không thể đặt chi bộ trực thuộc" in response.context["form"].errors["parent"][0]
    assert Organization.objects.get_parent(Organization.objects.get(pk=world.anhoa.pk)) == world.ward


def test_a_cell_moved_under_the_town_may_become_a_grassroots_cell(client, world):
    response = _as(client, world.town_officer).post(
        _url("move", world.anhoa),
        {"parent": world.town.pk, "kind": Organization.Kind.GRASSROOTS_CELL, "effective_on": "01/07/2025"},
    )
    assert response.status_code == 302
    world.anhoa.refresh_from_db()
    assert world.anhoa.kind == Organization.Kind.GRASSROOTS_CELL


# --- Merge ------------------------------------------------------------------------------------------


def test_an_officer_merges_a_cell_into_a_sibling_and_nobody_is_lost(client, world):
    MemberFactory.create_batch(3, org=world.other_cell)
    before = Member.objects.current().filter(org__in=[world.anhoa, world.other_cell]).count()
    response = _as(client, world.ward_officer).post(
        _url("merge", world.other_cell), {"target": world.anhoa.pk, "effective_on": "01/07/2025", "decision": "7"}
    )
    assert response.status_code == 302 and response["Location"] == world.anhoa.get_absolute_url()
    assert Member.objects.current().filter(org=world.anhoa).count() == before
    world.other_cell.refresh_from_db()
    assert world.other_cell.dissolved_on == date(2025, 7, 1)


def test_merging_several_siblings_at_once(client, world):
    third = make_org("Chi bộ khu vực Ba", Organization.Kind.CELL, world.ward)
    MemberFactory.create_batch(2, org=third)
    response = _as(client, world.ward_officer).post(
        _url("merge", world.other_cell),
        {"target": world.anhoa.pk, "sources": [third.pk], "effective_on": "01/07/2025"},
    )
    assert response.status_code == 302
    assert set(Organization.objects.filter(dissolved_on=date(2025, 7, 1))) == {world.other_cell, third}
    assert Member.objects.filter(org=third).count() == 0


def test_the_merge_target_must_be_a_sibling_the_user_may_restructure(client, world):
    response = _as(client, world.town_officer).post(
        _url("merge", world.other_cell), {"target": world.other_ward_cell.pk, "effective_on": "01/07/2025"}
    )
    assert response.status_code == 400
    assert "lựa chọn hợp lệ" in response.context["form"].errors["target"][0]
    world.other_cell.refresh_from_db()
    assert world.other_cell.is_active


def test_the_target_cannot_also_be_a_source(client, world):
    response = _as(client, world.ward_officer).post(
        _url("merge", world.other_cell),
        {"target": world.anhoa.pk, "sources": [world.anhoa.pk], "effective_on": "01/07/2025"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["sources"]
    assert Organization.objects.filter(dissolved_on__isnull=False).count() == 0


# --- Split ------------------------------------------------------------------------------------------


def _split_data(world, assignment: dict[int, str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "parts": 2,
        "part_1_name": "Chi bộ An Hòa 1",
        "part_1_code": "AH1",
        "part_2_name": "Chi bộ An Hòa 2",
        "part_2_code": "AH2",
        "part_2_meeting_day": "10",
        "effective_on": "01/07/2025",
    }
    data.update({f"member_{pk}": part for pk, part in assignment.items()})
    return data


def test_an_officer_splits_a_cell_with_one_select_per_member(client, world):
    extra = MemberFactory(org=world.anhoa, full_name="Lê Văn Ba")
    ids = sorted(Member.objects.filter(org=world.anhoa).values_list("pk", flat=True))
    page = _as(client, world.ward_officer).get(_url("split", world.anhoa)).content.decode()
    assert page.count('name="member_') == len(ids)
    response = client.post(_url("split", world.anhoa), _split_data(world, {ids[0]: "1", ids[1]: "2", extra.pk: "2"}))
    assert response.status_code == 302
    first, second = Organization.objects.get(code="AH1"), Organization.objects.get(code="AH2")
    assert Member.objects.filter(org=first).count() == 1
    assert Member.objects.filter(org=second).count() == 2 and second.meeting_day == 10
    world.anhoa.refresh_from_db()
    assert not world.anhoa.is_active


def test_a_split_with_a_member_left_out_saves_nothing(client, world):
    ids = sorted(Member.objects.filter(org=world.anhoa).values_list("pk", flat=True))
    response = _as(client, world.ward_officer).post(_url("split", world.anhoa), _split_data(world, {ids[0]: "1"}))
    assert response.status_code == 400
    assert response.context["form"].errors[f"member_{ids[1]}"] == ["Trường này là bắt buộc."]
    assert not Organization.objects.filter(code__in=["AH1", "AH2"]).exists()
    assert Membership.objects.filter(org=world.anhoa, ended_on__isnull=True).count() == 2


def test_the_split_form_offers_more_parts_on_request(client, world):
    page = _as(client, world.ward_officer).get(_url("split", world.anhoa), {"parts": "3"}).content.decode()
    assert 'name="part_3_name"' in page and 'name="part_4_name"' not in page


def test_two_new_cells_with_one_code_are_refused(client, world):
    ids = sorted(Member.objects.filter(org=world.anhoa).values_list("pk", flat=True))
    data = _split_data(world, {ids[0]: "1", ids[1]: "2"}) | {"part_2_code": "AH1"}
    response = _as(client, world.ward_officer).post(_url("split", world.anhoa), data)
    assert response.status_code == 400
    assert response.context["form"].errors["part_2_code"]
    assert not Organization.objects.filter(code="AH1").exists()


# --- Dissolve ---------------------------------------------------------------------------------------


def test_an_officer_dissolves_an_empty_cell(client, world):
    response = _as(client, world.ward_officer).post(
        _url("dissolve", world.other_cell), {"effective_on": "01/07/2025", "decision": "9-QĐ/ĐU"}
    )
    assert response.status_code == 302
    world.other_cell.refresh_from_db()
    assert world.other_cell.dissolved_on == date(2025, 7, 1)
    assert RestructuringEvent.objects.get(org=world.other_cell, kind="dissolve").decision == "9-QĐ/ĐU"


def test_a_cell_with_members_is_not_dissolved(client, world):
    response = _as(client, world.ward_officer).post(_url("dissolve", world.anhoa), {"effective_on": "01/07/2025"})
    assert response.status_code == 400
    assert "Còn đảng viên" in response.content.decode()
    world.anhoa.refresh_from_db()
    assert world.anhoa.is_active


def test_a_dissolved_node_shows_no_restructuring_buttons(client, world):
    services.org_dissolve(actor=None, org=world.other_cell, effective_on=date(2025, 7, 1))
    page = _as(client, world.ward_officer).get(_url("detail", world.other_cell)).content.decode()
    assert _url("rename", world.other_cell) not in page


# --- Administrative unit search ---------------------------------------------------------------------


def test_the_unit_search_matches_without_diacritics_and_names_the_province(client, world, units):
    response = _as(client, world.ward_officer).get(
        reverse("organizations:admin_units"), {"field": "admin_unit", "admin_unit_search": "binh thanh"}
    )
    page = response.content.decode()
    assert "Phường Bình Thạnh — Thành phố Cần Thơ" in page
    assert "Phường Bình Thạnh — Thành phố Hồ Chí Minh" in page
    assert "Long Mỹ" not in page
    assert "Cũ" not in page  # abolished units are not offered


def test_the_unit_search_narrows_by_province_and_keeps_the_choice(client, world, units):
    chosen = units["long_my"]
    page = (
        _as(client, world.ward_officer)
        .get(
            reverse("organizations:admin_units"),
            {"field": "admin_unit", "admin_unit_search": "binh thanh ho chi", "admin_unit": chosen.pk},
        )
        .content.decode()
    )
    assert f'value="{chosen.pk}" checked' in page
    assert "Hồ Chí Minh" in page and "Bình Thạnh — Thành phố Cần Thơ" not in page


def test_the_unit_search_needs_a_signed_in_user(client, units):
    response = client.get(reverse("organizations:admin_units"), {"admin_unit_search": "binh"})
    assert response.status_code == 302


def test_the_unit_search_sees_units_loaded_after_the_first_search(world, units):
    assert [u.name for u in org_forms.search_units("long my")] == ["Phường Long Mỹ"]
    AdministrativeUnit.objects.create(code="W1", name="Xã Long Mỹ Mới", level=AdministrativeUnit.Level.WARD)
    assert [u.name for u in org_forms.search_units("long my")] == ["Phường Long Mỹ", "Xã Long Mỹ Mới"]


def test_the_unit_search_over_every_ward_is_quick(db):
    from time import perf_counter

    from chibo.organizations.reference import load_admin_units

    load_admin_units()
    org_forms.search_units("a")  # fills the cache
    started = perf_counter()
    found = org_forms.search_units("phuong binh thanh")
    assert perf_counter() - started < 0.2
    own_name = [u for u in found if "Bình Thạnh" in u.name]
    # Units named so come first; after them, units matching with their province ("Phường Thành Nam, Ninh Bình").
    assert own_name and found[: len(own_name)] == own_name


@pytest.mark.browser
def test_the_unit_picker_searches_and_keeps_the_choice_in_a_browser(phone, world, units):
    page = phone(world.ward_officer)
    page.goto(_url("create_child", world.ward))
    page.fill("#id_name", "Chi bộ khu vực Mới")
    page.fill("#id_code", "BT-MOI")
    page.fill("#id_established_on", "01/02/2024")
    page.locator("#id_admin_unit").press_sequentially("binh thanh ho chi", delay=20)
    page.locator(".unit-results label", has_text="Hồ Chí Minh").click()
    # Searching again keeps the chosen unit, and Enter in the search box does not send the form.
    page.fill("#id_admin_unit", "")
    page.locator("#id_admin_unit").press_sequentially("long my", delay=20)
    page.locator(".unit-results label", has_text="Long Mỹ").wait_for()
    page.press("#id_admin_unit", "Enter")
    assert "Hồ Chí Minh" in page.locator(".unit-results input:checked >> xpath=..").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("main form button[type=submit]")
    page.wait_for_url("**/orgs/*/")
    assert Organization.objects.get(code="BT-MOI").admin_unit == units["binh_thanh_hcm"]
