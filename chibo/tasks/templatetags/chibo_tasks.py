"""Hooks for pages owned by other apps: one line each in their templates.

{% load chibo_tasks %}{% task_review_panel meeting %}   the live page's "review of last month"
{% load chibo_tasks %}{% next_tasks_panel meeting %}    the live page's "next month's tasks"
"""

from typing import Any

from django import template

from chibo.accounts.scope import Perm, has_perm_on
from chibo.meetings.models import Meeting
from chibo.meetings.services import record_is_editable
from chibo.tasks import selectors

register = template.Library()


@register.inclusion_tag("tasks/_review_panel.html", takes_context=True)
def task_review_panel(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """The tasks the previous resolution gave and how far the review has got (three queries)."""
    user = context["request"].user
    can_run = has_perm_on(user, meeting.org, Perm.RUN_MEETINGS)
    rows = list(selectors.review_list(meeting)) if can_run else []
    return {
        "meeting": meeting,
        "rows": rows,
        "can_run": can_run,
        "counts": selectors.review_counts(meeting) if can_run else {},
    }


@register.inclusion_tag("tasks/_next_tasks_panel.html", takes_context=True)
def next_tasks_panel(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """The tasks this meeting's resolution gives, with a link for the secretary to add more (two queries)."""
    user = context["request"].user
    return {
        "meeting": meeting,
        "tasks": list(selectors.tasks_of_meeting(meeting)[:50]),
        # Tasks are given while the record may change; after the minutes lock, only shown.
        "can_run": has_perm_on(user, meeting.org, Perm.RUN_MEETINGS) and record_is_editable(meeting),
    }
