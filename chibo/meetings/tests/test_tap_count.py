"""A whole meeting in at most 60 taps on a phone (Chromium, 375 px): An Hòa's monthly meeting with 27 members on
the roll, 3 exceptions in attendance, 9 agenda points, 3 speakers, a vote, the closing and both signatures of the
minutes, recorded from the secretary's home page. Every tap counts one, a native select two; text typed is free
(the tap that focuses a text box included). The count is printed; above 60 the test fails.

Screenshots of the live page at 375 px go to CHIBO_SHOTS_DIR (default: the temporary directory)."""

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from chibo.core.dates import today
from chibo.documents.models import MeetingDocument
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.meetings.tests.conftest import add_members, plan_meeting

SHOTS = Path(os.environ.get("CHIBO_SHOTS_DIR", tempfile.gettempdir()))
LIMIT = 60


class Taps:
    """The secretary's finger: every action goes through here and is counted."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.count = 0
        self.log: list[str] = []

    def tap(self, locator, what: str) -> None:  # type: ignore[no-untyped-def]
        locator.click()
        self.count += 1
        self.log.append(what)

    def choose(self, locator, value: str, what: str) -> None:  # type: ignore[no-untyped-def]
        locator.select_option(value)  # a native select: open it, pick
        self.count += 2
        self.log.append(f"{what} (select ×2)")

    def confirm(self, locator, what: str) -> None:  # type: ignore[no-untyped-def]
        self.page.once("dialog", lambda dialog: dialog.accept())
        self.tap(locator, what)
        self.count += 1  # OK in the browser's confirmation
        self.log.append("OK")

    def type(self, locator, text: str) -> None:  # type: ignore[no-untyped-def]
        locator.fill(text)  # free


@pytest.mark.browser
def test_an_hoas_whole_meeting_takes_at_most_60_taps_on_a_phone(phone, world) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    add_members(world.anhoa, 24)  # 27 on the roll with the secretary, the plain member and the recorder
    recorder = add_members(world.anhoa, 1, full_name="Lê Thị Thư Ký")[0]  # no account: signs on paper
    assert world.anhoa.members.current().count() == 27
    meeting = plan_meeting(world.anhoa, today())
    services.agenda_from_template(actor=None, meeting=meeting)
    while meeting.agenda_items.count() < 9:
        services.agenda_item_add(actor=None, meeting=meeting, title="Vận động quỹ khuyến học")
    assert meeting.agenda_items.count() == 9
    # The recorder of last month's meeting is offered again.
    last = plan_meeting(world.anhoa, date(2020, 1, 6), status=Meeting.Status.CLOSED, recorder=recorder)
    assert last.recorder_id == recorder.pk

    page = phone(world.anhoa_secretary)
    f = Taps(page)
    page.goto(reverse("core:home"))
    f.tap(page.locator("label.nav-toggle-label"), "menu")
    f.tap(page.locator("nav.mainnav").get_by_role("link", name="Sinh hoạt", exact=True), "Sinh hoạt")
    f.tap(page.get_by_role("link", name=meeting.scheduled_date.strftime("%d/%m/%Y"), exact=False).first, "the meeting")
    f.tap(page.get_by_role("link", name="Trang sinh hoạt"), "live page")
    page.screenshot(path=SHOTS / "live-after-planned-375.png")

    # Opening: the secretary chairs, last month's recorder records (both offered).
    expect(page.locator("#id_chair")).to_have_value(str(world.anhoa_secretary.member_id))
    expect(page.locator("#id_recorder")).to_have_value(str(recorder.pk))
    f.tap(page.get_by_role("button", name="Khai mạc"), "open")

    # Attendance: everyone present in one tap, then the three exceptions.
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__name_sort_key"))
    assert len(rows) == 27
    late, absent, excused = [r for r in rows if r.member_id not in (world.anhoa_secretary.member_id, recorder.pk)][:3]
    page.screenshot(path=SHOTS / "live-after-opened-375.png")
    f.tap(page.get_by_role("button", name="Tất cả có mặt"), "everyone present")
    expect(page.locator("#attendance > details")).not_to_have_attribute("open", "")
    expect(page.locator("#attendance > details > summary")).to_contain_text("vắng không lý do 0")
    f.tap(page.locator("#attendance > details > summary"), "unfold attendance")
    f.tap(page.locator(f"#att-{late.member_id}").get_by_role("button", name="Muộn"), "late")
    f.tap(page.locator(f"#att-{absent.member_id}").get_by_role("button", name="Vắng"), "absent")
    row = page.locator(f"#att-{excused.member_id}")
    f.tap(row.locator("summary"), "excused")
    f.type(row.locator("input[name=reason]"), "Đi công tác")
    f.tap(row.get_by_role("button", name="Lưu"), "save reason")
    expect(page.locator(f"#att-{excused.member_id} .att-status")).to_contain_text("Đi công tác")
    expect(page.locator("#live-bar")).not_to_contain_text("chưa điểm danh")
    f.tap(page.locator("#attendance > details > summary"), "fold attendance")  # the page is short again
    expect(page.locator("#attendance > details")).not_to_have_attribute("open", "")

    # The agenda from the sticky bar; three speakers during the discussion.
    bar = page.locator("#live-bar")
    speakers = [r.member for r in rows if r.member_id not in (late.member_id, absent.member_id, excused.member_id)][:3]
    items = list(meeting.agenda_items.order_by("position"))
    for n, item in enumerate(items):
        f.tap(bar.locator("button"), f"agenda {n + 1}")
        expect(bar.locator(".live-current")).to_contain_text(f"Đang: {item.position}. ")
        if item.kind == "discussion":
            page.screenshot(path=SHOTS / "live-after-agenda-375.png")
            for i, member in enumerate(speakers):
                f.tap(page.locator(f'#speaker-add button[value="{member.pk}"]'), "speaker")
                f.tap(page.locator("#speakers").get_by_role("button", name="Mời phát biểu"), "give the floor")
                expect(page.locator(".turn-speaking .turn-head")).to_contain_text(
                    member.full_name
                )  # (year if namesake)
                expect(page.locator(".turn-speaking .timer")).to_be_visible()
                summary = page.locator(".turn-speaking textarea[name=summary]")
                f.type(summary, f"Ý kiến thứ {i + 1} về việc vận động quỹ khuyến học")
                summary.press("End")
                expect(page.locator(".turn-speaking .saved")).to_contain_text("Đã lưu", timeout=5000)
                if i == 1:
                    page.screenshot(path=SHOTS / "live-after-speaking-375.png")
            f.tap(page.locator(".turn-speaking").get_by_role("button", name="Kết thúc lượt"), "end of the last turn")
    f.tap(bar.locator("button"), "end of the last point")
    expect(bar).to_contain_text("Ghi kết quả biểu quyết")

    # The vote (numbers typed), then the closing.
    voters = Attendance.objects.filter(
        meeting=meeting, is_official=True, status__in=Attendance.PRESENT_STATUSES
    ).count()
    vote = page.locator("#vote")
    f.type(vote.locator("input[name=votes_for]"), str(voters))
    f.tap(vote.get_by_role("button", name="Ghi kết quả"), "record the vote")
    expect(vote).to_contain_text("Nghị quyết được thông qua")
    page.screenshot(path=SHOTS / "live-after-vote-375.png", full_page=True)
    f.tap(page.locator("#closing").get_by_role("link", name="Bế mạc…"), "close")
    # What falls short (here the duration: the test meeting lasts minutes) is shown; closing anyway is one tap.
    f.tap(page.locator("main form").get_by_role("button", name="Bế mạc").last, "confirm the closing")
    page.wait_for_url(f"**{reverse('meetings:detail', args=[meeting.pk])}")

    # The minutes: drafted from what was recorded, signed by the chair and (on paper) by the recorder.
    f.tap(page.get_by_role("link", name="Biên bản, nghị quyết"), "documents")
    f.tap(page.get_by_role("button", name="Lập dự thảo").first, "draft the minutes")
    f.tap(page.get_by_role("button", name="Ký với tư cách chủ trì"), "chair signs")
    f.tap(page.get_by_role("button", name="Ký với tư cách thư ký"), "recorder's signature on paper")

    minutes = MeetingDocument.objects.get(meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    assert minutes.is_locked
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert SpeakingTurn.objects.filter(meeting=meeting, status=SpeakingTurn.Status.DONE).count() == 3
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert (statuses[late.member_id], statuses[absent.member_id], statuses[excused.member_id]) == (
        "late", "unexcused", "excused"
    )  # fmt: skip
    print(f"\ntaps: {f.count} — " + ", ".join(f.log))
    assert f.count <= LIMIT, f"{f.count} taps: " + ", ".join(f.log)
