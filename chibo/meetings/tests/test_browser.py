"""The live page in Chromium at 375 px: one-tap attendance, the queue and timer, autosave surviving a
dropped connection. Screenshots go to /tmp/meetings-*.png."""

import os
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from chibo.meetings import services
from chibo.meetings.models import Attendance, SpeakingTurn
from chibo.meetings.tests.conftest import Cell
from chibo.testing.browser import page_width

# Screenshots to look at by hand (the brief asks for /tmp); CHIBO_SHOTS_DIR moves them.
SHOTS = Path(os.environ.get("CHIBO_SHOTS_DIR", tempfile.gettempdir()))


@pytest.mark.browser
def test_the_live_page_works_on_a_phone_and_keeps_text_typed_offline(phone, cell: Cell) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    services.agenda_from_template(actor=None, meeting=cell.meeting)
    meeting = services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required[2:14]:
        services.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    live = reverse("meetings:live", args=[meeting.pk])
    first = cell.required[0]
    page = phone(cell.world.anhoa_secretary)
    ctx = page.context
    page.goto(live)
    page.screenshot(path=SHOTS / "meetings-live-top-375.png")
    assert page_width(page) <= 375
    # One tap: the row and the totals change without a reload.
    row = page.locator(f"#att-{first.pk}")
    row.get_by_role("button", name="Có mặt").click()
    expect(page.locator(f"#att-{first.pk} .att-status")).to_have_text("Có mặt")
    expect(page.locator("#totals .good b")).to_have_text("13")
    page.screenshot(path=SHOTS / "meetings-live-375.png", full_page=True)
    row.screenshot(path=SHOTS / "meetings-row-375.png")

    # The queue: add, give the floor, the timer runs, the summary autosaves.
    page.locator(f'#speaker-add button[value="{first.pk}"]').click()  # one tap on the name
    page.get_by_role("button", name="Mời phát biểu").click()
    timer = page.locator(".timer")
    expect(timer).to_be_visible()
    page.wait_for_timeout(2500)
    assert timer.inner_text() != "0:00"
    summary = page.locator(".turn-speaking textarea[name=summary]")
    summary.fill("Đề nghị sửa đường hẻm 3")
    summary.press("End")
    expect(page.locator(".turn-speaking .saved")).to_contain_text("Đã lưu", timeout=5000)
    turn = SpeakingTurn.objects.get(meeting=meeting)
    assert turn.summary == "Đề nghị sửa đường hẻm 3"
    page.locator("#speakers").screenshot(path=SHOTS / "meetings-speakers-375.png")
    page.locator("#vote").screenshot(path=SHOTS / "meetings-vote-375.png")

    # The connection drops while the recorder types: the text stays on the phone, then reaches the
    # server when the connection is back.
    ctx.set_offline(True)
    summary.press_sequentially(", và lắp thêm đèn.", delay=10)
    expect(page.locator("#netstatus")).to_contain_text("Mất kết nối", timeout=5000)
    kept = page.evaluate(f"localStorage.getItem('chibo:unsent:m{meeting.pk}-turn{turn.pk}')")
    assert kept == "Đề nghị sửa đường hẻm 3, và lắp thêm đèn."
    page.screenshot(path=SHOTS / "meetings-offline-375.png")
    turn.refresh_from_db()
    assert turn.summary == "Đề nghị sửa đường hẻm 3"
    ctx.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # Polled from Python: wait_for_function evaluates a string in the page, which the CSP (no eval) refuses.
    unsent = f"localStorage.getItem('chibo:unsent:m{meeting.pk}-turn{turn.pk}') === null"
    for _ in range(100):
        if page.evaluate(unsent):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(unsent)
    turn.refresh_from_db()
    assert turn.summary == "Đề nghị sửa đường hẻm 3, và lắp thêm đèn."
    # A reload shows the server's text.
    page.reload()
    expect(page.locator(".turn-speaking textarea[name=summary]")).to_have_value(turn.summary)

    # A member present sees the request button on their own phone.
    services.attendance_record(
        actor=None, meeting=meeting, member=cell.world.member_of_anhoa, status=Attendance.Status.PRESENT
    )
    member = phone(cell.world.anhoa_member)
    member.goto(live)
    member.get_by_role("button", name="Xin phát biểu").click()
    expect(member.locator("#speakers")).to_contain_text("xin chờ đến lượt")
    assert page_width(member) <= 375
    member.screenshot(path=SHOTS / "meetings-member-375.png", full_page=True)
    assert SpeakingTurn.objects.filter(meeting=meeting, requested_by_member=True).count() == 1


@pytest.mark.browser
def test_a_tap_refused_by_a_busy_server_is_kept_and_sent_again(phone, cell: Cell) -> None:  # type: ignore[no-untyped-def]
    """503 with Retry-After (the overload guard, nginx's limits): the tap is kept on the phone and resent."""
    from playwright.sync_api import expect

    services.agenda_from_template(actor=None, meeting=cell.meeting)
    meeting = services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    late = cell.required[3]
    page = phone(cell.world.anhoa_secretary)
    refused: list[str] = []

    def busy_once(route):  # type: ignore[no-untyped-def]
        if not refused:
            refused.append(route.request.method)
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="busy")
        else:
            route.continue_()

    page.route(f"**{reverse('meetings:attendance', args=[meeting.pk, late.pk])}", busy_once)
    page.goto(reverse("meetings:live", args=[meeting.pk]))
    page.locator(f"#att-{late.pk}").get_by_role("button", name="Muộn").click()
    expect(page.locator("#netstatus")).to_contain_text("sẽ tự gửi lại", timeout=5000)
    assert refused == ["POST"]
    outbox = f"localStorage.getItem('chibo:outbox:{reverse('meetings:live', args=[meeting.pk])}') === null"
    assert not page.evaluate(outbox)  # kept on the phone meanwhile
    # Sent again after Retry-After (1 s, up to 1.25 with jitter): the row shows it and the queue is empty.
    expect(page.locator(f"#att-{late.pk} .att-status")).to_contain_text("Đến muộn", timeout=8000)
    assert page.evaluate(outbox)
    assert Attendance.objects.get(meeting=meeting, member=late).status == Attendance.Status.LATE
