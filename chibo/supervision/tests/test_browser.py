"""At 375 px in Chromium: the cadre the ward assigned to An Hòa checks in at its meeting from a phone,
records a remark asking the cell to act, and finds it under "Ý kiến chỉ đạo" in the minutes; the ward's
officer sees the quarter's coverage and a directive's compliance. Screenshots go to /tmp/supervision-*.png."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from chibo.core.dates import today
from chibo.directives import services as directives
from chibo.documents import services as documents
from chibo.documents.models import MeetingDocument
from chibo.meetings import services as meetings
from chibo.meetings.models import Attendance
from chibo.meetings.tests.conftest import Cell
from chibo.supervision import services
from chibo.supervision.models import Assignment, RemarkFollowUp
from chibo.supervision.selectors import parse_quarter, quarter_label
from chibo.testing.browser import page_width

SHOTS = Path(os.environ.get("CHIBO_SHOTS_DIR", tempfile.gettempdir()))
REMARK = "Đề nghị chi bộ rà soát danh sách hộ khó khăn, báo cáo trước ngày 15."


@pytest.mark.browser
def test_an_assigned_cadre_records_guidance_that_reaches_the_minutes_and_the_ward_sees_coverage(  # type: ignore[no-untyped-def]
    phone, cell: Cell, department_leader
) -> None:
    from playwright.sync_api import expect

    w = cell.world
    services.assignment_create(
        actor=w.ward_officer,
        committee=w.ward,
        cadre=department_leader,
        cell=w.anhoa,
        kind=Assignment.Kind.LEADER,
        title="Trưởng Phòng Nội vụ thị xã",
        valid_from=today() - timedelta(days=30),
    )
    directive = directives.directive_register(
        actor=w.ward_officer,
        target=w.ward,
        number="01-CT/TW",
        issued_on=today() - timedelta(days=10),
        issuer="Bộ Chính trị",
        summary="Học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
        deadline=today() + timedelta(days=20),
    )
    meetings.agenda_from_template(actor=None, meeting=cell.meeting)
    meeting = meetings.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required:
        meetings.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    directives.dissemination_record(actor=None, directive=directive, meeting=meeting, presenter=cell.official[0])

    # The cadre, on their phone: check in, write the guidance (autosaved), ask the cell to answer.
    page = phone(department_leader)
    page.goto(reverse("meetings:live", args=[meeting.pk]))
    panel = page.locator("#from-above")
    expect(panel).to_contain_text("Trưởng Phòng Nội vụ thị xã")
    panel.get_by_role("button", name="Tôi có mặt").click()
    expect(page.locator("#from-above")).to_contain_text("Có mặt")
    box = page.locator("#remarks textarea[name=text]")
    box.fill(REMARK)
    box.press("End")
    expect(page.locator("#remarks .saved")).to_contain_text("Đã lưu", timeout=5000)
    with page.expect_navigation():
        page.locator("#guidance input[name=asks_action]").check()
    expect(page.locator("#guidance")).to_contain_text("Chưa trả lời")
    assert page_width(page) <= 375
    page.screenshot(path=SHOTS / "supervision-live-375.png", full_page=True)
    assert RemarkFollowUp.objects.get().asks_action

    # The meeting closes, the minutes are drafted: the cadre finds the guidance in them.
    meetings.meeting_close(actor=None, meeting=meeting)
    minutes = documents.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    page.goto(reverse("documents:detail", args=[minutes.pk]))
    body = page.locator("main")
    expect(body).to_contain_text("Ý kiến chỉ đạo:")
    expect(body).to_contain_text(REMARK)
    expect(body).to_contain_text("Quán triệt văn bản cấp trên:")
    page.screenshot(path=SHOTS / "supervision-minutes-375.png", full_page=True)

    # The ward: the quarter's coverage (Bình Hòa flagged), the directive's compliance.
    ward = phone(w.ward_officer)
    period = quarter_label(parse_quarter(None, today())[0])
    ward.goto(f"{reverse('supervision:coverage')}?org={w.ward.pk}&period={period}")
    cells = ward.locator("#coverage-cells")
    expect(cells).to_contain_text("Chi bộ khu vực An Hòa")
    expect(cells.locator("tr", has_text="Chi bộ khu vực Bình Hòa").locator(".badge.red")).to_be_visible()
    expect(ward.locator("#coverage-cadres")).to_contain_text(department_leader.first_name)
    assert page_width(ward) <= 375
    ward.screenshot(path=SHOTS / "supervision-coverage-375.png", full_page=True)
    ward.goto(f"{reverse('directives:list')}?org={w.ward.pk}")
    ward.get_by_role("link", name=directive.label).click()
    expect(ward.locator("#compliance")).to_contain_text("1 đúng hạn")
    expect(ward.locator("#compliance-cells tr", has_text="Chi bộ khu vực Bình Hòa")).to_contain_text("Chưa quán triệt")
    assert page_width(ward) <= 375
    ward.screenshot(path=SHOTS / "supervision-compliance-375.png", full_page=True)
