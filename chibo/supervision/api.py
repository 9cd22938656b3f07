"""Supervision over the API (C11, C17), scoped like the pages: a committee's assignments and coverage for
whoever sees the committee, changes for its officers (Perm.SUPERVISE); a meeting's remarks for whoever sees
the meeting, recorded by the cadre attending, answered by those who run it."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, has_perm_on
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination, parse_day
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.meetings.models import SupervisorRemark
from chibo.meetings.selectors import get_meeting_for_user
from chibo.organizations.models import Organization
from chibo.supervision import selectors, services
from chibo.supervision.models import Assignment

router = Router(tags=["Dự sinh hoạt chi bộ"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _committee(request: HttpRequest, org_id: int, *, write: bool = False) -> Organization:
    committee = selectors.get_committee_for_user(request.user, org_id)
    if write and not has_perm_on(request.user, committee, Perm.SUPERVISE):
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của cấp ủy được phân công, lập lịch."))
    return committee


class AssignmentOut(Schema):
    id: int
    committee_id: int
    cadre_id: int
    cadre_name: str
    cell_id: int
    cell_name: str
    kind: Assignment.Kind
    title: str
    valid_from: date
    valid_to: date | None

    @staticmethod
    def resolve_cadre_name(obj: Assignment) -> str:
        return obj.cadre.get_full_name() or obj.cadre.username

    @staticmethod
    def resolve_cell_name(obj: Assignment) -> str:
        return obj.cell.name


# Fields are optional in the schema so that scope is answered first (404/403) and a missing field gets the
# service's Vietnamese message at that field (422), as on the pages.
class AssignmentIn(Schema):
    cadre_id: int | None = None
    cell_id: int | None = None
    title: str = ""
    kind: Assignment.Kind = Assignment.Kind.COMMITTEE
    valid_from: date | None = None
    valid_to: date | None = None


class EndIn(Schema):
    ended_on: date | None = None


@router.get("/assignments", response={200: list[AssignmentOut], 404: ErrorOut})
@paginate(Pagination)
def assignment_list(request: HttpRequest, org: int) -> QuerySet[Assignment]:
    """Các phân công của một cấp ủy (cả lịch sử), mới nhất trước."""
    committee = _committee(request, org)
    return Assignment.objects.filter(committee=committee).select_related("cadre", "cell").order_by("-valid_from", "id")


@router.post("/assignments", response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def assignment_create(request: HttpRequest, org: int, payload: AssignmentIn) -> tuple[int, Assignment]:
    """Phân công một cán bộ dự sinh hoạt một chi bộ trong một thời gian."""
    committee = _committee(request, org, write=True)
    cadre = User.objects.filter(pk=payload.cadre_id or 0, is_active=True).first()
    cell = Organization.objects.filter(pk=payload.cell_id or 0).first()
    if cadre is None:
        raise ChiboError(_("Chọn tài khoản của cán bộ."), field="cadre_id")
    if cell is None:
        raise ChiboError(_("Chọn một chi bộ."), field="cell_id")
    if payload.valid_from is None:
        raise ChiboError(_("Nhập ngày bắt đầu."), field="valid_from")
    a = services.assignment_create(
        actor=_user(request),
        committee=committee,
        cadre=cadre,
        cell=cell,
        kind=payload.kind,
        title=payload.title,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return 201, a


@router.post(
    "/assignments/{assignment_id}/end", response={200: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut}
)
def assignment_end(request: HttpRequest, assignment_id: int, payload: EndIn) -> Assignment:
    """Kết thúc một phân công từ một ngày (lịch sử vẫn giữ)."""
    a = get_object_or_404(Assignment.objects.select_related("committee", "cadre", "cell"), pk=assignment_id)
    _committee(request, a.committee_id, write=True)
    if payload.ended_on is None:
        raise ChiboError(_("Nhập ngày kết thúc."), field="ended_on")
    return services.assignment_end(actor=_user(request), assignment=a, ended_on=payload.ended_on)


class CellCoverageOut(Schema):
    cell_id: int
    name: str
    cadres: list[str]
    visits: int
    last_visit: date | None
    days_without: int
    overdue: bool


class VisitOut(Schema):
    cell: str
    day: date


class CadreCoverageOut(Schema):
    user_id: int
    name: str
    titles: list[str]
    assigned: list[str]
    attended: list[VisitOut]
    missed: list[str]

    @staticmethod
    def resolve_attended(obj: selectors.CadreCoverage) -> list[VisitOut]:
        return [VisitOut(cell=cell, day=day) for cell, day in obj.attended]


class CoverageOut(Schema):
    committee_id: int
    start: date
    end: date
    reference_day: date
    gap_days: int
    cells: list[CellCoverageOut]
    cadres: list[CadreCoverageOut]


@router.get("/coverage", response={200: CoverageOut, 404: ErrorOut, 422: ErrorOut})
def coverage(request: HttpRequest, org: int, period: str | None = None, as_of: str | None = None) -> CoverageOut:
    """Độ phủ của một quý (`period=2021-Q2`, mặc định quý hiện tại): chi bộ nào có cấp trên dự, chi bộ nào
    quá thời gian quy định chưa có; mỗi cán bộ đã dự, chưa dự chi bộ nào."""
    committee = _committee(request, org)
    start, end = selectors.parse_quarter(period, parse_day(as_of) or today())
    report = selectors.coverage(committee, start, end, today=parse_day(as_of))
    return CoverageOut(
        committee_id=committee.pk,
        start=report.start,
        end=report.end,
        reference_day=report.reference_day,
        gap_days=report.gap_days,
        cells=[CellCoverageOut(**vars(c)) for c in report.cells],
        cadres=report.cadres,  # type: ignore[arg-type]
    )


class RemarkOut(Schema):
    id: int
    author_id: int
    author_name: str
    text: str
    asks_action: bool
    status: str
    reply: str
    task_id: int | None


class RemarkIn(Schema):
    text: str = ""
    asks_action: bool = False


class ReplyIn(Schema):
    reply: str = ""


def _remark_out(view: selectors.RemarkView) -> RemarkOut:
    author = view.remark.author
    return RemarkOut(
        id=view.remark.pk,
        author_id=author.pk,
        author_name=author.get_full_name() or author.username,
        text=view.remark.text,
        asks_action=view.asks_action,
        status=view.status,
        reply=view.reply,
        task_id=view.task_id,
    )


@router.get("/meetings/{meeting_id}/remarks", response={200: list[RemarkOut], 404: ErrorOut})
def remark_list(request: HttpRequest, meeting_id: int) -> list[RemarkOut]:
    """Ý kiến chỉ đạo của buổi sinh hoạt, có đề nghị trả lời hay không và chi bộ đã trả lời thế nào."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    return [_remark_out(v) for v in selectors.remarks_of(meeting)]


@router.post("/meetings/{meeting_id}/remarks", response={200: RemarkOut, 404: ErrorOut, 422: ChiboErrorOut})
def remark_record(request: HttpRequest, meeting_id: int, payload: RemarkIn) -> RemarkOut:
    """Cán bộ cấp trên đang dự (đã điểm danh) ghi ý kiến chỉ đạo của mình, trong hoặc sau buổi họp."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    remark = services.remark_record(
        actor=_user(request), meeting=meeting, text=payload.text, asks_action=payload.asks_action
    )
    return next(_remark_out(v) for v in selectors.remarks_of(meeting) if v.remark.pk == remark.pk)


@router.post("/remarks/{remark_id}/reply", response={200: RemarkOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def remark_reply(request: HttpRequest, remark_id: int, payload: ReplyIn) -> RemarkOut:
    """Chi bộ trả lời một ý kiến chỉ đạo có đề nghị thực hiện."""
    remark = get_object_or_404(SupervisorRemark, pk=remark_id)
    meeting = get_meeting_for_user(request.user, remark.meeting_id, action="change")
    services.remark_reply(actor=_user(request), remark=remark, reply=payload.reply)
    return next(_remark_out(v) for v in selectors.remarks_of(meeting) if v.remark.pk == remark.pk)
