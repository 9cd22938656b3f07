"""On a phone (Chromium at 375 px): the member in charge logs a resident back from another province, then
that the ward health station was told; the secretary's health-station export lists it. Screenshots go to
/tmp/households-*.png."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from chibo.core.dates import today
from chibo.households import services
from chibo.households.models import LiaisonEvent

SHOTS = "/tmp/households-{}-375.png"  # noqa: S108 - screenshots for a person to look at, nothing secret


@pytest.mark.browser
def test_a_member_logs_an_arrival_and_the_notice_and_the_health_export_lists_it(phone, world) -> None:  # type: ignore[no-untyped-def]
    services.area_set(actor=None, cell=world.anhoa, ward="Phường Bình Thạnh", hamlets=["Tổ 1", "Tổ 2"])
    household = services.household_create(
        actor=None, cell=world.anhoa, head_name="Lê Văn Chủ Hộ", street="số 12, đường Lê Lợi", hamlet="Tổ 1", people=4
    )
    services.assignment_set(actor=None, household=household, member=world.member_of_anhoa, day=date(2025, 1, 1))

    # The member, on a phone: their households, the household, log the arrival.
    page = phone(world.anhoa_member)
    page.goto(reverse("households:list"))
    page.get_by_role("link", name="Lê Văn Chủ Hộ").click()
    page.get_by_role("link", name="Ghi nhật ký").click()
    page.get_by_label("Việc ghi").select_option("arrival")
    page.get_by_label("Người về", exact=True).fill("Lê Thị Con Gái")
    page.get_by_label("Về từ (tỉnh, thành phố)").fill("Bình Dương")
    page.get_by_label("Ngày về").fill(today().strftime("%d/%m/%Y"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("log"), full_page=True)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhật ký")
    event = LiaisonEvent.objects.get()
    assert (event.kind, event.arrived_from, event.member, event.notified) == (
        "arrival",
        "Bình Dương",
        world.member_of_anhoa,
        "",
    )

    # Then the notice to the ward health station, from the household's page.
    page.get_by_label("Đã báo").select_option("health_station")
    page.get_by_label("Người nhận tin").fill("Y sĩ trực Trạm Y tế")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Ghi đã báo").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi việc báo tin")
    expect(page.get_by_text("Đã báo Trạm y tế phường")).to_be_visible()
    page.screenshot(path=SHOTS.format("notified"), full_page=True)
    event.refresh_from_db()
    assert (event.notified, event.notified_contact) == ("health_station", "Y sĩ trực Trạm Y tế")

    # The secretary's list for the health station shows it; its Excel file lists it, without party data.
    page = phone(world.anhoa_secretary)
    page.goto(reverse("households:health") + f"?org={world.anhoa.pk}")
    expect(page.locator("table")).to_contain_text("Lê Thị Con Gái")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("health"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel cho trạm y tế").click()
    sheet = load_workbook(BytesIO(open(download.value.path(), "rb").read())).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[1] == "Lê Thị Con Gái"]
    assert len(rows) == 1
    assert rows[0][2] == "Bình Dương" and rows[0][7] == "Trạm y tế phường" and rows[0][8] == "Y sĩ trực Trạm Y tế"
    assert world.member_of_anhoa.full_name not in {str(v) for r in sheet.iter_rows(values_only=True) for v in r}


@pytest.mark.browser
def test_the_secretary_plans_on_a_phone_applies_it_and_the_map_colours_by_member(phone, world) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from chibo.households.models import Assignment
    from chibo.members.services import member_set_home

    services.area_set(actor=None, cell=world.anhoa, ward="Phường Bình Thạnh", hamlets=["Tổ 1", "Tổ 2"])
    homes = {
        world.member_of_anhoa: ("Tổ 1", "9.680000", "105.570000"),
        world.anhoa_secretary.member: ("Tổ 2", "9.684000", "105.574000"),
    }
    for member, (hamlet, lat, lon) in homes.items():
        member_set_home(actor=None, member=member, hamlet=hamlet, lat=Decimal(lat), lon=Decimal(lon))
    homes_at = {True: ("9.680000", "105.570000"), False: ("9.684000", "105.574000")}
    for i in range(12):
        near_first = i < 6
        services.household_create(
            actor=None,
            cell=world.anhoa,
            head_name=f"Hộ Số {chr(65 + i)} Văn",
            hamlet="Tổ 1" if near_first else "Tổ 2",
            # Around each home, 30–180 m away.
            lat=Decimal(homes_at[near_first][0]) + Decimal("0.0003") * (i % 6 + 1),
            lon=Decimal(homes_at[near_first][1]) - Decimal("0.0002") * (i % 3),
        )

    page = phone(world.anhoa_secretary)
    page.goto(reverse("households:plan_new") + f"?org={world.anhoa.pk}")
    page.get_by_label("Mỗi đảng viên ít nhất (hộ)").fill("5")
    page.get_by_label("Mỗi đảng viên nhiều nhất (hộ)").fill("7")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_have_text("Phương án phân công phụ trách hộ")
    expect(page.locator(".card").first).to_contain_text("ngắn nhất có thể với cùng giới hạn")
    expect(page.locator(".card").first).to_contain_text("tối ưu")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("plan"), full_page=True)
    page.get_by_role("button", name="Áp dụng phương án").click()
    expect(page.locator(".messages")).to_contain_text("Đã áp dụng phương án: 12 hộ")
    loads = {m.pk: Assignment.objects.current().filter(member=m).count() for m in homes}
    assert sorted(loads.values()) == [6, 6]

    page.goto(reverse("households:map") + f"?org={world.anhoa.pk}")
    expect(page.locator("svg circle")).to_have_count(12)
    expect(page.locator("svg rect.home")).to_have_count(2)
    fills = set(page.eval_on_selector_all("svg circle", "els => els.map(e => e.getAttribute('fill'))"))
    assert len(fills) == 2  # one colour per member in charge
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("map"), full_page=True)
