"""Each check of a scoring scheme (chibo.rules.scoring.CHECKS), measured from the meeting's record.

A check answers how much of its criterion the record earns (a fraction num/den: most are all or nothing),
the evidence in words, and where in the record it can be seen. It reads the one count of the meeting
(chibo.meetings.selectors.live_totals), never a count of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from django.urls import reverse
from django.utils import timezone

from chibo.documents.models import MeetingDocument
from chibo.meetings import selectors as meeting_selectors
from chibo.meetings.models import AgendaItem, Attachment, Meeting, Preparation
from chibo.meetings.selectors import LiveTotals
from chibo.notices.models import Notice
from chibo.tasks.models import Task
from chibo.tasks.selectors import review_counts

ALL, NONE = Fraction(1), Fraction(0)


@dataclass(frozen=True)
class Measure:
    share: Fraction  # of the criterion's points
    evidence: str
    url: str = ""

    @property
    def met(self) -> bool:
        return self.share == ALL


@dataclass
class Record:
    """What the checks read, gathered once per meeting."""

    meeting: Meeting
    totals: LiveTotals

    def url(self, name: str, anchor: str = "") -> str:
        return reverse(name, args=[self.meeting.pk]) + (f"#{anchor}" if anchor else "")


def _day(moment: object) -> str:
    return timezone.localdate(moment).strftime("%d/%m/%Y")  # type: ignore[arg-type]


def committee_prepared(r: Record) -> Measure:
    prep = Preparation.objects.filter(meeting=r.meeting).first()
    url = r.url("meetings:prepare")
    if prep is None:
        return Measure(NONE, "Không ghi nhận cuộc họp chi ủy (bí thư) chuẩn bị.", url)
    return Measure(
        ALL,
        f"Chi ủy họp chuẩn bị ngày {prep.held_on:%d/%m/%Y}, {prep.attendees.count()} đồng chí dự.",
        url,
    )


def documents_ready(r: Record) -> Measure:
    m = r.meeting
    deadline = meeting_selectors.documents_deadline(m)
    files = Attachment.objects.filter(meeting=m)
    draft_file = files.filter(kind=Attachment.Kind.DRAFT_RESOLUTION).order_by("uploaded_at").first()
    draft_at = draft_file.uploaded_at if draft_file else m.draft_resolution_updated_at if m.draft_resolution else None
    first_doc = files.order_by("uploaded_at").values_list("uploaded_at", flat=True).first()
    url = r.url("meetings:prepare")
    if draft_at is None:
        return Measure(NONE, "Không có dự thảo nghị quyết.", url)
    on_time = timezone.localdate(draft_at) <= deadline and (
        first_doc is None or timezone.localdate(first_doc) <= deadline
    )
    if on_time:
        return Measure(ALL, f"Dự thảo nghị quyết có từ {_day(draft_at)}, trước hạn {deadline:%d/%m/%Y}.", url)
    return Measure(
        Fraction(1, 2), f"Dự thảo nghị quyết có ngày {_day(draft_at)}, sau hạn gửi tài liệu {deadline:%d/%m/%Y}.", url
    )


def notices_sent(r: Record) -> Measure:
    sent = set(Notice.objects.filter(meeting=r.meeting, kind=Notice.Kind.INVITATION).values_list("audience", flat=True))
    members, supervisor = Notice.Audience.MEMBER in sent, Notice.Audience.SUPERVISOR in sent
    url = r.url("meetings:detail")
    if members and supervisor:
        return Measure(ALL, "Đã gửi thông báo đến đảng viên và cấp ủy viên phụ trách.", url)
    if members:
        return Measure(Fraction(1, 2), "Đã thông báo đến đảng viên; chưa thông báo cấp ủy viên phụ trách.", url)
    return Measure(NONE, "Không có thông báo mời họp trong hệ thống.", url)


def attendance_rate(r: Record) -> Measure:
    t = r.totals
    words = (
        f"Có mặt {t.present}/{t.required} đảng viên phải dự ({t.attendance_rate_display}%), "
        f"yêu cầu ≥ {t.attendance_threshold_pct}%"
    )
    if t.exempt_present:
        words += f"; miễn sinh hoạt có dự {t.exempt_present} (không tính)"
    return Measure(ALL if t.attendance_met else NONE, words + ".", r.url("meetings:live", "attendance"))


def no_unexcused(r: Record) -> Measure:
    n = r.totals.unexcused
    url = r.url("meetings:live", "attendance")
    if n:
        return Measure(NONE, f"{n} đảng viên vắng không lý do.", url)
    return Measure(ALL, "Không có đảng viên vắng không lý do.", url)


def duration(r: Record) -> Measure:
    m = r.meeting
    minutes, minimum = m.duration_minutes or 0, m.min_duration_minutes
    words = f"Họp {minutes} phút, tối thiểu {minimum} phút" + (" (kết hợp chuyên đề)" if m.is_thematic else "") + "."
    return Measure(ALL if minutes >= minimum else NONE, words, r.url("meetings:detail"))


def speakers(r: Record) -> Measure:
    t = r.totals
    words = (
        f"{t.speakers}/{t.present} đảng viên có mặt phát biểu ({t.speakers_rate_display}%), "
        f"yêu cầu ≥ {t.speakers_threshold_pct}% ({t.speakers_needed} đồng chí)."
    )
    return Measure(ALL if t.speakers_met else NONE, words, r.url("meetings:live", "speakers"))


def criticism(r: Record) -> Measure:
    held = meeting_selectors.criticism_held(r.meeting)
    words = "Có tự phê bình, phê bình." if held else "Không có ý kiến tự phê bình, phê bình."
    return Measure(ALL if held else NONE, words, r.url("meetings:detail"))


def tasks_reviewed(r: Record) -> Measure:
    counts = review_counts(r.meeting)
    url = r.url("meetings:live", "task-review")
    if counts["total"] == 0:
        return Measure(ALL, "Không có nhiệm vụ tháng trước cần kiểm điểm.", url)
    share = Fraction(counts["reviewed"], counts["total"])
    return Measure(share, f"Đã kiểm điểm {counts['reviewed']}/{counts['total']} nhiệm vụ của đảng viên.", url)


def directives(r: Record) -> Measure:
    """News and directives from above: the agenda point reached, or a directive among the documents."""
    m = r.meeting
    reached = AgendaItem.objects.filter(meeting=m, kind=AgendaItem.Kind.NEWS, started_at__isnull=False).exists()
    directive = Attachment.objects.filter(meeting=m, kind=Attachment.Kind.DIRECTIVE).exists()
    if reached or directive:
        what = "đã tiến hành nội dung thông tin, quán triệt văn bản cấp trên" if reached else "có văn bản cấp trên"
        return Measure(ALL, f"Quán triệt: {what}.", r.url("meetings:detail"))
    return Measure(NONE, "Không ghi nhận việc quán triệt văn bản, chỉ đạo cấp trên.", r.url("meetings:detail"))


def tasks_assigned(r: Record) -> Measure:
    tasks = Task.objects.filter(meeting=r.meeting, assignments__isnull=False).distinct()
    people = tasks.values("assignments__member").distinct().count()
    n = tasks.count()
    url = r.url("meetings:live", "next-tasks")
    if n:
        return Measure(ALL, f"Giao {n} nhiệm vụ cho {people} đảng viên cụ thể.", url)
    return Measure(NONE, "Không giao nhiệm vụ cho đảng viên cụ thể.", url)


def resolution_voted(r: Record) -> Measure:
    vote = r.meeting.votes.first()
    url = r.url("meetings:live", "vote")
    if vote is None:
        return Measure(NONE, "Không biểu quyết nghị quyết.", url)
    words = f"Biểu quyết: {vote.votes_for}/{vote.voters_present} đảng viên chính thức có mặt tán thành"
    if vote.passed:
        return Measure(ALL, words + "; nghị quyết được thông qua.", url)
    return Measure(NONE, words + "; nghị quyết không được thông qua.", url)


def minutes_signed(r: Record) -> Measure:
    m = r.meeting
    minutes = MeetingDocument.objects.filter(meeting=m, kind=MeetingDocument.Kind.MINUTES).first()
    within = m.ruleset.minutes_sign_within_days
    if minutes is None:
        return Measure(NONE, "Chưa lập biên bản.", r.url("meetings:detail"))
    url = minutes.get_absolute_url()
    if minutes.locked_at is None:
        return Measure(NONE, f"Biên bản {minutes.number_display} chưa ký đủ (hạn {within} ngày sau buổi họp).", url)
    held = timezone.localdate(m.started_at) if m.started_at else m.scheduled_date
    signed = timezone.localdate(minutes.locked_at)
    if signed <= held + timedelta(days=within):
        return Measure(
            ALL, f"Biên bản {minutes.number_display} ký đủ ngày {signed:%d/%m/%Y}, trong hạn {within} ngày.", url
        )
    return Measure(NONE, f"Biên bản ký đủ ngày {signed:%d/%m/%Y}, quá hạn {within} ngày.", url)


CHECK_FUNCTIONS: dict[str, Callable[[Record], Measure]] = {
    "committee_prepared": committee_prepared,
    "documents_ready": documents_ready,
    "notices_sent": notices_sent,
    "attendance_rate": attendance_rate,
    "no_unexcused": no_unexcused,
    "duration": duration,
    "speakers": speakers,
    "criticism": criticism,
    "tasks_reviewed": tasks_reviewed,
    "directives": directives,
    "tasks_assigned": tasks_assigned,
    "resolution_voted": resolution_voted,
    "minutes_signed": minutes_signed,
}


def measure(meeting: Meeting, checks: list[str]) -> dict[str, Measure]:
    record = Record(meeting=meeting, totals=meeting_selectors.live_totals(meeting))
    return {name: CHECK_FUNCTIONS[name](record) for name in checks}
