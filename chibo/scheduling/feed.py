"""A member's meetings as an iCalendar document (RFC 5545), for any calendar app to subscribe to."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from chibo.meetings.models import Meeting
from chibo.scheduling.selectors import shift_note

ICAL_STATUS: dict[str, str] = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.OPEN: "CONFIRMED",
    Meeting.Status.CLOSED: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meetings_ical(meetings: list[Meeting], *, host: str) -> bytes:
    """`meetings` with their org and ruleset selected. Times carry TZID=Asia/Ho_Chi_Minh with its VTIMEZONE,
    so calendar apps elsewhere show the right hour; each event has its place (the cell's name when the
    meeting has none yet) and, for a regular meeting a day off moved, why it moved."""
    cal = Calendar()
    cal.add("prodid", "-//Chi bo so//Lich sinh hoat chi bo//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Lịch sinh hoạt chi bộ"))
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = timezone.now()
    for m in meetings:
        starts = timezone.make_aware(datetime.combine(m.scheduled_date, m.scheduled_time))
        event = Event()
        event.add("uid", f"meeting-{m.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(minutes=m.min_duration_minutes))
        event.add("summary", f"{m.get_kind_display()} — {m.org.name}")
        event.add("location", m.place or m.org.name)
        details = [
            m.title,
            shift_note(m, m.org),
            m.thematic_topic and _("Chủ đề: %(topic)s") % {"topic": m.thematic_topic},
            m.cancelled_reason and _("Lý do hủy: %(reason)s") % {"reason": m.cancelled_reason},
        ]
        description = "\n".join(d for d in details if d)
        if description:
            event.add("description", description)
        event.add("status", ICAL_STATUS.get(m.status, "CONFIRMED"))
        event.add("last-modified", m.updated_at)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
