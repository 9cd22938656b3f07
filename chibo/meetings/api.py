"""Meetings over the API (C17): the list and a meeting with its live totals, and the live record
(attendance, speakers, votes) read and written through the same services and scope as the pages.

Reading needs Perm.ATTEND_MEETINGS on the cell; writing needs Perm.RUN_MEETINGS, except a member's own
request to speak. Outside scope: 404. A refused action: 422 {"detail": "<Vietnamese>", "field": ...}.
"""

from datetime import date, datetime, time

from django.apps import apps
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination, parse_day
from chibo.core.errors import ChiboError
from chibo.meetings import selectors, services
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn, Vote
from chibo.meetings.selectors import LiveTotals
from chibo.members.models import Member

router = Router(tags=["Sinh hoạt chi bộ"])
READ = Perm.ATTEND_MEETINGS


class MeetingOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    kind: Meeting.Kind
    title: str
    scheduled_for: date = Field(alias="scheduled_date")
    scheduled_time: time
    place: str
    status: Meeting.Status
    started_at: datetime | None
    ended_at: datetime | None


class TotalsOut(Schema):
    on_roll: int
    official: int
    probationary: int
    exempt: int
    required: int
    present: int
    late: int
    excused: int
    unexcused: int
    unmarked: int
    exempt_present: int
    voters: int = Field(description="Đảng viên chính thức có mặt: những người được biểu quyết.")
    attendance_rate: float | None
    attendance_threshold_pct: int
    attendance_met: bool
    speakers: int = Field(description="Số đảng viên (khác nhau) đã phát biểu.")
    speakers_needed: int
    speakers_threshold_pct: int
    speakers_met: bool
    exempt_speakers: int = Field(description="Đảng viên miễn sinh hoạt đã phát biểu: ghi riêng, không tính tỷ lệ.")
    votes_needed: int | None = Field(
        description="Số phiếu tán thành tối thiểu để nghị quyết được thông qua theo điều kiện của bộ quy định."
    )


class MeetingDetailOut(MeetingOut):
    chair_id: int | None
    recorder_id: int | None
    draft_resolution: str
    totals: TotalsOut | None = Field(None, description="Có từ khi khai mạc.")
    distinct_speakers: int = 0
    duration_minutes: int | None = None
    min_duration_minutes: int
    closing_shortfalls: list[dict] = Field([], description="Những điểm chưa đạt khi bế mạc, lưu cùng hồ sơ.")
    score_total: int | None = Field(None, description="Tổng điểm chất lượng (C14); chi tiết: /meetings/{id}/score.")
    score_level: str | None = Field(None, description="good, fair, average hoặc poor.")
    score_state: str | None = Field(None, description="proposed, voted, confirmed hoặc locked.")


class AttendanceOut(Schema):
    member_id: int
    full_name: str = Field(alias="member.full_name")
    is_official: bool
    is_exempt: bool
    status: Attendance.Status
    arrived_at: time | None
    reason: str


# Inputs the services check themselves are optional here, so that a caller outside scope gets 404/403
# before any complaint about the body.
class AttendanceIn(Schema):
    status: Attendance.Status | None = None
    reason: str = ""
    arrived_at: time | None = None


class TurnOut(Schema):
    id: int
    position: int
    member_id: int
    full_name: str = Field(alias="member.full_name")
    kind: SpeakingTurn.Kind
    status: SpeakingTurn.Status
    summary: str
    requested_by_member: bool
    agenda_item_id: int | None
    started_at: datetime | None
    ended_at: datetime | None


class TurnIn(Schema):
    member_id: int | None = None
    kind: SpeakingTurn.Kind = SpeakingTurn.Kind.OPINION


class TurnTextIn(Schema):
    kind: SpeakingTurn.Kind | None = None
    summary: str | None = None


class VoteOut(Schema):
    id: int
    subject: Vote.Subject
    votes_for: int
    votes_against: int
    votes_abstain: int
    voters_present: int
    official_required: int
    pass_rule: str
    passed: bool
    recorded_at: datetime


class VoteIn(Schema):
    votes_for: int | None = Field(None, ge=0)
    votes_against: int = Field(0, ge=0)
    votes_abstain: int = Field(0, ge=0)


def _totals(t: LiveTotals) -> TotalsOut:
    return TotalsOut(
        **{name: getattr(t, name) for name in TotalsOut.model_fields},
    )


# --- meetings -----------------------------------------------------------------------------------------


