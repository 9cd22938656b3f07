"""On a phone (Chromium at 375 px): a member reports progress on their task; at the next meeting the
secretary reviews it and commends them; the commendation shows on the member's record. Screenshots go to
/tmp/tasks-*.png."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chibo.core.dates import today
from chibo.tasks import services
from chibo.tasks.models import TaskReview
from chibo.tasks.tests.conftest import Cell, hold, months_ago

SHOTS = "/tmp/tasks-{}-375.png"  # noqa: S108 - screenshots for a person to look at, nothing secret


@pytest.mark.browser
def test_a_member_reports_on_a_phone_and_the_secretary_commends_at_the_next_meeting(
    phone,  # type: ignore[no-untyped-def]
    cell: Cell,
) -> None:
    last_month = hold(cell.org, months_ago(2))
    task = services.task_create(
        actor=None,
        meeting=last_month,
        description="Vận động 10 hộ tham gia bảo hiểm y tế",
        assignees=[cell.plain],
        due_on=today() + timedelta(days=5),
    )
    this_month = hold(cell.org, months_ago(1), close=False)  # the next meeting, in session

    # The member, on a phone: "my tasks", report it done.
    page = phone(cell.world.anhoa_member)
    page.goto(reverse("tasks:mine"))
    card = page.locator(".task-card", has_text="Vận động 10 hộ")
    expect(card).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    card.get_by_label("Đã hoàn thành").check()
    card.get_by_label("Kết quả, khó khăn").fill("Đã vận động đủ 10/10 hộ, nộp danh sách cho tổ trưởng")
    page.screenshot(path=SHOTS.format("mine"), full_page=True)
    card.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo tiến độ")
    assignment = task.assignments.get()
    assert (assignment.status, assignment.done_on) == ("done", today())

    # The secretary, at the next meeting: the review lists it with the member's report; commend.
    page = phone(cell.world.anhoa_secretary)
    page.goto(reverse("tasks:review", args=[this_month.pk]))
    row = page.locator(f"#a{assignment.pk}")
    expect(row).to_contain_text("Nguyễn Thị Thường")
    expect(row).to_contain_text("Đã vận động đủ 10/10 hộ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    row.get_by_label("Kết quả").select_option("done")
    row.get_by_label("Đánh giá của chi bộ").select_option("commended")
    row.get_by_label("Nhận xét").fill("Hoàn thành vượt chỉ tiêu, đúng hạn")
    page.screenshot(path=SHOTS.format("review"), full_page=True)
    row.get_by_role("button", name="Lưu kiểm điểm").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi kết quả kiểm điểm của Nguyễn Thị Thường")
    review = TaskReview.objects.get()
    assert (review.meeting, review.outcome, review.evaluation) == (this_month, "done", "commended")

    # The member's record shows the commendation.
    page.goto(reverse("tasks:record", args=[cell.plain.pk]))
    year = page.locator(f"#y{assignment.task.due_on.year}")
    expect(year.locator("dd.commendations")).to_have_text("1")
    expect(page.locator(".badge.ok", has_text="Biểu dương")).to_be_visible()
    expect(page.get_by_text("Hoàn thành vượt chỉ tiêu, đúng hạn")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("record"), full_page=True)
