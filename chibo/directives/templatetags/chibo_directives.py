"""Hook for the meeting pages (owned by chibo.meetings): {% load chibo_directives %}{% directives_panel meeting %}
— the directives the cell still has to disseminate (the agenda's "quán triệt văn bản cấp trên"), those this
meeting disseminated, and the one-action form to record a dissemination."""

from typing import Any

from django import template

from chibo.accounts.scope import Perm, has_perm_on
from chibo.directives import selectors
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.services import record_is_editable

register = template.Library()


@register.inclusion_tag("directives/_meeting_panel.html", takes_context=True)
def directives_panel(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """Two queries, three when the form is shown."""
    user = context["request"].user
    pending = selectors.pending_for(meeting.org, meeting.scheduled_date)
    done = selectors.disseminated_at(meeting)
    can_record = (
        bool(pending)
        and meeting.status in (Meeting.Status.OPEN, Meeting.Status.CLOSED)
        and has_perm_on(user, meeting.org, Perm.RUN_MEETINGS)
        and record_is_editable(meeting)
    )
    present = (
        list(
            meeting.attendances.filter(status__in=Attendance.PRESENT_STATUSES)
            .select_related("member")
            .order_by("member__name_sort_key")
        )
        if can_record
        else []
    )
    return {"meeting": meeting, "pending": pending, "done": done, "can_record": can_record, "present": present}
