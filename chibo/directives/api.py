"""Directives over the API (C12, C17), scoped like the pages: the register of a committee, one directive's
compliance, and the meeting's dissemination recorded by those who run it."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, has_perm_on
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination
from chibo.core.errors import ChiboError
from chibo.directives import selectors, services
from chibo.directives.models import Directive, Dissemination
from chibo.meetings.selectors import get_meeting_for_user
from chibo.members.models import Member
from chibo.supervision.selectors import get_committee_for_user

router = Router(tags=["Văn bản cấp trên"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class DirectiveOut(Schema):
    id: int
    kind: Directive.Kind
    number: str
    issued_on: date
    issuer: str
    summary: str
    target_id: int
    deadline: date
    has_file: bool

    @staticmethod
    def resolve_has_file(obj: Directive) -> bool:
        return bool(obj.file)


# Optional in the schema: scope is answered first (404/403), a missing field by the service's message (422).
class DirectiveIn(Schema):
    kind: Directive.Kind = Directive.Kind.DIRECTIVE
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    summary: str = ""
    deadline: date | None = None


class CountsOut(Schema):
    targeted: int
    on_time: int
    late: int
    pending: int
    overdue: int


class CellComplianceOut(Schema):
    cell_id: int
    cell_name: str
    parent_name: str
    status: str
    held_on: date | None
    meeting_id: int | None
    present_count: int | None
    required_count: int | None


class CommitteeCountsOut(CountsOut):
    committee: str


class ComplianceOut(Schema):
    directive: DirectiveOut
    day: date
    totals: CountsOut
    by_committee: list[CommitteeCountsOut]
    cells: list[CellComplianceOut]


class DisseminationIn(Schema):
    directive_id: int | None = None
    presenter_id: int | None = None


class DisseminationOut(Schema):
    id: int
    directive_id: int
    meeting_id: int
    presenter_id: int | None
    held_on: date
    present_count: int
    required_count: int

    @staticmethod
    def resolve_directive_id(obj: Dissemination) -> int:
        return obj.target.directive_id


def _counts(c: selectors.Counts) -> dict[str, int]:
    return {k: getattr(c, k) for k in ("targeted", "on_time", "late", "pending", "overdue")}


@router.get("", response={200: list[DirectiveOut], 404: ErrorOut})
@paginate(Pagination)
def directive_list(request: HttpRequest, org: int) -> QuerySet[Directive]:
    """Sổ văn bản cấp trên của một cấp ủy: văn bản giao cho cấp ủy hoặc tới các chi bộ trực thuộc."""
    return selectors.directives_for_committee(get_committee_for_user(request.user, org))


@router.post("", response={201: DirectiveOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def directive_register(request: HttpRequest, org: int, payload: DirectiveIn) -> tuple[int, Directive]:
    """Vào sổ một văn bản cho các chi bộ trực thuộc cấp ủy `org` (theo cơ cấu vào ngày ban hành)."""
    committee = get_committee_for_user(request.user, org)
    if not has_perm_on(request.user, committee, Perm.SUPERVISE):
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của cấp ủy được vào sổ văn bản."))
    if payload.issued_on is None:
        raise ChiboError(_("Nhập ngày ban hành."), field="issued_on")
    if payload.deadline is None:
        raise ChiboError(_("Nhập hạn quán triệt."), field="deadline")
    return 201, services.directive_register(actor=_user(request), target=committee, **payload.dict())


def _directive(request: HttpRequest, directive_id: int) -> Directive:
    found = selectors.directives_visible_to(request.user).filter(pk=directive_id).first()
    if found is None:
        raise Http404
    return found


@router.get("/{directive_id}/compliance", response={200: ComplianceOut, 404: ErrorOut})
def compliance(request: HttpRequest, directive_id: int, org: int | None = None) -> ComplianceOut:
    """Chi bộ nào đã quán triệt đúng hạn, muộn, chưa; theo từng cấp ủy (`org`: chỉ các chi bộ dưới cấp ủy đó)."""
    directive = _directive(request, directive_id)
    within = get_committee_for_user(request.user, org) if org is not None else None
    report = selectors.compliance(directive, within=within)
    return ComplianceOut(
        directive=directive,  # type: ignore[arg-type]
        day=report.day,
        totals=CountsOut(**_counts(report.totals)),
        by_committee=[CommitteeCountsOut(committee=name, **_counts(c)) for name, c in report.by_committee],
        cells=[CellComplianceOut(**vars(c)) for c in report.cells],
    )


@router.post(
    "/meetings/{meeting_id}/disseminations",
    response={201: DisseminationOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut},
)
def disseminate(request: HttpRequest, meeting_id: int, payload: DisseminationIn) -> tuple[int, Dissemination]:
    """Ghi nhận chi bộ đã quán triệt văn bản tại buổi họp: người quán triệt, đảng viên có mặt (theo điểm danh)."""
    meeting = get_meeting_for_user(request.user, meeting_id, action="change")
    directive = Directive.objects.filter(pk=payload.directive_id).first() if payload.directive_id else None
    if directive is None:
        raise ChiboError(_("Chọn văn bản đã quán triệt."), field="directive_id")
    presenter = None
    if payload.presenter_id is not None:
        presenter = Member.objects.filter(pk=payload.presenter_id, org=meeting.org).first()
        if presenter is None:
            raise ChiboError(_("Người quán triệt không thuộc chi bộ."), field="presenter_id")
    return 201, services.dissemination_record(
        actor=_user(request), directive=directive, meeting=meeting, presenter=presenter
    )
