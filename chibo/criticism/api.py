"""Criticism records over the API: the cell committee and above only (Perm.SEE_SENSITIVE); everyone else 404."""

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination
from chibo.core.errors import ChiboError
from chibo.criticism import selectors, services
from chibo.criticism.models import CriticismRecord, FollowUp
from chibo.meetings.models import Meeting, SpeakingTurn
from chibo.members.models import Member

router = Router(tags=["Phê bình, tự phê bình"])


class FollowUpOut(Schema):
    id: int
    meeting_id: int
    progress: FollowUp.Progress
    note: str
    created_at: datetime


class RecordOut(Schema):
    id: int
    org_id: int
    meeting_id: int
    member_id: int
    full_name: str = Field(alias="member.full_name")
    kind: CriticismRecord.Kind
    turn_id: int | None
    content: str
    commitment: str
    fix_by: date | None
    status: CriticismRecord.Status
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj: CriticismRecord) -> list[FollowUp]:
        return list(obj.follow_ups.all())


class RecordIn(Schema):
    member_id: int | None = None
    kind: CriticismRecord.Kind | None = None
    turn_id: int | None = None
    content: str = ""
    commitment: str = ""
    fix_by: date | None = None


class FollowUpIn(Schema):
    meeting_id: int | None = None
    progress: FollowUp.Progress | None = None
    note: str = ""


def _one(pk: int) -> CriticismRecord:
    return CriticismRecord.objects.select_related("member").prefetch_related("follow_ups").get(pk=pk)


@router.get("", response={200: list[RecordOut], 404: ErrorOut})
@paginate(Pagination)
def record_list(request: AuthenticatedHttpRequest, org: int | None = None) -> QuerySet[CriticismRecord]:
    """Phê bình, tự phê bình trong phạm vi; `org` lọc theo một tổ chức (cả cấp dưới)."""
    if not selectors.may_see_any(request.user):
        raise Http404
    qs = selectors.records_with(request.user).select_related("member").prefetch_related("follow_ups")
    if org is not None:
        qs = qs.filter(org__path__startswith=get_org_for_user(request.user, org, Perm.SEE_SENSITIVE).path)
    return qs


@router.post("/meetings/{meeting_id}", response={201: RecordOut, 404: ErrorOut, 422: ChiboErrorOut})
def record_create(request: AuthenticatedHttpRequest, meeting_id: int, payload: RecordIn) -> Status:
    """Ghi phê bình hoặc tự phê bình của một đảng viên tại buổi họp, với điều đảng viên hứa khắc phục."""
    meeting = selectors.get_meeting_to_record(request.user, meeting_id)
    member = Member.objects.filter(pk=payload.member_id).first() if payload.member_id else None
    turn = SpeakingTurn.objects.filter(pk=payload.turn_id).first() if payload.turn_id else None
    if payload.turn_id and turn is None:
        raise ChiboError("Không có lượt phát biểu này.", field="turn_id")
    record = services.criticism_record(
        actor=request.user,
        meeting=meeting,
        member=member,
        kind=payload.kind,
        content=payload.content,
        commitment=payload.commitment,
        turn=turn,
        fix_by=payload.fix_by,
    )
    return Status(201, _one(record.pk))


@router.get("/{record_id}", response={200: RecordOut, 404: ErrorOut})
def record_detail(request: AuthenticatedHttpRequest, record_id: int) -> CriticismRecord:
    return _one(selectors.get_record_for_user(request.user, record_id).pk)


@router.post("/{record_id}/follow-ups", response={201: RecordOut, 404: ErrorOut, 422: ChiboErrorOut})
def follow_up(request: AuthenticatedHttpRequest, record_id: int, payload: FollowUpIn) -> Status:
    """Theo dõi việc khắc phục tại một buổi sinh hoạt sau; "kept" đóng hồ sơ."""
    record = selectors.get_record_for_user(request.user, record_id, write=True)
    meeting = Meeting.objects.filter(pk=payload.meeting_id).first() if payload.meeting_id else None
    services.follow_up_record(
        actor=request.user, record=record, meeting=meeting, progress=payload.progress, note=payload.note
    )
    return Status(201, _one(record.pk))
