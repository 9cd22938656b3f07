"""The home page's sections (chibo.core.home): what needs the person now, first.

For a member: today's or the next meeting of their cell with one tap to its live page (or its
preparation, for those who run it), documents waiting for their signature, their open tasks, recent
notices. For a committee officer (anyone who reads a node's roll): the warnings of their subtree and a
link to the dashboard. Each section is a few queries, none growing with the data (lists are cut).

The households' follow-ups that have come due (chibo.households) and the directives the member's cell
must still disseminate (chibo.directives) are listed too. Not shown yet, because the apps that hold it
The year-end self-assessment waiting for the member (chibo.reviews), the meeting scores waiting for the vote
of the meeting the member chaired or recorded, and those waiting for the confirmation of the cadre who
attended from above (chibo.quality) come next, right after the meeting.
"""

from typing import Any

from django.urls import reverse

from chibo.accounts.scope import Perm, has_perm_on
from chibo.core.dates import today
from chibo.core.home import Section
from chibo.dashboards.warnings import warnings_for
from chibo.directives.selectors import pending_for
from chibo.documents.selectors import awaiting_signature
from chibo.households.selectors import due_follow_ups
from chibo.meetings.models import Meeting
from chibo.notices.selectors import notices_of
from chibo.organizations.models import Organization
from chibo.organizations.selectors import highest_visible
from chibo.quality.selectors import scores_to_confirm, scores_to_vote
from chibo.reviews.selectors import self_assessments_waiting
from chibo.tasks.selectors import my_open_and_recent

HOME_ITEMS = 5  # each list is cut to its first items, with a link to the whole
HOME_WARNINGS = 8


def next_meeting(user: Any) -> tuple[Meeting | None, str]:
    """Today's or the next meeting of the member's cell, and where one tap takes them."""
    member = user.member
    if member is None or member.org_id is None:
        return None, ""
    meeting = (
        Meeting.objects.filter(org_id=member.org_id, scheduled_date__gte=today())
        .filter(status__in=(Meeting.Status.PLANNED, Meeting.Status.OPEN))
        .select_related("org")
        .order_by("scheduled_date", "scheduled_time")
        .first()
    )
    open_now = Meeting.objects.filter(org_id=member.org_id, status=Meeting.Status.OPEN).select_related("org").first()
    meeting = open_now or meeting
    if meeting is None:
        return None, ""
    if meeting.status == Meeting.Status.OPEN or meeting.scheduled_date == today():
        return meeting, reverse("meetings:live", args=[meeting.pk])
    if has_perm_on(user, meeting.org, Perm.RUN_MEETINGS):
        return meeting, reverse("meetings:prepare", args=[meeting.pk])
    return meeting, reverse("meetings:detail", args=[meeting.pk])


def watched_node(user: Any) -> Organization | None:
    """The highest node whose roll the user reads (a committee officer's subtree), if any."""
    return highest_visible(user, Perm.LIST_MEMBERS)


def sections(user: Any) -> list[Section]:
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Section] = []
    node = watched_node(user)
    if node is not None:
        warnings = [w for w in warnings_for(user, node, today()) if not w.acknowledged]
        found.append(
            Section(
                "dashboards/home/_officer.html",
                {"node": node, "warnings": warnings[:HOME_WARNINGS], "warning_count": len(warnings)},
            )
        )
    if getattr(user, "member_id", None):
        meeting, link = next_meeting(user)
        open_tasks, _reviewed = my_open_and_recent(user.member)
        found.insert(
            0,
            Section(
                "dashboards/home/_member.html",
                {
                    "meeting": meeting,
                    "meeting_link": link,
                    "documents": list(awaiting_signature(user.member_id)[:HOME_ITEMS]),
                    "tasks": list(open_tasks[:HOME_ITEMS]),
                    "follow_ups": list(due_follow_ups(user.member_id, today())[:HOME_ITEMS]),
                    "directives": pending_for(user.member.org, today())[:HOME_ITEMS] if user.member.org_id else [],
                    "today": today(),
                    "member_id": user.member_id,
                },
            ),
        )
    waiting = {
        "self_assessments": list(self_assessments_waiting(user.member_id)[:HOME_ITEMS]) if user.member_id else [],
        "to_vote": list(scores_to_vote(user.member_id)[:HOME_ITEMS]) if user.member_id else [],
        "to_confirm": list(scores_to_confirm(user)[:HOME_ITEMS]),
    }
    if any(waiting.values()):
        found.insert(1 if getattr(user, "member_id", None) else 0, Section("dashboards/home/_waiting.html", waiting))
    found.append(
        Section(
            "dashboards/home/_notices.html", {"notices": list(notices_of(user).order_by("-created_at")[:HOME_ITEMS])}
        )
    )
    return found
