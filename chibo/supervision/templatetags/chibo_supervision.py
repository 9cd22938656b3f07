"""Hooks for the meeting pages (owned by chibo.meetings): one line each in their templates.

{% load chibo_supervision %}{% upper_attendance_panel meeting %}   who attends from above: assigned, present
{% load chibo_supervision %}{% remarks_panel meeting %}            remarks, whether acted on, the cell's answer
"""

from typing import Any

from django import template

from chibo.accounts.scope import Perm, has_perm_on
from chibo.meetings.models import Meeting
from chibo.meetings.services import record_is_editable
from chibo.members.models import Member
from chibo.supervision import selectors

register = template.Library()


@register.inclusion_tag("supervision/_upper_attendance.html", takes_context=True)
def upper_attendance_panel(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """The meeting's attendance from above (two queries)."""
    user = context["request"].user
    lines = selectors.upper_attendance(meeting)
    mine = next((line for line in lines if line.user_id == user.pk), None)
    return {
        "meeting": meeting,
        "lines": lines,
        # An assigned cadre not yet checked in gets the button, with their title from the assignment.
        "checkin_title": mine.title if mine and mine.assigned and not mine.present and meeting.is_open else None,
    }


@register.inclusion_tag("supervision/_remarks.html", takes_context=True)
def remarks_panel(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """Remarks with their follow-up: the cadre flags theirs, the cell answers (three queries)."""
    user = context["request"].user
    views = selectors.remarks_of(meeting)
    can_run = has_perm_on(user, meeting.org, Perm.RUN_MEETINGS)
    mine = next((v for v in views if v.remark.author_id == user.pk), None)
    # A cadre checked in from above may flag before writing (the flag then waits on an empty remark).
    attending = mine is not None or (
        not can_run and meeting.guests.filter(user_id=user.pk, is_supervisor=True).exists()
    )
    return {
        "attending": attending,
        "meeting": meeting,
        "views": views,
        "mine": mine,
        "can_answer": can_run,
        "editable": record_is_editable(meeting),
        "members": Member.objects.filter(org=meeting.org, left_on__isnull=True).order_by("name_sort_key")
        if can_run and any(v.asks_action and v.status == "waiting" for v in views)
        else [],
        "request": context["request"],
    }
