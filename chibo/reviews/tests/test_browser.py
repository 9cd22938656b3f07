"""On a phone (Chromium at 375 px): a member fills in the year-end self-assessment, each criterion graded
with a note; the secretary opens the member's review and sees it beside the year's evidence. Screenshots
go to /tmp/reviews-*.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chibo.reviews import services
from chibo.reviews.models import MemberReview
from chibo.reviews.tests.conftest import Cell, a_year

SHOTS = "/tmp/reviews-{}-375.png"  # noqa: S108 - screenshots for a person to look at, nothing secret
YEAR = 2025


@pytest.mark.browser
def test_a_member_submits_the_self_assessment_on_a_phone_and_the_secretary_sees_it_beside_the_evidence(
    phone,  # type: ignore[no-untyped-def]
    cell: Cell,
) -> None:
    a_year(cell, YEAR, member=cell.plain)
    cell_review = services.review_start(actor=None, org=cell.org, year=YEAR)
    mine = cell_review.member_reviews.get(member=cell.plain)

    page = phone(cell.world.anhoa_member)
    page.goto(reverse("reviews:member", args=[mine.pk]))
    page.get_by_role("link", name="Làm bản tự kiểm điểm").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for label in ("Tư tưởng chính trị", "Ý thức tổ chức kỷ luật", "Kết quả thực hiện chức trách, nhiệm vụ được giao"):
        page.locator(".field", has_text=label).first.get_by_label("Tốt").check()
    # Submitting with criteria left ungraded is refused beside the field, nothing saved.
    page.get_by_role("button", name="Nộp bản tự kiểm điểm").click()
    expect(page.locator(".field-error").first).to_contain_text("Hãy chọn mức tự đánh giá")
    mine.refresh_from_db()
    assert mine.self_submitted_at is None
    for field in page.locator(".field:has(input[type=radio])").all():
        if not field.locator("input:checked").count():
            field.get_by_label("Tốt").check()
    page.locator(".field", has_text="Tư tưởng chính trị").first.get_by_label("Xuất sắc").check()
    notes = page.get_by_label("Ghi chú")
    notes.first.fill("Luôn kiên định, tuyên truyền chủ trương cho bà con khu vực")
    page.get_by_label("Tự nhận mức xếp loại").select_option("httnv")
    page.screenshot(path=SHOTS.format("self"), full_page=True)
    page.get_by_role("button", name="Nộp bản tự kiểm điểm").click()
    expect(page.locator(".messages")).to_contain_text("Đã nộp bản tự kiểm điểm")
    mine = MemberReview.objects.get(pk=mine.pk)
    assert mine.self_grades["politics"] == {
        "grade": "excellent",
        "note": "Luôn kiên định, tuyên truyền chủ trương cho bà con khu vực",
    }
    assert mine.self_level == "httnv"

    page = phone(cell.world.anhoa_secretary)
    page.goto(reverse("reviews:member", args=[mine.pk]))
    own = page.locator("#self-assessment")
    expect(own).to_contain_text("Xuất sắc")
    expect(own).to_contain_text("Luôn kiên định, tuyên truyền chủ trương")
    evidence = page.locator("#evidence")
    expect(evidence).to_contain_text("có mặt 12/12 buổi")
    expect(evidence.locator("#proposal")).to_contain_text("/100")
    expect(evidence.get_by_role("link", name="có mặt 12/12 buổi")).to_have_attribute(
        "href", reverse("tasks:record", args=[cell.plain.pk]) + f"#y{YEAR}"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS.format("secretary"), full_page=True)
