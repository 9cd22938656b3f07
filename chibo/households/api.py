"""Households, assignments and the liaison log over the API (C17), scoped exactly as the pages (C13)."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chibo.accounts.models import User
from chibo.accounts.scope import (
    Perm,
    get_household_for_user,
    get_org_for_user,
    households_visible_to,
    liaison_events_visible_to,
    may_manage_households,
)
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.households import services
from chibo.households.models import Assignment, AssignmentPlan, Household, LiaisonEvent
from chibo.members.models import Member

router = Router(tags=["Hộ dân"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class HouseholdOut(Schema):
    id: int
    cell_id: int
    head_name: str
    street: str
    hamlet: str
    ward: str
    people: int
    phone: str
    lat: Decimal | None
    lon: Decimal | None
    notes: str


class AssignmentOut(Schema):
    id: int
    household_id: int
    member_id: int
    member_name: str
    valid_from: date
    valid_to: date | None
    by_hand: bool
    plan_id: int | None

    @staticmethod
    def resolve_member_name(obj: Assignment) -> str:
        return obj.member.full_name


class AssignIn(Schema):
    member_id: int | None = None
    valid_from: date | None = None


class PlanIn(Schema):
    min_load: int = 0
    max_load: int = 0


class PlanOut(Schema):
    id: int
    cell_id: int
    status: str
    min_load: int
    max_load: int
    households: int
    members: int
    by_address: int
    distance_m: int
    optimum_m: int
    extra_pct: float
    proved: bool
    pairs: list[list[int]]


class EventIn(Schema):
    kind: LiaisonEvent.Kind | None = None
    occurred_on: date | None = None
    text: str = ""
    person_name: str = ""
    arrived_from: str = ""
    arrived_on: date | None = None
    notified: LiaisonEvent.Notified | None = None
    notified_contact: str = ""
    notified_at: datetime | None = None
    follow_up_on: date | None = None


class EventOut(Schema):
    id: int
    household_id: int
    member_id: int
    kind: LiaisonEvent.Kind
    occurred_on: date
    text: str
    person_name: str
    arrived_from: str
    arrived_on: date | None
    notified: str
    notified_contact: str
    notified_at: datetime | None
    follow_up_on: date | None
    follow_up_done: bool


@router.get("", response={200: list[HouseholdOut], 404: ErrorOut})
@paginate(Pagination)
def household_list(request: HttpRequest, org: int | None = None, search: str = "") -> QuerySet[Household]:
    """Hộ dân được xem: của chi bộ (chi ủy và cấp trên), hoặc các hộ mình đang phụ trách (đảng viên)."""
    qs = households_visible_to(request.user)
    if org is not None:
        qs = qs.filter(cell=get_org_for_user(request.user, org, Perm.LIST_MEMBERS))
    if search:
        qs = qs.search(search)
    return qs.order_by("cell_id", "hamlet", "name_sort_key", "id")


@router.get("/events", response={200: list[EventOut]})
@paginate(Pagination)
def event_list(request: HttpRequest, kind: LiaisonEvent.Kind | None = None) -> QuerySet[LiaisonEvent]:
    """Nhật ký liên hệ hộ dân được xem (cùng phạm vi với trang)."""
    qs = liaison_events_visible_to(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-occurred_on", "-id")


@router.get("/{household_id}", response={200: HouseholdOut, 404: ErrorOut})
def household_detail(request: HttpRequest, household_id: int) -> Household:
    return get_household_for_user(request.user, household_id)


@router.get("/{household_id}/assignments", response={200: list[AssignmentOut], 404: ErrorOut})
@paginate(Pagination)
def assignment_history(request: HttpRequest, household_id: int) -> QuerySet[Assignment]:
    """Các đảng viên đã và đang phụ trách hộ, có ngày."""
    household = get_household_for_user(request.user, household_id)
    return household.assignments.select_related("member").order_by("-valid_from", "-id")


@router.post(
    "/{household_id}/assignments",
    response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut},
)
def assignment_set(request: HttpRequest, household_id: int, payload: AssignIn) -> Status:
    """Chi ủy điều chỉnh đảng viên phụ trách hộ từ một ngày (lịch sử được giữ)."""
    household = get_household_for_user(request.user, household_id)
    if not may_manage_households(request.user, household.cell):
        raise PermissionDenied(_("Chỉ chi ủy và cấp trên được phân công phụ trách hộ."))
    member = Member.objects.filter(pk=payload.member_id).first() if payload.member_id else None
    if member is None:
        raise ChiboError(_("Chọn đảng viên phụ trách."), field="member_id")
    services.assignment_set(actor=_user(request), household=household, member=member, day=payload.valid_from)
    current = household.assignments.current().select_related("member").get()
    return Status(201, current)


@router.get("/{household_id}/events", response={200: list[EventOut], 404: ErrorOut})
@paginate(Pagination)
def household_events(request: HttpRequest, household_id: int) -> QuerySet[LiaisonEvent]:
    household = get_household_for_user(request.user, household_id)
    return liaison_events_visible_to(request.user).filter(household=household).order_by("-occurred_on", "-id")


@router.post("/{household_id}/events", response={201: EventOut, 404: ErrorOut, 422: ChiboErrorOut})
def event_record(request: HttpRequest, household_id: int, payload: EventIn) -> Status:
    """Ghi nhật ký tại một hộ mình phụ trách: người về từ tỉnh khác, đã báo trạm y tế/công an, theo dõi,
    hoàn cảnh khó khăn, ý kiến kiến nghị của nhân dân."""
    household = get_household_for_user(request.user, household_id)
    if payload.kind is None:
        raise ChiboError(_("Chọn loại ghi chép."), field="kind")
    fields = payload.dict(exclude={"kind", "occurred_on"})
    fields["notified"] = fields["notified"] or ""
    event = services.event_record(
        actor=_user(request),
        household=household,
        kind=payload.kind,
        occurred_on=payload.occurred_on or today(),
        **fields,
    )
    return Status(201, event)


@router.post("/cells/{cell_id}/plans", response={201: PlanOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def plan_propose(request: HttpRequest, cell_id: int, payload: PlanIn) -> Status:
    """Đề xuất phân công tối ưu (tổng quãng đường nhỏ nhất, số hộ mỗi đảng viên trong giới hạn)."""
    cell = get_org_for_user(request.user, cell_id, Perm.LIST_MEMBERS)
    if not may_manage_households(request.user, cell):
        raise PermissionDenied(_("Chỉ chi ủy và cấp trên được phân công phụ trách hộ."))
    plan = services.plan_propose(actor=_user(request), cell=cell, min_load=payload.min_load, max_load=payload.max_load)
    return Status(201, plan)


@router.get("/plans/{plan_id}", response={200: PlanOut, 403: ErrorOut, 404: ErrorOut})
def plan_detail(request: HttpRequest, plan_id: int) -> AssignmentPlan:
    plan = AssignmentPlan.objects.filter(pk=plan_id).select_related("cell").first()
    if plan is None:
        raise HttpError(404, _("Không tìm thấy."))
    cell = get_org_for_user(request.user, plan.cell_id, Perm.LIST_MEMBERS)
    if not may_manage_households(request.user, cell):
        raise PermissionDenied(_("Chỉ chi ủy và cấp trên được phân công phụ trách hộ."))
    return plan
