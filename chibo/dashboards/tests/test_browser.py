"""On a phone (Chromium at 375 px): the ward officer signs in, sees a warning on the home page, follows it
to the cell's dashboard and on to the meeting, and exports the ward's dashboard. Screenshots go to
/tmp/dashboards-*.png."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from chibo.dashboards.tests.builders import held, refresh
from chibo.tasks.tests.builders import months_ago
from chibo.testing.factories import MemberFactory

SHOTS = "/tmp/dashboards-{}-375.png"  # noqa: S108 - screenshots for a person to look at, nothing secret


@pytest.mark.browser
def test_the_ward_officer_follows_a_warning_to_the_cell_and_the_meeting_and_exports(phone, world) -> None:  # type: ignore[no-untyped-def]
    roll = [MemberFactory(org=world.anhoa, full_name=f"Lý Văn Số {i}") for i in range(8)]  # 10 required
    meetings = [
        held(world.anhoa, months_ago(n), absent=roll[:absent]) for n, absent in ((4, 0), (3, 1), (2, 2), (1, 4))
    ]
    refresh(months_ago(4), months_ago(1))

    page = phone(world.ward_officer)
    page.goto(reverse("core:home"))
    warning = page.locator(".warnings li", has_text="Tỷ lệ dự họp giảm")
    expect(warning).to_contain_text("Chi bộ khu vực An Hòa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("home"), full_page=True)

    warning.get_by_role("link").click()
    expect(page).to_have_url(f"{page.url.split('/dashboards/')[0]}{reverse('dashboards:org', args=[world.anhoa.pk])}")
    expect(page.locator("svg.chart")).to_have_count(2)
    page.screenshot(path=SHOTS.format("cell"), full_page=True)

    last = meetings[-1]
    page.get_by_role("link", name=last.scheduled_date.strftime("%d/%m/%Y"), exact=False).click()
    expect(page).to_have_url(page.url.split("/meetings/")[0] + reverse("meetings:detail", args=[last.pk]))

    page.goto(reverse("dashboards:org", args=[world.ward.pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    workbook = load_workbook(BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    cells = {row[0]: row for row in workbook["Đơn vị trực thuộc"].values}
    assert cells["Chi bộ khu vực An Hòa"][2] == 4  # four meetings held in the period
