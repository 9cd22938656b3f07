"""Members over the API (C17), scoped exactly as the member pages (C3)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chibo.accounts.scope import Perm, can_see_sensitive, get_member_for_user, get_org_for_user
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.api_tools import ErrorOut, Pagination
from chibo.members.models import Member, MemberQuerySet
from chibo.members.selectors import member_roll

router = Router(tags=["Đảng viên"])


def _sensitive_visible(member: Member, context: dict[str, Any] | None) -> bool:
    request = (context or {}).get("request")
    return request is not None and can_see_sensitive(request.user, member)


class MemberOut(Schema):
    id: int
    full_name: str
    status: Member.Status
    org_id: int
    gender: Member.Gender
    birth_date: date
    card_number: str | None
    joined_on: date
    official_on: date | None
    # Sở trường, tâm tư nguyện vọng: null for anyone below the cell committee.
    strengths: str | None = None
    aspirations: str | None = None

    @staticmethod
    def resolve_strengths(obj: Member, context: dict[str, Any]) -> str | None:
        return obj.strengths if _sensitive_visible(obj, context) else None

    @staticmethod
    def resolve_aspirations(obj: Member, context: dict[str, Any]) -> str | None:
        return obj.aspirations if _sensitive_visible(obj, context) else None


class MemberDetailOut(MemberOut):
    org_name: str
    residence_address: str
    # Where the member lives in the cell's area (C13: the households near home).
    home_hamlet: str
    home_lat: Decimal | None
    home_lon: Decimal | None
    phone: str
    email: str
    occupation: str
    left_on: date | None
    left_reason: str

    @staticmethod
    def resolve_org_name(obj: Member) -> str:
        return obj.org.name


@router.get("", response={200: list[MemberOut], 404: ErrorOut})
@paginate(Pagination)
def member_list(
    request: HttpRequest,
    org: int | None = None,
    search: str = "",
    status: Member.Status | None = None,
) -> MemberQuerySet:
    """Đảng viên đang sinh hoạt trong phạm vi được xem; `org` lọc theo một tổ chức (cả các cấp dưới),
    `search` tìm theo tên, số thẻ, điện thoại, có hoặc không dấu."""
    node = get_org_for_user(request.user, org, Perm.LIST_MEMBERS) if org is not None else None
    return member_roll(request.user, org=node, search=search, status=status)


@router.get("/{member_id}", response={200: MemberDetailOut, 404: ErrorOut})
def member_detail(request: HttpRequest, member_id: int) -> Member:
    """Hồ sơ một đảng viên (việc xem được ghi vào nhật ký truy cập dữ liệu cá nhân)."""
    member = get_member_for_user(request.user, member_id)
    record_access(user=request.user, member=member, action=AccessLog.Action.API_VIEW)
    return member
