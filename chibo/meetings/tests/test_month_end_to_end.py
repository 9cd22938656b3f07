"""Issue 3, done: An Hòa's monthly meeting on phones at 375 px, from the cell committee's preparation to
signed minutes, and the Word file read back.

The secretary plans the month's regular meeting on the calendar, records the committee's preparatory
meeting, builds the agenda from the template, types the draft resolution (autosaved) and attaches a
draft report; the ward officer sees the cell ready on the readiness board. On the meeting day the
secretary opens the meeting with its chair and recorder, marks attendance one tap per member, the
ward's supervisor checks in from their phone, a member asks for the floor from theirs, three members
speak, the cell votes and the meeting closes. The minutes are composed, signed by the chair and the
recorder each on their own phone, locked, and downloaded as DOCX.

The meeting is planned a few days ahead; the server's clock is moved to that day for the meeting
(`timezone.now`, which `chibo.core.dates.today` reads too). Screenshots go to the test's tmp_path.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from chibo.accounts import services as account_services
from chibo.accounts.models import Role, User
from chibo.celery import app as celery_app
from chibo.core.dates import today
from chibo.documents import compose
from chibo.documents.models import MeetingDocument
from chibo.documents.tests.conftest import docx_text
from chibo.meetings import agenda
from chibo.meetings.models import Attachment, Attendance, Guest, Meeting, SpeakingTurn, Vote
from chibo.members import services as member_services
from chibo.members.models import Exemption, Member, Position
from chibo.notices.models import Notice
from chibo.rules.selectors import ruleset_for
from chibo.testing.browser import page_width
from chibo.testing.factories import PASSWORD, MemberFactory, World

REAL_NOW = timezone.now
PLACE = "Nhà văn hóa khu vực An Hòa"
DRAFT = "1. Hoàn thành thu đảng phí quý.\n2. Vận động 100% hộ dân tham gia ngày chủ nhật xanh."
EXCUSE = "Đi viện điều trị"
SPEECHES = [  # (speaker's key, kind, its label in the minutes, summary)
    ("opinion", SpeakingTurn.Kind.OPINION, "ý kiến", "Đề nghị chi bộ quan tâm vệ sinh đường xóm."),
    ("late", SpeakingTurn.Kind.SELF_CRITICISM, "tự phê bình", "Nhận khuyết điểm đến họp muộn, hứa khắc phục."),
    ("asker", SpeakingTurn.Kind.PROPOSAL, "đề xuất, kiến nghị", "Kiến nghị lắp thêm đèn đường khu vực 3."),
]
# A tiny but real PDF: the upload is checked by content, not by name.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"


@dataclass
class AnHoa:
    """Chi bộ An Hòa with 15 members on the roll: 13 official (one of them exempt) and 2 probationary, so
    that 12 of the 14 required is enough (85%) for the vote with two absent."""

    world: World
    secretary: User  # bí thư, chairs the meeting
    recorder: User  # thư ký of the meeting
    asker: User  # asks for the floor from their own phone
    supervisor: User  # cấp ủy viên phụ trách: the ward's committee member who follows the cell
    members: dict[str, Member]

    @property
    def required(self) -> list[Member]:
        return [m for key, m in self.members.items() if key != "exempt"]


@pytest.fixture
def anhoa(world: World) -> AnHoa:
    org = world.anhoa
    secretary, recorder = world.anhoa_secretary, world.anhoa_member
    assert secretary.member is not None and recorder.member is not None
    member_services.position_assign(
        actor=None, member=secretary.member, title=Position.Title.SECRETARY, started_on=today() - timedelta(days=400)
    )
    named = {
        "opinion": "Phạm Văn Góp",
        "late": "Đỗ Văn Muộn",
        "asker": "Huỳnh Thị Đề",
        "excused": "Lê Văn Ốm",
        "unexcused": "Phạm Thị Vắng",
        "other1": "Bùi Thị Hoa",
        "other2": "Ngô Văn Sơn",
        "other3": "Trương Văn Tài",
        "other4": "Lý Thị Mai",
        "other5": "Mạc Văn Bền",
    }
    members = {"secretary": secretary.member, "recorder": recorder.member}
    members |= {key: MemberFactory(org=org, full_name=name) for key, name in named.items()}
    members["probationary1"] = MemberFactory(org=org, full_name="Võ Thị Mới", official_on=None)
    members["probationary2"] = MemberFactory(org=org, full_name="Đặng Văn Trẻ", official_on=None)
    members["exempt"] = MemberFactory(org=org, full_name="Cao Văn Lão")
    member_services.member_exempt(
        actor=None, member=members["exempt"], reason=Exemption.Reason.OLD_AGE, started_on=today() - timedelta(days=900)
    )
    asker = account_services.user_create(
        actor=None, username="huynh_de", password=PASSWORD, member=members["asker"], role=Role.MEMBER, org=org
    )
    supervisor = account_services.user_create(
        actor=None,
        username="vo_giam_sat",
        password=PASSWORD,
        full_name="Võ Văn Giám Sát",
        role=Role.SUPERVISOR,
        org=org,
    )
    return AnHoa(world, secretary, recorder, asker, supervisor, members)


@pytest.fixture
def _notices_inline():  # type: ignore[no-untyped-def]
    """Notices go out inside the request that plans the meeting, even where a broker is configured."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _move_clock_to(monkeypatch, day: date) -> None:  # type: ignore[no-untyped-def]
    """The server lives on `day` from now on, its clock still running (start and end times differ)."""
    shift = day - timezone.localdate(REAL_NOW())
    monkeypatch.setattr(timezone, "now", lambda: REAL_NOW() + shift)
    assert today() == day


