"""Agenda templates: the order of business per kind of meeting (DOMAIN.md "The monthly meeting";
HD 09-2012 wording, kept by HD 42). `agenda_from_template` copies one into a meeting, where it is edited."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from chibo.meetings.models import AgendaItem, Meeting


def _monthly() -> list[tuple[str, str]]:
    return [
        (
            AgendaItem.Kind.OPENING,
            _("Khai mạc: thu đảng phí; báo cáo số lượng đảng viên có mặt, vắng mặt; thông qua chương trình; cử thư ký"),
        ),
        (AgendaItem.Kind.NEWS, _("Thông tin thời sự; quán triệt chỉ thị, nghị quyết, văn bản của cấp trên")),
        (AgendaItem.Kind.THINKING, _("Tình hình tư tưởng của đảng viên")),
        (AgendaItem.Kind.REVIEW, _("Kiểm điểm thực hiện nghị quyết tháng trước và nhiệm vụ của từng đảng viên")),
        (
            AgendaItem.Kind.HCM_EXAMPLE,
            _("Kiểm điểm việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
        ),
        (AgendaItem.Kind.RESIDENTS, _("Tình hình, ý kiến, kiến nghị của nhân dân trên địa bàn")),
        (AgendaItem.Kind.NEXT_TASKS, _("Nhiệm vụ tháng tới; phân công đảng viên thực hiện")),
        (AgendaItem.Kind.DISCUSSION, _("Thảo luận; tự phê bình và phê bình")),
    ]


def _closing() -> tuple[str, str]:
    return (
        AgendaItem.Kind.CLOSING,
        _("Bế mạc: biểu quyết nghị quyết; chấm điểm buổi sinh hoạt; đọc và thông qua biên bản"),
    )


def _intro_paper(topic: str) -> tuple[str, str]:
    title = _("Trình bày đề dẫn chuyên đề")
    return (AgendaItem.Kind.INTRO_PAPER, f"{title}: {topic}" if topic else title)


def template_for(meeting: Meeting) -> list[tuple[str, str]]:
    """(kind, title) pairs, in order, for this meeting."""
    opening = _monthly()[0]
    if meeting.kind == Meeting.Kind.THEMATIC:
        return [
            opening,
            _intro_paper(meeting.thematic_topic),
            (AgendaItem.Kind.DISCUSSION, _("Thảo luận chuyên đề")),
            (AgendaItem.Kind.CLOSING, _("Bế mạc: kết luận chuyên đề; đọc và thông qua biên bản")),
        ]
    if meeting.kind == Meeting.Kind.EXTRAORDINARY:
        return [
            opening,
            (AgendaItem.Kind.OTHER, _("Nội dung sinh hoạt bất thường")),
            (AgendaItem.Kind.DISCUSSION, _("Thảo luận")),
            _closing(),
        ]
    items = _monthly()
    if meeting.with_thematic:
        items.append(_intro_paper(meeting.thematic_topic))
    return [*items, _closing()]


# Apps above this one fill an agenda point's notes from what they record (the households' liaison log fills
# "ý kiến, kiến nghị của nhân dân"); registered in their AppConfig.ready(), so imports keep pointing down.
NotesSource = Callable[[Meeting], str]
_NOTES: dict[str, list[NotesSource]] = {}


def register_notes(kind: str, source: NotesSource) -> None:
    if source not in _NOTES.setdefault(kind, []):
        _NOTES[kind].append(source)


def notes_for(meeting: Meeting, kind: str) -> str:
    """The notes an agenda point of `kind` starts with (empty unless an app fills it)."""
    return "\n".join(text for source in _NOTES.get(kind, []) if (text := source(meeting)))
