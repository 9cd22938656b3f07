"""Commitments to follow Hồ Chí Minh's example over the API (C10), scoped like the pages: the member their
own, the roll's readers the cell's, the committee registers for members and reviews."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user
from chibo.commitments import selectors, services
from chibo.commitments.models import Commitment, ProgressNote
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination
from chibo.core.dates import today

router = Router(tags=["Học tập và làm theo Bác"])


class NoteOut(Schema):
    id: int
    text: str
    created_at: datetime


class CommitmentOut(Schema):
    id: int
    member_id: int
    full_name: str = Field(alias="member.full_name")
    org_id: int
    year: int
    items: list[str]
    status: Commitment.Status
    level: str
    review_comment: str
    notes: list[NoteOut]

    @staticmethod
    def resolve_notes(obj: Commitment) -> list[ProgressNote]:
        return list(obj.notes.all())


class RegisterIn(Schema):
    year: int | None = None
    content: str = Field("", description="Mỗi dòng một việc cụ thể.")


class NoteIn(Schema):
    text: str = ""


class ReviewIn(Schema):
    level: Commitment.Level | None = None
    comment: str = ""


class LevelCount(Schema):
    level: str
    label: str
    count: int


class MemberRef(Schema):
    id: int
    full_name: str


class SummaryOut(Schema):
    org_id: int
    year: int
    required: int
    registered: int
    reviewed: int
    by_level: list[LevelCount]
    not_registered: list[MemberRef]


def _scoped(request: AuthenticatedHttpRequest, commitment_id: int, action: str = "") -> Commitment:
    return selectors.get_commitment_for_user(request.user, commitment_id, action=action)


def _one(pk: int) -> Commitment:
    return Commitment.objects.select_related("member").prefetch_related("notes").get(pk=pk)


@router.get("", response={200: list[CommitmentOut], 404: ErrorOut})
@paginate(Pagination)
def commitment_list(
    request: AuthenticatedHttpRequest, org: int | None = None, year: int | None = None
) -> QuerySet[Commitment]:
    """Các bản đăng ký trong phạm vi (của mình, hoặc của các chi bộ được xem); lọc theo `org`, `year`."""
    qs = selectors.commitments_with(request.user).select_related("member").prefetch_related("notes")
    if org is not None:
        qs = qs.filter(org__path__startswith=get_org_for_user(request.user, org, Perm.LIST_MEMBERS).path)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "member__name_sort_key", "pk")


@router.post("/members/{member_id}", response={200: CommitmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def register(request: AuthenticatedHttpRequest, member_id: int, payload: RegisterIn) -> Commitment:
    """Đăng ký (hoặc sửa trước khi được đánh giá) các việc làm theo Bác trong năm."""
    member = selectors.get_member_to_register(request.user, member_id)
    commitment = services.commitment_register(
        actor=request.user, member=member, year=payload.year, content=payload.content
    )
    return _one(commitment.pk)


@router.get("/cells/{org_id}/summary", response={200: SummaryOut, 404: ErrorOut})
def summary(request: AuthenticatedHttpRequest, org_id: int, year: int | None = None) -> SummaryOut:
    """Tổng hợp của chi bộ: số đã đăng ký, đã đánh giá, theo mức, và những ai chưa đăng ký."""
    org = get_org_for_user(request.user, org_id, Perm.LIST_MEMBERS)
    if not org.is_cell:
        raise Http404
    s = selectors.cell_summary(org, year or today().year)
    return SummaryOut(
        org_id=org.pk,
        year=s.year,
        required=s.required,
        registered=s.registered,
        reviewed=s.reviewed,
        by_level=[LevelCount(level=lv, label=label, count=n) for lv, label, n in s.by_level],
        not_registered=[MemberRef(id=m.pk, full_name=m.full_name) for m in s.not_registered],
    )


@router.get("/{commitment_id}", response={200: CommitmentOut, 404: ErrorOut})
def commitment_detail(request: AuthenticatedHttpRequest, commitment_id: int) -> Commitment:
    return _one(_scoped(request, commitment_id).pk)


@router.post("/{commitment_id}/notes", response={201: CommitmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def note_add(request: AuthenticatedHttpRequest, commitment_id: int, payload: NoteIn) -> Status:
    """Ghi kết quả thực hiện trong năm."""
    commitment = _scoped(request, commitment_id, action="note")
    services.progress_note_add(actor=request.user, commitment=commitment, text=payload.text)
    return Status(201, _one(commitment.pk))


@router.put("/{commitment_id}/review", response={200: CommitmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def review(request: AuthenticatedHttpRequest, commitment_id: int, payload: ReviewIn) -> Commitment:
    """Chi ủy đánh giá cuối năm: mức đánh giá và nhận xét."""
    commitment = _scoped(request, commitment_id, action="review")
    services.commitment_review(actor=request.user, commitment=commitment, level=payload.level, comment=payload.comment)
    return _one(commitment.pk)
