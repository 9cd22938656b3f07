"""A user's notices over the API (C17, C4)."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chibo.core.api_tools import ErrorOut, Pagination
from chibo.notices.models import Notice
from chibo.notices.selectors import notices_of
from chibo.notices.services import notice_mark_read

router = Router(tags=["Thông báo"])


class NoticeOut(Schema):
    id: int
    kind: Notice.Kind
    meeting_id: int | None
    meeting_date: date | None
    meeting_time: time | None
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_meeting_date(obj: Notice) -> date | None:
        return obj.meeting.scheduled_date if obj.meeting else None

    @staticmethod
    def resolve_meeting_time(obj: Notice) -> time | None:
        return obj.meeting.scheduled_time if obj.meeting else None


@router.get("", response=list[NoticeOut])
@paginate(Pagination)
def my_notices(request: HttpRequest, unread: bool = False) -> QuerySet[Notice]:
    """Thông báo của tôi, mới nhất trước; `unread=true` chỉ lấy thông báo chưa đọc."""
    notices = notices_of(request.user).select_related("meeting")  # type: ignore[arg-type]
    if unread:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


@router.post("/{notice_id}/read", response={200: NoticeOut, 404: ErrorOut})
def notice_read(request: HttpRequest, notice_id: int) -> Notice:
    """Đánh dấu một thông báo đã đọc."""
    notice = notices_of(request.user).select_related("meeting").filter(pk=notice_id).first()  # type: ignore[arg-type]
    if notice is None:
        raise Http404
    notice_mark_read(actor=request.user, notice=notice)  # type: ignore[arg-type]
    return notice