@router.get("", response={200: list[MeetingOut], 404: ErrorOut, 422: ErrorOut})
@paginate(Pagination)
def meeting_list(
    request: AuthenticatedHttpRequest,
    org: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Meeting]:
    """Các buổi sinh hoạt trong phạm vi; `org` lọc theo một tổ chức (cả các cấp dưới), `date_from`,
    `date_to` (YYYY-MM-DD) theo ngày họp."""
    qs = selectors.meetings_with(request.user, READ).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=get_org_for_user(request.user, org, READ).path)
    start, end = parse_day(date_from, param="date_from"), parse_day(date_to, param="date_to")
    if start:
        qs = qs.filter(scheduled_date__gte=start)
    if end:
        qs = qs.filter(scheduled_date__lte=end)
    return qs.order_by("scheduled_date", "scheduled_time", "pk")


def _detail(meeting: Meeting) -> MeetingDetailOut:
    out = MeetingDetailOut.model_validate(meeting, from_attributes=True)
    if meeting.status != Meeting.Status.PLANNED:
        totals = selectors.live_totals(meeting)
        out.totals, out.distinct_speakers = _totals(totals), totals.speakers
    if meeting.status == Meeting.Status.CLOSED and apps.is_installed("chibo.quality"):
        # The quality app is built on this one; looked up by name to keep imports pointing down.
        score = apps.get_model("quality", "MeetingScore").objects.filter(meeting=meeting).first()
        if score is not None:
            out.score_total, out.score_level, out.score_state = score.total, score.level, score.state
    return out


@router.get("/{meeting_id}", response={200: MeetingDetailOut, 404: ErrorOut})
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> MeetingDetailOut:
    """Một buổi sinh hoạt với số liệu điểm danh và số đảng viên đã phát biểu."""
    return _detail(selectors.get_meeting_for_user(request.user, meeting_id, READ))


class OpenIn(Schema):
    chair_id: int | None = None
    recorder_id: int | None = None


def _cell_member(meeting: Meeting, member_id: int | None, field: str) -> Member | None:
    if member_id is None:
        return None
    found = Member.objects.filter(pk=member_id, org_id=meeting.org_id).first()
    if found is None:
        raise ChiboError(_("Không có đảng viên này trong chi bộ."), field=field)
    return found


@router.post("/{meeting_id}/open", response={200: MeetingDetailOut, 404: ErrorOut, 422: ChiboErrorOut})
def meeting_open(request: AuthenticatedHttpRequest, meeting_id: int, payload: OpenIn | None = None) -> MeetingDetailOut:
    """Khai mạc: chọn chủ trì (`chair_id`) và thư ký (`recorder_id`), hai đồng chí khác nhau của chi bộ;
    lập danh sách điểm danh theo danh sách đảng viên của chi bộ trong ngày."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, action="change")
    payload = payload or OpenIn()
    services.meeting_open(
        actor=request.user,
        meeting=meeting,
        chair=_cell_member(meeting, payload.chair_id, "chair"),
        recorder=_cell_member(meeting, payload.recorder_id, "recorder"),
    )
    return _detail(selectors.get_meeting_for_user(request.user, meeting_id, action="change"))


@router.post("/{meeting_id}/close", response={200: MeetingDetailOut, 404: ErrorOut, 422: ChiboErrorOut})
def meeting_close(request: AuthenticatedHttpRequest, meeting_id: int) -> MeetingDetailOut:
    """Bế mạc."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, action="change")
    services.meeting_close(actor=request.user, meeting=meeting)
    return _detail(selectors.get_meeting_for_user(request.user, meeting_id, action="change"))


# --- attendance ---------------------------------------------------------------------------------------


@router.get("/{meeting_id}/attendance", response={200: list[AttendanceOut], 404: ErrorOut})
@paginate(Pagination)
def attendance_list(request: AuthenticatedHttpRequest, meeting_id: int) -> QuerySet[Attendance]:
    """Danh sách điểm danh theo thứ tự tên tiếng Việt (đảng viên miễn sinh hoạt ở cuối)."""
    return selectors.attendance_rows(selectors.get_meeting_for_user(request.user, meeting_id, READ))


