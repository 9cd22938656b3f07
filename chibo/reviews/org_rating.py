"""Organizations' yearly levels (C15 point 4): a cell or a grassroots committee is rated by the standing
committee above on the four levels, from its year:

- members' classification: the share rated HTTNV or better, and any rated KHTNV (chibo.reviews);
- task completion: tasks due in the year under the organization, reviewed done on time (chibo.tasks);
- meetings: regular meetings held of the twelve (chibo.meetings);
- meeting quality levels, supervision remarks and directives disseminated: HOOKS. The meeting-quality score
  (issue 7) and supervision/directives (issue 9) had not landed when this was written; `extra_evidence`
  is the one place to read them, and until then they are shown as "chưa có dữ liệu" and weigh nothing.

Points (ours, local practice): members 40, tasks 30, meetings 30; the level by the rule set's cut-offs.
"""

from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization
from chibo.reviews.classify import Proposal
from chibo.reviews.evidence import year_bounds
from chibo.reviews.models import Level, MemberReview, OrgRating, Source
from chibo.reviews.services import can_decide
from chibo.rules.selectors import ruleset_for
from chibo.tasks.models import TaskAssignment, TaskReview

WEIGHTS = {"members": 40, "tasks": 30, "meetings": 30}


def extra_evidence(org: Organization, year: int) -> dict:
    """Meeting quality (issue 7), supervision remarks and directives (issue 9): not yet available."""
    return {"meeting_quality": None, "supervision_remarks": None, "directives": None}


def org_evidence(org: Organization, year: int) -> dict:
    """Four queries whatever the size of the subtree or its history."""
    first, after = year_bounds(year)
    under = Q(cell_review__org__path__startswith=org.path)
    members = MemberReview.objects.filter(under, cell_review__year=year, not_rated="").aggregate(
        rated=Count("pk"),
        good_or_better=Count(
            "pk",
            filter=Q(decided_level__in=[Level.EXCELLENT, Level.GOOD])
            | Q(decided_level="", cell_level__in=[Level.EXCELLENT, Level.GOOD]),
        ),
        poor=Count("pk", filter=Q(decided_level=Level.POOR) | Q(decided_level="", cell_level=Level.POOR)),
    )
    tasks = TaskAssignment.objects.filter(
        task__org__path__startswith=org.path, task__due_on__gte=first, task__due_on__lt=after
    ).aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(review__outcome=TaskReview.Outcome.DONE)),
    )
    cells = Organization.objects.filter(path__startswith=org.path, kind__in=Organization.CELL_KINDS).count()
    held = Meeting.objects.filter(
        org__path__startswith=org.path,
        kind=Meeting.Kind.REGULAR,
        status=Meeting.Status.CLOSED,
        period__gte=first,
        period__lt=after,
    ).count()
    return {
        "year": year,
        "members_rated": members["rated"],
        "members_good_or_better": members["good_or_better"],
        "members_poor": members["poor"],
        "tasks": tasks["total"],
        "tasks_on_time": tasks["on_time"],
        "cells": cells,
        "regular_meetings_held": held,
        "regular_meetings_due": 12 * cells,
    } | extra_evidence(org, year)


def propose_org(e: dict, *, cutoffs: dict) -> Proposal:
    p = Proposal()
    members = WEIGHTS["members"] * (e["members_good_or_better"] / e["members_rated"] if e["members_rated"] else 0)
    tasks = WEIGHTS["tasks"] * (e["tasks_on_time"] / e["tasks"] if e["tasks"] else 1.0)
    due = e["regular_meetings_due"]
    meetings = WEIGHTS["meetings"] * (min(1.0, e["regular_meetings_held"] / due) if due else 0)
    points = round(members + tasks + meetings)
    p.say(
        gettext_noop(
            "Điểm %(points)s/100: đảng viên HTTNV trở lên %(m)s, nhiệm vụ đúng hạn %(t)s, sinh hoạt đủ %(s)s."
        ),
        points=points,
        m=round(members),
        t=round(tasks),
        s=round(meetings),
    )
    level = (
        Level.EXCELLENT
        if points >= cutoffs["excellent"]
        else Level.GOOD
        if points >= cutoffs["good"]
        else Level.FAIR
        if points >= cutoffs["fair"]
        else Level.POOR
    )
    if level == Level.EXCELLENT and e["members_poor"]:
        level = Level.GOOD
        p.say(gettext_noop("Có %(n)s đảng viên KHTNV: không đề xuất HTXSNV."), n=e["members_poor"])
    p.points, p.level = points, level
    p.say(gettext_noop("Đề xuất: %(level)s."), level=level)
    return p


@transaction.atomic
def org_rating_propose(*, actor: User | None, org: Organization, year: int) -> OrgRating:
    """Compute (or compute again, until decided) the organization's proposal for the year."""
    rating = OrgRating.objects.select_for_update().filter(org=org, year=year).first()
    if rating is not None and rating.level:
        raise ChiboError(_("Xếp loại năm %(year)s của %(org)s đã quyết định.") % {"year": year, "org": org.name})
    evidence = org_evidence(org, year)
    cutoffs = ruleset_for(org, date(year, 12, 31)).classification["cutoffs"]
    proposal = propose_org(evidence, cutoffs=cutoffs)
    rating = rating or OrgRating(org=org, year=year)
    rating.evidence, rating.points = evidence, proposal.points
    rating.proposed_level, rating.reasons = proposal.level, proposal.reasons
    rating.save()
    return rating


@transaction.atomic
def org_rating_decide(*, actor: User | None, org: Organization, year: int, level: str, reason: str = "") -> OrgRating:
    """The standing committee above decides the level (changing the proposal needs a reason)."""
    if actor is not None and not can_decide(actor, org):
        raise ChiboError(_("Chỉ ban thường vụ cấp ủy cấp trên của %(org)s được xếp loại.") % {"org": org.name})
    if level not in Level.values:
        raise ChiboError(_("Chọn mức xếp loại."), field="level")
    rating = OrgRating.objects.select_for_update().filter(org=org, year=year).first()
    if rating is None:
        rating = org_rating_propose(actor=actor, org=org, year=year)
    if rating.level:
        raise ChiboError(_("Xếp loại năm %(year)s của %(org)s đã quyết định.") % {"year": year, "org": org.name})
    if level != rating.proposed_level and not reason.strip():
        raise ChiboError(_("Đổi mức đề xuất phải ghi lý do."), field="reason")
    rating.level, rating.decision_reason = level, reason.strip()
    rating.decided_by, rating.decided_at, rating.source = actor, timezone.now(), Source.SYSTEM
    rating.save()
    return rating
