"""The calendar over the API (C17, C4): meetings of the cells a user may see, in a date range."""

from datetime import date, time, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from chibo.accounts.scope import Perm, get_org_for_user
from chibo.core.api_tools import ErrorOut, Pagination, parse_day
from chibo.core.dates import today
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import meetings_with
from chibo.scheduling.calendar import month_start, next_month

router = Router(tags=["Lịch sinh hoạt"])

MAX_RANGE_DAYS = 366


class CalendarMeetingOut(Schema):
    id: int
    org_id: int
    org_name: str
    kind: Meeting.Kind
    status: Meeting.Status
    # The month a regular meeting belongs to (first day), even when a holiday moved it into the next one.
    period: date | None
    scheduled_date: date
    scheduled_time: time
    place: str
    title: str
    thematic_topic: str
    with_thematic: bool
    ruleset_id: int

    @staticmethod
    def resolve_org_name(obj: Meeting) -> str:
        return obj.org.name


@router.get("", response={200: list[CalendarMeetingOut], 404: ErrorOut, 422: ErrorOut})
@paginate(Pagination)
def calendar(
    request: HttpRequest, org: int | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Meeting]:
    """Các buổi sinh hoạt từ `date_from` đến `date_to` (YYYY-MM-DD, tính cả hai ngày; mặc định tháng này)
    của các chi bộ trong phạm vi được xem; `org` lọc theo một tổ chức và các cấp dưới. Tối đa 366 ngày."""
    start = parse_day(date_from, param="date_from") or month_start(today())
    end = parse_day(date_to, param="date_to") or next_month(start) - timedelta(days=1)
    if end < start:
        raise HttpError(422, _("date_to phải từ date_from trở đi."))
    if (end - start).days >= MAX_RANGE_DAYS:
        raise HttpError(422, _("Khoảng thời gian tối đa %(days)s ngày.") % {"days": MAX_RANGE_DAYS})
    meetings = meetings_with(request.user, Perm.VIEW_ORG).filter(scheduled_date__gte=start, scheduled_date__lte=end)
    if org is not None:
        node = get_org_for_user(request.user, org, Perm.VIEW_ORG)
        meetings = meetings.filter(org__path__startswith=node.path)
    return meetings.select_related("org").order_by("scheduled_date", "scheduled_time", "pk")
