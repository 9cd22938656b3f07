"""The organization tree over the API (C17), scoped as the tree pages (C3), for today or any past date (C1).

Every item shows a node as it stood on one day: its name, kind, parent and administrative unit come from
the `OrgVersion` in force that day. Without `as_of` that day is today (for a dissolved node read by id,
its last day).
"""

from datetime import date, timedelta

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from chibo.accounts.scope import Perm, get_org_for_user, orgs_with
from chibo.core.api_tools import ErrorOut, Pagination, parse_day
from chibo.core.dates import today
from chibo.core.vietnamese import search_text
from chibo.members.api import MemberOut
from chibo.members.models import Member, MemberQuerySet
from chibo.members.selectors import member_roll
from chibo.organizations.models import Organization

router = Router(tags=["Tổ chức đảng"])

AS_OF = "Ngày cần xem (YYYY-MM-DD): tên và cấp trên như vào ngày đó. Mặc định: hôm nay."


class OrgOut(Schema):
    id: int
    name: str = Field(validation_alias="v_name")
    kind: Organization.Kind = Field(validation_alias="v_kind")
    parent_id: int | None = Field(validation_alias="v_parent_id")
    code: str
    admin_unit: str | None = Field(validation_alias="v_admin_unit", description="Mã đơn vị hành chính.")
    meeting_day: int | None
    established_on: date
    dissolved_on: date | None


def orgs_on(orgs: QuerySet[Organization], day: date) -> QuerySet[Organization]:
    """`orgs` that existed on `day`, each annotated with its name, kind, parent and unit of that day.

    One join: a node's periods do not overlap, so at most one version matches a day.
    """
    period = Q(versions__valid_from__lte=day) & (Q(versions__valid_to__isnull=True) | Q(versions__valid_to__gt=day))
    return (
        orgs.annotate(version=FilteredRelation("versions", condition=period))
        .filter(version__isnull=False)
        .annotate(
            v_name=F("version__name"),
            v_kind=F("version__kind"),
            v_parent_id=F("version__parent_id"),
            v_admin_unit=F("version__admin_unit__code"),
        )
    )


@router.get("", response={200: list[OrgOut], 422: ErrorOut})
@paginate(Pagination)
def org_list(
    request: HttpRequest, search: str = "", as_of: date | None = Query(None, description=AS_OF)
) -> QuerySet[Organization]:
    """Các tổ chức đảng trong phạm vi được xem, theo thứ tự cây; `search` tìm theo tên (có hoặc không dấu) hoặc mã."""
    day = parse_day(as_of) or today()
    qs = orgs_on(orgs_with(request.user, Perm.VIEW_ORG), day)
    if search.strip():
        words = search_text(search).split()
        by_name = Q()
        for word in words:
            by_name &= Q(version__search_name__contains=word)
        qs = qs.filter(by_name | Q(code__iexact=search.strip()))
    return qs.order_by("path")


@router.get("/{org_id}", response={200: OrgOut, 404: ErrorOut, 422: ErrorOut})
def org_detail(request: HttpRequest, org_id: int, as_of: date | None = Query(None, description=AS_OF)) -> Organization:
    """Một tổ chức đảng; với `as_of`, như vào ngày đó (404 nếu khi ấy chưa có hoặc đã giải thể)."""
    day = parse_day(as_of)
    org = get_org_for_user(request.user, org_id, Perm.VIEW_ORG)
    if day is None:
        day = org.dissolved_on - timedelta(days=1) if org.dissolved_on else today()
    found = orgs_on(Organization.objects.filter(pk=org.pk), day).first()
    if found is None:
        raise Http404
    return found


@router.get("/{org_id}/children", response={200: list[OrgOut], 404: ErrorOut, 422: ErrorOut})
@paginate(Pagination)
def org_children(
    request: HttpRequest, org_id: int, as_of: date | None = Query(None, description=AS_OF)
) -> QuerySet[Organization]:
    """Các tổ chức trực thuộc, như vào ngày `as_of` (mặc định hôm nay), theo tên."""
    day = parse_day(as_of) or today()
    org = get_org_for_user(request.user, org_id, Perm.VIEW_ORG)
    # A node that sat here on that day but has since moved out of the user's scope stays hidden.
    return orgs_on(orgs_with(request.user, Perm.VIEW_ORG), day).filter(v_parent_id=org.pk).order_by("v_name", "pk")


@router.get("/{org_id}/members", response={200: list[MemberOut], 404: ErrorOut})
@paginate(Pagination)
def org_members(
    request: HttpRequest, org_id: int, search: str = "", status: Member.Status | None = None
) -> MemberQuerySet:
    """Đảng viên đang sinh hoạt tại tổ chức này và các cấp dưới, theo thứ tự tên."""
    org = get_org_for_user(request.user, org_id, Perm.LIST_MEMBERS)
    return member_roll(request.user, org=org, search=search, status=status)