def _totals(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The live totals as the page shows them: label → number."""
    cells = page.locator("#totals .numbers > div")
    return {
        cells.nth(i).locator("span").inner_text(): cells.nth(i).locator("b").inner_text() for i in range(cells.count())
    }


@pytest.mark.browser
@pytest.mark.usefixtures("_notices_inline")
def test_an_hoa_holds_its_monthly_meeting_on_phones_from_preparation_to_signed_minutes_in_word(
    phone, anhoa: AnHoa, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    w, m = anhoa.world, anhoa.members
    shots = iter(range(1, 100))

    def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        assert page_width(page) <= 375, f"{name}: the page scrolls sideways on a phone"
        page.screenshot(path=tmp_path / f"{next(shots):02d}-{name}.png", full_page=True)

    # --- Before the meeting day: plan, prepare; the ward sees the cell ready ---------------------------
    lead = ruleset_for(w.anhoa, today()).notice_lead_days
    day = today() + timedelta(days=lead + 2)  # documents can still be sent before the deadline
    secretary = phone(anhoa.secretary)
    secretary.goto(reverse("scheduling:month") + f"?org={w.anhoa.pk}")
    secretary.get_by_role("link", name="Lên lịch chuyên đề, bất thường").click()
    secretary.get_by_label("Loại").select_option(Meeting.Kind.REGULAR)
    secretary.get_by_label("Ngày họp").fill(day.isoformat())
    secretary.get_by_label("Địa điểm").fill(PLACE)
    shot(secretary, "plan")
    secretary.get_by_role("button", name="Lên lịch").click()
    expect(secretary.locator(".messages")).to_contain_text("Đã lên lịch")
    meeting = Meeting.objects.get(org=w.anhoa)
    assert (meeting.kind, meeting.period, meeting.scheduled_date) == (Meeting.Kind.REGULAR, day.replace(day=1), day)
    assert Notice.objects.filter(meeting=meeting, user=anhoa.supervisor, audience=Notice.Audience.SUPERVISOR).exists()

    secretary.get_by_role("link", name="Chi tiết").click()
    secretary.get_by_role("link", name="Chuẩn bị", exact=True).click()
    prep = secretary.locator("form.prep-form")
    for key in ("secretary", "recorder"):
        prep.get_by_label(m[key].full_name, exact=True).check()
    prep.get_by_label("Phân công chuẩn bị").select_option(label=m["recorder"].full_name)
    prep.get_by_label("Nội dung thống nhất").fill("Thống nhất chương trình, dự thảo nghị quyết tháng.")
    prep.get_by_role("button", name="Lưu").click()
    expect(secretary.locator(".messages")).to_contain_text("Đã ghi cuộc họp chi ủy chuẩn bị.")

    secretary.get_by_role("button", name="Lập từ chương trình mẫu").click()
    expect(secretary.locator("ol.agenda-edit > li")).to_have_count(len(agenda.template_for(meeting)))

    draft = secretary.get_by_label("Dự thảo nghị quyết", exact=True)
    draft.fill(DRAFT)
    draft.press("End")  # autosave runs on keyup
    expect(draft.locator("xpath=following-sibling::span[contains(@class,'saved')]")).to_contain_text("Đã lưu lúc")

    secretary.locator("input[name=file]").set_input_files(
        {"name": "du-thao-bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    secretary.get_by_label("Tên tài liệu").fill("Dự thảo báo cáo tháng")
    secretary.get_by_role("button", name="Đính kèm").click()
    expect(secretary.locator(".messages")).to_contain_text("Đã đính kèm tài liệu.")
    shot(secretary, "prepare")
    meeting.refresh_from_db()
    assert meeting.draft_resolution == DRAFT
    assert meeting.preparation.preparer == m["recorder"]
    assert set(meeting.preparation.attendees.all()) == {m["secretary"], m["recorder"]}
    assert meeting.attachments.get().kind == Attachment.Kind.DRAFT_REPORT

    officer = phone(w.ward_officer)
    officer.goto(reverse("meetings:readiness") + f"?org={w.ward.pk}&days={lead + 3}")
    row = officer.locator("tr", has_text=w.anhoa.name)
    expect(row).to_have_class("ready")
    expect(row.locator(".badge")).to_have_text("Sẵn sàng")
    expect(row.locator(".checklist li.no")).to_have_count(0)
    expect(row.locator(".checklist li.ok")).to_have_count(5)  # preparation, agenda, draft, documents, notice
    shot(officer, "readiness")
    officer.context.close()

    # --- The meeting day: open, attendance, guests, speakers, vote, close ------------------------------
    _move_clock_to(monkeypatch, day)
    secretary.goto(reverse("meetings:detail", args=[meeting.pk]))
    secretary.get_by_role("link", name="Trang sinh hoạt").click()
    secretary.get_by_label("Chủ trì").select_option(label=m["secretary"].full_name)
    secretary.get_by_label("Thư ký").select_option(label=m["recorder"].full_name)
    secretary.get_by_role("button", name="Khai mạc").click()
    header = secretary.locator("#meeting-header")
    expect(header.locator("h1 .badge")).to_have_text("Đang họp")
    expect(header.locator("dl.facts")).to_contain_text(m["secretary"].full_name)
    expect(header.locator("dl.facts")).to_contain_text(m["recorder"].full_name)

    # One tap each: most present, one late, one excused with a reason, one without.
    for key, member in m.items():
        if key == "exempt":
            continue
        row = secretary.locator(f"#att-{member.pk}")
        status = row.locator(".att-status")
        if key == "late":
            row.get_by_role("button", name="Muộn", exact=True).tap()
            expect(status).to_contain_text("Đến muộn")
        elif key == "unexcused":
            row.get_by_role("button", name="Vắng", exact=True).tap()
            expect(status).to_have_text("Vắng không lý do")
        elif key == "excused":
            row.get_by_text("Có lý do", exact=True).tap()
            row.get_by_label("Lý do vắng").fill(EXCUSE)
            row.get_by_role("button", name="Lưu", exact=True).tap()
            expect(status).to_have_text(f"Vắng có lý do — {EXCUSE}")
        else:
            row.get_by_role("button", name="Có mặt", exact=True).tap()
            expect(status).to_have_text("Có mặt")
    expect(secretary.locator("#totals .good b")).to_have_text("12")
    expect(secretary.locator("#att-count")).to_have_text("12/14")  # beside the list: present of those required
    shown = _totals(secretary)
    assert shown == {
        "Tổng số": "15",
        "Chính thức": "13",
        "Dự bị": "2",
        "Miễn sinh hoạt": "1",
        "Phải dự": "14",
        "Có mặt": "12",
        "Đến muộn": "1",
        "Vắng có lý do": "1",
        "Vắng không lý do": "1",
        "Chưa điểm danh": "0",
    }
    shot(secretary, "attendance")

    # The ward's supervisor checks in from their phone and shows among the guests.
    supervisor = phone(anhoa.supervisor)
    supervisor.goto(reverse("meetings:live", args=[meeting.pk]))
    guests = supervisor.locator("#guests")
    guests.get_by_label("Chức vụ, đơn vị").fill("Đảng ủy viên phường")
    guests.get_by_role("button", name="Tôi có mặt dự sinh hoạt").tap()
    expect(guests).to_contain_text("Võ Văn Giám Sát, Đảng ủy viên phường")
    expect(guests.locator(".badge")).to_have_text("Cấp trên dự sinh hoạt")
    shot(supervisor, "supervisor")
    supervisor.context.close()  # its page polls; nothing else of it is needed

    speakers = secretary.locator("#speakers")

    def give_the_floor(key: str, kind: str, summary: str) -> None:
        turn = speakers.locator("li.turn", has_text=m[key].full_name)
        turn.get_by_role("button", name="Mời phát biểu").tap()
        speaking = speakers.locator("li.turn-speaking")
        expect(speaking).to_contain_text(m[key].full_name)
        kinds = speaking.get_by_label("Loại ý kiến")
        if kinds.input_value() != kind:
            kinds.select_option(kind)  # autosaved on change: wait for it before finishing the turn
            expect(speaking.locator(".saved")).to_contain_text("Đã lưu lúc")
        speaking.get_by_label("Tóm tắt ý kiến").fill(summary)
        speaking.get_by_role("button", name="Kết thúc lượt").tap()
        expect(speakers.locator("li.turn-done", has_text=m[key].full_name)).to_have_count(1)

    def add_speaker(key: str, kind: str) -> None:
        # One tap on the name; the kind is set while they speak (give_the_floor).
        secretary.locator("#speaker-add").get_by_role("button", name=m[key].full_name, exact=True).tap()
        expect(speakers.locator("li.turn-queued", has_text=m[key].full_name)).to_have_count(1)

    (_, kind, _, summary) = SPEECHES[0]
    add_speaker("opinion", kind)
    give_the_floor("opinion", kind, summary)

    # A member asks for the floor from their own phone; the secretary's list shows it at its next change.
    asker = phone(anhoa.asker)
    asker.goto(reverse("meetings:live", args=[meeting.pk]))
    asker.get_by_role("button", name="Xin phát biểu").tap()
    expect(asker.locator("#speakers")).to_contain_text("Bạn đã đăng ký phát biểu, xin chờ đến lượt.")
    shot(asker, "request-to-speak")
    asker.context.close()

    (_, kind, _, summary) = SPEECHES[1]
    add_speaker("late", kind)
    requested = speakers.locator("li.turn-queued", has_text=m["asker"].full_name)
    expect(requested.locator(".badge", has_text="tự đăng ký")).to_have_count(1)
    give_the_floor("late", kind, summary)
    (_, kind, _, summary) = SPEECHES[2]
    give_the_floor("asker", kind, summary)
    shot(secretary, "speakers")

    vote = secretary.locator("#vote")
    vote.get_by_label("Tán thành", exact=True).fill("9")
    vote.get_by_label("Không tán thành", exact=True).fill("1")
    vote.get_by_label("Không biểu quyết", exact=True).fill("0")
    vote.get_by_role("button", name="Ghi kết quả").tap()
    expect(vote.locator(".vote-result")).to_contain_text("Tán thành 9 · Không tán thành 1 · Không biểu quyết 0")
    expect(vote.locator(".vote-result .badge")).to_have_text("Nghị quyết được thông qua")
    shot(secretary, "vote")

    # Closing first shows what falls short (a meeting of minutes, not 90), then asks to confirm.
    secretary.locator("#close-link").tap()
    expect(secretary.locator("#closing .shortfalls")).to_contain_text("chưa đủ tối thiểu 90 phút")
    secretary.get_by_role("button", name="Vẫn bế mạc").tap()
    expect(secretary.locator(".messages")).to_contain_text("Đã bế mạc buổi sinh hoạt.")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.ended_at > meeting.started_at
    assert (meeting.chair, meeting.recorder) == (m["secretary"], m["recorder"])
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert rows[m["excused"].pk].reason == EXCUSE and rows[m["late"].pk].arrived_at is not None
    assert Guest.objects.get(meeting=meeting).user == anhoa.supervisor
    turns = list(meeting.turns.order_by("started_at"))
    assert [(t.member, t.kind, t.summary) for t in turns] == [(m[k], kind, s) for k, kind, _, s in SPEECHES]
    assert [t.requested_by_member for t in turns] == [False, False, True]
    assert Vote.objects.get(meeting=meeting).passed

    # --- The minutes: composed, signed by the chair and the recorder on their phones, locked ----------
    secretary.get_by_role("link", name="Biên bản, nghị quyết").click()
    secretary.locator("tr", has_text="Biên bản").get_by_role("button", name="Lập dự thảo").tap()
    expect(secretary.locator(".messages")).to_contain_text("Đã lập dự thảo")
    document = MeetingDocument.objects.get(meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    assert secretary.get_by_role("button", name="Ký với tư cách thư ký").count() == 0  # the recorder signs
    secretary.get_by_role("button", name=f"Ký với tư cách chủ trì ({m['secretary'].full_name})").tap()
    expect(secretary.locator(".messages")).to_contain_text("Đã ký.")

    recorder = phone(anhoa.recorder)
    recorder.goto(reverse("documents:detail", args=[document.pk]))
    recorder.get_by_role("button", name=f"Ký với tư cách thư ký ({m['recorder'].full_name})").tap()
    expect(recorder.locator(".messages")).to_contain_text("Đã ký; văn bản đã khóa.")
    shot(recorder, "minutes-signed")
    document.refresh_from_db()
    assert document.status == MeetingDocument.Status.LOCKED
    assert {(s.role, s.signed_by) for s in document.signatures.all()} == {
        ("chair", anhoa.secretary),
        ("recorder", anhoa.recorder),
    }

    secretary.reload()
    with secretary.expect_download() as download_info:
        secretary.get_by_role("link", name="Tải tệp Word").tap()
    download = download_info.value
    assert download.suggested_filename == f"bien-ban-01-BB-CB-{day.year}.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    # --- The Word file, read back ---------------------------------------------------------------------
    content = saved.read_bytes()
    doc = Document(BytesIO(content))
    left, right = (cell.text.split("\n") for cell in doc.tables[0].rows[0].cells)
    assert left == ["ĐẢNG BỘ PHƯỜNG BÌNH THẠNH", "CHI BỘ KHU VỰC AN HÒA", "*", "Số 01-BB/CB"]
    held = compose.meeting_day(meeting)
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[-1] == f"Bình Thạnh, {compose.long_date(held)}"
    paragraphs = [p.text for p in doc.paragraphs]
    text = docx_text(content)
    assert "BIÊN BẢN" in paragraphs and f"họp chi bộ tháng {day.month} năm {day.year}" in paragraphs
    assert "DỰ THẢO" not in paragraphs
    assert f"Chủ trì: đồng chí {m['secretary'].full_name}." in paragraphs
    assert f"Thư ký: đồng chí {m['recorder'].full_name}." in paragraphs
    assert "Cán bộ cấp trên dự sinh hoạt: đồng chí Võ Văn Giám Sát, Đảng ủy viên phường." in paragraphs
    # The totals the live page showed, in the minutes' words.
    assert (
        f"Tổng số đảng viên của chi bộ: {shown['Tổng số']} đồng chí; trong đó chính thức {shown['Chính thức']}, "
        f"dự bị {shown['Dự bị']}; được miễn sinh hoạt {shown['Miễn sinh hoạt']}." in paragraphs
    )
    assert (
        f"Số đảng viên phải dự họp: {shown['Phải dự']}. Có mặt: {shown['Có mặt']} đồng chí (85,7%); "
        f"vắng: 2 đồng chí, trong đó có lý do {shown['Vắng có lý do']}, "
        f"không có lý do {shown['Vắng không lý do']}." in paragraphs
    )
    assert f"- Đồng chí {m['excused'].full_name}: {EXCUSE}." in paragraphs
    assert f"- Đồng chí {m['unexcused'].full_name}." in paragraphs
    assert f"Đến muộn: đồng chí {m['late'].full_name} (" in text
    # Each speech, in the order they were given (the member who asked spoke last, not in queue order).
    speeches = [f"- Đồng chí {m[key].full_name} ({label}): {summary}" for key, _kind, label, summary in SPEECHES]
    assert [p for p in paragraphs if p in speeches] == speeches
    assert "tán thành 9 (90,0%), không tán thành 1, không biểu quyết 0" in text
    assert "nghị quyết được thông qua" in text
    signatures = doc.tables[1].rows[0].cells
    assert m["recorder"].full_name in signatures[0].text and m["secretary"].full_name in signatures[1].text
    # Room to sign by hand in each block; the electronic sign-off once, apart.
    assert not any("Đã ký" in cell.text for cell in signatures)
    assert sum(p.startswith("Đã xác nhận trên hệ thống lúc") for p in paragraphs) == 1
