"""At 375 px: the secretary closes a meeting short and reads the warning; the members' vote is recorded;
the cadre who attended from above confirms the score on their phone. Screenshots: /tmp/quality-*.png."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.tests.conftest import Cell
from chibo.quality.models import MeetingScore
from chibo.testing.browser import page_width

SHOTS = Path(os.environ.get("CHIBO_SHOTS_DIR", tempfile.gettempdir()))


@pytest.mark.browser
def test_a_meeting_closed_short_is_warned_and_its_score_confirmed_from_above(phone, cell: Cell) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    w = cell.world
    meeting = services.meeting_open(
        actor=None,
        meeting=cell.meeting,
        chair=cell.official[0],
        recorder=cell.official[1],
        started_at=timezone.now() - timedelta(minutes=50),
    )
    for m in cell.required:
        services.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    services.guest_add(actor=w.supervisor, meeting=meeting, user=w.supervisor, is_supervisor=True)
    services.vote_record(actor=None, meeting=meeting, votes_for=15, votes_against=1, votes_abstain=0)

    secretary = phone(w.anhoa_secretary)
    secretary.goto(reverse("meetings:live", args=[meeting.pk]))
    expect(secretary.locator("#duration")).to_contain_text("tối thiểu 90 phút")
    secretary.click("#close-link")
    warning = secretary.locator("#closing .shortfalls")
    expect(warning).to_contain_text("Thời lượng 50 phút, chưa đủ tối thiểu 90 phút (thiếu 40 phút).")
    expect(warning).to_contain_text("0/18 đảng viên phát biểu")
    assert page_width(secretary) <= 375
    secretary.screenshot(path=SHOTS / "quality-closing-375.png", full_page=True)
    secretary.get_by_role("button", name="Vẫn bế mạc").click()
    expect(secretary.locator("#quality")).to_contain_text("Cảnh báo khi bế mạc")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CLOSED

    secretary.goto(reverse("quality:score", args=[meeting.pk]))
    expect(secretary.locator("#criterion-duration")).to_contain_text("0/10")
    expect(secretary.locator("#criterion-duration")).to_contain_text("Họp 50 phút, tối thiểu 90 phút.")
    form = secretary.locator("#score-vote form")
    form.locator("input[name=votes_for]").fill("16")
    form.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    expect(secretary.locator("#score-vote")).to_contain_text("Tán thành 16")
    secretary.screenshot(path=SHOTS / "quality-score-375.png", full_page=True)

    supervisor = phone(w.supervisor)
    supervisor.goto(reverse("quality:score", args=[meeting.pk]))
    supervisor.get_by_role("button", name="Xác nhận kết quả chấm điểm").click()
    expect(supervisor.locator("#score-confirm")).to_contain_text("đã xác nhận lúc")
    assert page_width(supervisor) <= 375
    supervisor.screenshot(path=SHOTS / "quality-confirmed-375.png", full_page=True)
    score = MeetingScore.objects.get(meeting=meeting)
    assert score.state == "confirmed" and score.confirmed_by == w.supervisor
    assert score.items.get(key="duration").points == 0
