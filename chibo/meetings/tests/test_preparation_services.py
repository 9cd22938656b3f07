"""Preparation (C5): the committee's preparatory meeting, the agenda from its template, the draft
resolution, documents, and the readiness checklist."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.meetings import selectors, services
from chibo.meetings.models import AgendaItem, Attachment, Meeting
from chibo.meetings.tests.conftest import plan_meeting
from chibo.notices import services as notices
from chibo.testing.factories import MemberFactory, World

pytestmark = pytest.mark.django_db


def pdf(size: int = 2000) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 9)


def ooxml(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buf.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def meeting(world: World) -> Meeting:
    return plan_meeting(world.anhoa, timezone.localdate() + timedelta(days=5))


def test_the_monthly_agenda_follows_the_order_of_the_guidance(meeting: Meeting) -> None:
    items = services.agenda_from_template(actor=None, meeting=meeting)
    assert [i.kind for i in items] == [
        AgendaItem.Kind.OPENING,
        AgendaItem.Kind.NEWS,
        AgendaItem.Kind.THINKING,
        AgendaItem.Kind.REVIEW,
        AgendaItem.Kind.HCM_EXAMPLE,
        AgendaItem.Kind.RESIDENTS,
        AgendaItem.Kind.NEXT_TASKS,
        AgendaItem.Kind.DISCUSSION,
        AgendaItem.Kind.CLOSING,
    ]
    assert [i.position for i in items] == list(range(1, 10))
    assert "biểu quyết nghị quyết" in items[-1].title


def test_a_thematic_meeting_has_its_introductory_paper(world: World) -> None:
    m = plan_meeting(world.anhoa, kind=Meeting.Kind.THEMATIC, thematic_topic="Dân vận khéo")
    kinds = [i.kind for i in services.agenda_from_template(actor=None, meeting=m)]
    assert kinds == [
        AgendaItem.Kind.OPENING,
        AgendaItem.Kind.INTRO_PAPER,
        AgendaItem.Kind.DISCUSSION,
        AgendaItem.Kind.CLOSING,
    ]
    assert AgendaItem.objects.get(meeting=m, kind=AgendaItem.Kind.INTRO_PAPER).title.endswith("Dân vận khéo")


def test_a_set_agenda_is_replaced_only_when_asked(meeting: Meeting) -> None:
    services.agenda_from_template(actor=None, meeting=meeting)
    services.agenda_item_add(actor=None, meeting=meeting, title="Góp ý dự thảo văn kiện")
    with pytest.raises(ChiboError, match="đã có chương trình"):
        services.agenda_from_template(actor=None, meeting=meeting)
    assert meeting.agenda_items.count() == 10
    services.agenda_from_template(actor=None, meeting=meeting, replace=True)
    assert meeting.agenda_items.count() == 9


def test_agenda_points_move_and_keep_positions_unique(meeting: Meeting) -> None:
    items = services.agenda_from_template(actor=None, meeting=meeting)
    services.agenda_item_move(actor=None, item=items[2], up=True)
    order = list(meeting.agenda_items.order_by("position").values_list("kind", flat=True))
    assert order[1:3] == [AgendaItem.Kind.THINKING, AgendaItem.Kind.NEWS]
    services.agenda_item_move(actor=None, item=items[0], up=True)  # already first: nothing moves
    assert meeting.agenda_items.get(position=1).kind == AgendaItem.Kind.OPENING


def test_points_added_in_preparation_go_before_the_closing_and_the_minutes_follow_the_order(meeting: Meeting) -> None:
    from chibo.documents.compose import read_record

    services.agenda_from_template(actor=None, meeting=meeting)
    before = meeting.agenda_items.count()
    added = services.agenda_item_add(actor=None, meeting=meeting, title="Vận động quỹ khuyến học")
    second = services.agenda_item_add(actor=None, meeting=meeting, title="Chuẩn bị Tết cho hộ nghèo")
    order = list(meeting.agenda_items.order_by("position").values_list("title", "kind"))
    assert len(order) == before + 2
    assert order[-1][1] == AgendaItem.Kind.CLOSING  # bế mạc stays last
    assert [t for t, _k in order[-3:-1]] == ["Vận động quỹ khuyến học", "Chuẩn bị Tết cho hộ nghèo"]
    # Moved up, the point stays moved; the minutes list the points in this order.
    services.agenda_item_move(actor=None, item=second, up=True)
    services.agenda_item_move(actor=None, item=second, up=True)
    titles = [i.title for i in meeting.agenda_items.order_by("position")]
    assert titles.index("Chuẩn bị Tết cho hộ nghèo") == titles.index("Vận động quỹ khuyến học") - 2
    assert [i.title for i in read_record(meeting).agenda] == titles
    positions = list(meeting.agenda_items.values_list("position", flat=True))
    assert sorted(positions) == list(range(1, before + 3))
    assert added.pk


def test_the_intro_paper_records_author_and_approval(world: World) -> None:
    m = plan_meeting(world.anhoa, kind=Meeting.Kind.THEMATIC, thematic_topic="An ninh trật tự")
    services.agenda_from_template(actor=None, meeting=m)
    item = m.agenda_items.get(kind=AgendaItem.Kind.INTRO_PAPER)
    today = timezone.localdate()
    services.agenda_item_update(
        actor=None, item=item, title=item.title, presenter=world.member_of_anhoa, approved_on=today
    )
    checks = {c.key: c for c in selectors.checklist(selectors.with_readiness(Meeting.objects.filter(pk=m.pk)).get())}
    assert checks["intro_paper"].ok is True


def test_a_presenter_from_another_cell_is_refused(meeting: Meeting, world: World) -> None:
    item = services.agenda_from_template(actor=None, meeting=meeting)[1]
    with pytest.raises(ChiboError, match="phải là đảng viên của chi bộ"):
        services.agenda_item_update(actor=None, item=item, title="x", presenter=MemberFactory(org=world.other_cell))


def test_the_committee_meeting_is_recorded_with_who_and_what(meeting: Meeting, world: World) -> None:
    sec = world.anhoa_secretary.member
    prep = services.preparation_record(
        actor=world.anhoa_secretary,
        meeting=meeting,
        held_on=timezone.localdate(),
        attendees=[sec, world.member_of_anhoa],
        decisions="Thống nhất nội dung; phân công đồng chí Thường dự thảo nghị quyết.",
        preparer=world.member_of_anhoa,
    )
    assert set(prep.attendees.all()) == {sec, world.member_of_anhoa}
    # Recording again corrects the same record.
    services.preparation_record(
        actor=None, meeting=meeting, held_on=timezone.localdate(), attendees=[sec], decisions="Sửa lại."
    )
    prep.refresh_from_db()
    assert prep.decisions == "Sửa lại." and prep.attendees.count() == 1


def test_a_committee_meeting_after_the_meeting_day_is_refused(world: World) -> None:
    m = plan_meeting(world.anhoa, timezone.localdate() - timedelta(days=2), kind=Meeting.Kind.EXTRAORDINARY)
    with pytest.raises(ChiboError, match="trước ngày sinh hoạt"):
        services.preparation_record(actor=None, meeting=m, held_on=timezone.localdate(), attendees=[], decisions="")
    assert not hasattr(Meeting.objects.get(pk=m.pk), "preparation") or True
    assert not m.__class__.objects.filter(pk=m.pk, preparation__isnull=False).exists()


def test_attendees_from_another_cell_are_refused(meeting: Meeting, world: World) -> None:
    with pytest.raises(ChiboError, match="Không thuộc chi bộ"):
        services.preparation_record(
            actor=None,
            meeting=meeting,
            held_on=timezone.localdate(),
            attendees=[MemberFactory(org=world.other_cell)],
            decisions="",
        )


def test_the_draft_resolution_is_saved_until_the_meeting_closes(meeting: Meeting) -> None:
    services.draft_resolution_save(actor=None, meeting=meeting, text="1. Vận động 100% hộ đóng góp quỹ.")
    meeting.refresh_from_db()
    assert meeting.draft_resolution.startswith("1.") and meeting.draft_resolution_updated_at is not None


@pytest.mark.parametrize(
    ("name", "content", "ext"),
    [
        ("bao-cao.pdf", pdf(), ".pdf"),
        ("Dự thảo.docx", ooxml("word/document.xml"), ".docx"),
        ("so-lieu.xlsx", ooxml("xl/workbook.xml"), ".xlsx"),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"0" * 100, ".jpg"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, ".png"),
    ],
)
def test_documents_of_the_five_kinds_are_attached(meeting: Meeting, name: str, content: bytes, ext: str) -> None:
    a = services.attachment_add(actor=None, meeting=meeting, upload=upload(name, content), title="Tài liệu")
    assert (a.extension, a.size, a.original_name) == (ext, len(content), name)
    assert a.file.name.startswith(f"meetings/{meeting.pk}/") and a.file.name.endswith(ext)
    assert a.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lon.pdf", pdf(10 * 1024 * 1024 + 1), "Tệp quá lớn (10,0 MB); tối đa 10 MB."),
        ("virus.exe", b"MZ" + b"0" * 100, "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG."),
        ("doi-duoi.pdf", b"MZ" + b"0" * 100, "Nội dung tệp không phải PDF như tên tệp"),
        ("zip-thuong.docx", ooxml("other.xml"), "Nội dung tệp không phải DOCX"),
        ("hong.xlsx", b"PK\x03\x04garbage", "Nội dung tệp không phải XLSX"),
        ("rong.pdf", b"", "Tệp rỗng"),
    ],
)
def test_documents_too_big_or_of_another_kind_are_refused(
    meeting: Meeting, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ChiboError) as err:
        services.attachment_add(actor=None, meeting=meeting, upload=upload(name, content))
    assert err.value.message.startswith(message) and err.value.field == "file"
    assert not Attachment.objects.exists()


def _checks(meeting: Meeting) -> dict[str, selectors.Check]:
    m = selectors.with_readiness(Meeting.objects.filter(pk=meeting.pk)).get()
    return {c.key: c for c in selectors.checklist(m)}


def test_readiness_starts_empty_and_fills_as_the_committee_prepares(meeting: Meeting, world: World) -> None:
    checks = _checks(meeting)
    assert [checks[k].ok for k in ("preparation", "agenda", "draft_resolution")] == [False, False, False]
    assert checks["documents"].ok is None and "Hạn gửi tài liệu" in checks["documents"].detail
    assert checks["supervisor_notified"].ok is False
    services.preparation_record(actor=None, meeting=meeting, held_on=timezone.localdate(), attendees=[], decisions="x")
    services.agenda_from_template(actor=None, meeting=meeting)
    services.draft_resolution_save(actor=None, meeting=meeting, text="Dự thảo")
    services.attachment_add(actor=None, meeting=meeting, upload=upload("a.pdf", pdf()))
    notices.meeting_notices_send(meeting_id=meeting.pk, kind="invitation")  # the supervisor persona follows An Hòa
    checks = _checks(meeting)
    assert all(checks[k].ok for k in ("preparation", "agenda", "draft_resolution", "documents", "supervisor_notified"))


def test_documents_uploaded_after_the_lead_time_do_not_count(world: World) -> None:
    m = plan_meeting(world.anhoa)  # today: the deadline (1 day before) has passed
    services.attachment_add(actor=None, meeting=m, upload=upload("a.pdf", pdf()))
    assert _checks(m)["documents"].ok is False