@router.put("/{meeting_id}/attendance/{member_id}", response={200: AttendanceOut, 404: ErrorOut, 422: ChiboErrorOut})
def attendance_record(
    request: AuthenticatedHttpRequest, meeting_id: int, member_id: int, payload: AttendanceIn
) -> Attendance:
    """Điểm danh một đảng viên: có mặt, đến muộn (giờ đến), vắng có lý do (lý do), vắng không lý do."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, action="change")
    row = get_object_or_404(Attendance.objects.select_related("member"), meeting=meeting, member_id=member_id)
    return services.attendance_record(
        actor=request.user,
        meeting=meeting,
        member=row.member,
        status=payload.status or "",
        reason=payload.reason,
        arrived_at=payload.arrived_at,
    )


# --- speakers -----------------------------------------------------------------------------------------


@router.get("/{meeting_id}/speakers", response={200: list[TurnOut], 404: ErrorOut})
@paginate(Pagination)
def turn_list(request: AuthenticatedHttpRequest, meeting_id: int) -> QuerySet[SpeakingTurn]:
    """Danh sách phát biểu theo thứ tự đăng ký."""
    return selectors.turns(selectors.get_meeting_for_user(request.user, meeting_id, READ))


@router.post("/{meeting_id}/speakers", response={201: TurnOut, 404: ErrorOut, 422: ChiboErrorOut})
def speaker_add(request: AuthenticatedHttpRequest, meeting_id: int, payload: TurnIn) -> tuple[int, SpeakingTurn]:
    """Thư ký thêm một đảng viên có mặt vào danh sách phát biểu."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, action="change")
    if payload.member_id is None:
        raise ChiboError("Chọn đảng viên phát biểu.", field="member_id")
    row = get_object_or_404(Attendance.objects.select_related("member"), meeting=meeting, member_id=payload.member_id)
    return 201, services.speaker_add(actor=request.user, meeting=meeting, member=row.member, kind=payload.kind)


@router.post("/{meeting_id}/speakers/request", response={201: TurnOut, 404: ErrorOut, 422: ChiboErrorOut})
def speaker_request(request: AuthenticatedHttpRequest, meeting_id: int) -> tuple[int, SpeakingTurn]:
    """Đảng viên (chính người dùng) xin phát biểu."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, READ)
    return 201, services.speaker_request(actor=request.user, meeting=meeting)


def _turn(request: AuthenticatedHttpRequest, meeting_id: int, turn_id: int) -> SpeakingTurn:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, action="change")
    return get_object_or_404(SpeakingTurn.objects.select_related("meeting", "member"), meeting=meeting, pk=turn_id)


@router.post("/{meeting_id}/speakers/{turn_id}/start", response={200: TurnOut, 404: ErrorOut, 422: ChiboErrorOut})
def turn_start(request: AuthenticatedHttpRequest, meeting_id: int, turn_id: int) -> SpeakingTurn:
    """Mời phát biểu (người đang phát biểu, nếu có, kết thúc lượt)."""
    return services.turn_start(actor=request.user, turn=_turn(request, meeting_id, turn_id))


@router.post("/{meeting_id}/speakers/{turn_id}/finish", response={200: TurnOut, 404: ErrorOut, 422: ChiboErrorOut})
def turn_finish(request: AuthenticatedHttpRequest, meeting_id: int, turn_id: int, payload: TurnTextIn) -> SpeakingTurn:
    """Kết thúc lượt phát biểu, kèm loại ý kiến và tóm tắt."""
    turn = _turn(request, meeting_id, turn_id)
    return services.turn_finish(actor=request.user, turn=turn, kind=payload.kind, summary=payload.summary)


@router.patch("/{meeting_id}/speakers/{turn_id}", response={200: TurnOut, 404: ErrorOut, 422: ChiboErrorOut})
def turn_update(request: AuthenticatedHttpRequest, meeting_id: int, turn_id: int, payload: TurnTextIn) -> SpeakingTurn:
    """Sửa loại ý kiến, tóm tắt của một lượt phát biểu."""
    turn = _turn(request, meeting_id, turn_id)
    return services.turn_update(actor=request.user, turn=turn, kind=payload.kind, summary=payload.summary)


# --- votes --------------------------------------------------------------------------------------------


@router.get("/{meeting_id}/votes", response={200: list[VoteOut], 404: ErrorOut})
@paginate(Pagination)
def vote_list(request: AuthenticatedHttpRequest, meeting_id: int) -> QuerySet[Vote]:
    """Kết quả biểu quyết."""
    return selectors.get_meeting_for_user(request.user, meeting_id, READ).votes.order_by("pk")


@router.post("/{meeting_id}/votes", response={200: VoteOut, 404: ErrorOut, 422: ChiboErrorOut})
def vote_record(request: AuthenticatedHttpRequest, meeting_id: int, payload: VoteIn) -> Vote:
    """Ghi kết quả biểu quyết nghị quyết (ghi lại thì thay kết quả trước)."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, action="change")
    if payload.votes_for is None:
        raise ChiboError("Nhập số phiếu tán thành.", field="votes_for")
    return services.vote_record(
        actor=request.user,
        meeting=meeting,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        votes_abstain=payload.votes_abstain,
    )
