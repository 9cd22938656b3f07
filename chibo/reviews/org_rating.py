"""Organizations' yearly levels (C15 point 4): a cell or a grassroots committee is rated by the standing
committee above on the four levels, from its year, each part read through the selectors of the app that
owns it (imports point downward):

- members' classification: the share rated HTTNV or better, and any rated KHTNV (chibo.reviews);
- task completion: tasks due in the year under the organization, reviewed done on time (chibo.tasks);
- meetings: regular meetings held of the twelve a year per cell (chibo.meetings);
- meeting quality: the year's level of each cell's meeting scores (chibo.quality.selectors.cell_level);
- supervision remarks: those asking the cell to act, and how many were answered (chibo.supervision);
- directives disseminated: due in the year, on time or late or overdue (chibo.directives).

Points are ours (a local practice), the rule set's `org_weights` (classification settings); a part with no
data in the year (no task due, no meeting scored, no remark asking action, no directive due) weighs nothing
and the others are scaled to 100 — except the members' part, which counts 0 until they are rated. The level
by the rule set's cut-offs; HTXSNV also needs no member rated KHTNV, the meeting quality "Tốt" where scored,
and no directive left overdue.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.directives.selectors import year_counts
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization
from chibo.quality.models import Level as QualityLevel
from chibo.quality.selectors import cell_level
from chibo.reviews.classify import Proposal
from chibo.reviews.evidence import year_bounds
from chibo.reviews.models import SHORT, Level, MemberReview, OrgRating, Source
from chibo.reviews.services import can_decide
from chibo.rules.selectors import ruleset_for
from chibo.supervision.selectors import remark_counts
from chibo.tasks.models import TaskAssignment, TaskReview

# The default when a rule set predates `org_weights` (chibo.rules.models.classification_qd366 carries it).
ORG_WEIGHTS = {"members": 30, "tasks": 20, "meetings": 20, "quality": 10, "supervision": 10, "directives": 10}
QUALITY_SHARE = {QualityLevel.GOOD: 1.0, QualityLevel.FAIR: 0.75, QualityLevel.AVERAGE: 0.5, QualityLevel.POOR: 0.0}


def _quality(org: Organization, year: int) -> dict:
    """The meeting-quality level of the year of each cell under `org` (one query per cell)."""
    cells = (
        [org]
        if org.is_cell
        else list(Organization.objects.filter(path__startswith=org.path).filter(kind__in=Organization.CELL_KINDS))
    )
    levels: dict[str, int] = {}
    scored = good_meetings = 0
    for cell in cells:
        found = cell_level(cell, year)
        if found.level:
            levels[str(found.level)] = levels.get(str(found.level), 0) + 1
        scored += found.meetings
        good_meetings += found.good
    return {"quality_levels": levels, "meetings_scored": scored, "meetings_good": good_meetings}


def org_evidence(org: Organization, year: int) -> dict:
    """The organization's year, from the record: a fixed number of queries for a cell, one more per cell for
    a committee (its cells' meeting-quality levels)."""
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
    remarks = remark_counts(org, first, after)
    directives = year_counts(org, first, after, day=min(today(), date(year + 1, 1, 31)))
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
        **_quality(org, year),
        "remarks": remarks.remarks,
        "remarks_asking_action": remarks.asks_action,
        "remarks_answered": remarks.answered,
        "directives_due": directives.targeted,
        "directives_on_time": directives.on_time,
        "directives_late": directives.late,
        "directives_overdue": directives.overdue,
    }


def _quality_share(e: dict) -> float | None:
    levels = e.get("quality_levels") or {}
    n = sum(levels.values())
    return sum(QUALITY_SHARE.get(QualityLevel(k), 0.0) * v for k, v in levels.items()) / n if n else None


def _shares(e: dict) -> dict[str, float | None]:
    """Each part as a share of its full marks, None where the year has no data for it."""
    due = e["regular_meetings_due"]
    directives_done = e.get("directives_on_time", 0) + e.get("directives_late", 0) + e.get("directives_overdue", 0)
    return {
        # The members' review comes first: an organization none of whose members is rated yet gets nothing here.
        "members": e["members_good_or_better"] / e["members_rated"] if e["members_rated"] else 0.0,
        "tasks": e["tasks_on_time"] / e["tasks"] if e["tasks"] else None,
        "meetings": min(1.0, e["regular_meetings_held"] / due) if due else None,
        "quality": _quality_share(e),
        "supervision": (e["remarks_answered"] / e["remarks_asking_action"] if e.get("remarks_asking_action") else None),
        "directives": (
            (e["directives_on_time"] + 0.5 * e["directives_late"]) / directives_done if directives_done else None
        ),
    }


def propose_org(e: dict, *, cutoffs: dict, weights: dict | None = None) -> Proposal:
    p = Proposal()
    weights = weights or ORG_WEIGHTS
    shares = _shares(e)
    counted = {k: s for k, s in shares.items() if s is not None and weights.get(k)}
    available = sum(weights[k] for k in counted)
    earned = {k: weights[k] * s * 100 / available for k, s in counted.items()} if available else {}
    points = round(sum(earned.values()))

    def part(key: str) -> str:
        return str(round(earned[key])) if key in earned else "—"

    p.say(
        gettext_noop(
            "Điểm %(points)s/100: đảng viên HTTNV trở lên %(m)s, nhiệm vụ đúng hạn %(t)s, sinh hoạt đủ %(s)s, "
            "chất lượng sinh hoạt %(q)s, ý kiến cấp trên được trả lời %(v)s, quán triệt văn bản %(d)s "
            "(— : năm nay không có dữ liệu, không tính)."
        ),
        points=points,
        m=part("members"),
        t=part("tasks"),
        s=part("meetings"),
        q=part("quality"),
        v=part("supervision"),
        d=part("directives"),
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
    below_good = sum(v for k, v in (e.get("quality_levels") or {}).items() if k != QualityLevel.GOOD)
    if level == Level.EXCELLENT and below_good:
        level = Level.GOOD
        p.say(
            gettext_noop("%(n)s chi bộ có chất lượng sinh hoạt cả năm dưới mức Tốt: không đề xuất HTXSNV."),
            n=below_good,
        )
    if level == Level.EXCELLENT and e.get("directives_overdue"):
        level = Level.GOOD
        p.say(gettext_noop("%(n)s lượt quán triệt văn bản quá hạn: không đề xuất HTXSNV."), n=e["directives_overdue"])
    if not e["members_rated"]:
        p.say(gettext_noop("Chưa có đảng viên nào được xếp loại năm nay: phần xếp loại đảng viên chưa có điểm."))
    p.points, p.level = points, level
    p.say(gettext_noop("Đề xuất: %(level)s."), level=level)
    return p


@dataclass(frozen=True)
class EvidenceLine:
    """One part of an organization's year as its page shows it, linked to where it comes from."""

    label: str
    value: str
    url: str


def _committee_of(org: Organization) -> Organization:
    """The committee whose registers (supervision, directives) cover `org`: itself, or the one above a cell."""
    if org.is_cell and org.depth > 1:
        return Organization.objects.filter(path=org.path[: -org.steplen]).first() or org
    return org


def evidence_lines(org: Organization, year: int, e: dict) -> list[EvidenceLine]:
    """The stored evidence of a year in words, each line with the page it comes from."""
    if "cells" not in e:
        return []
    committee = _committee_of(org)
    year_q = urlencode({"year": year})
    lines = [
        EvidenceLine(
            _("Xếp loại đảng viên"),
            _("%(good)s/%(rated)s HTTNV trở lên, %(poor)s KHTNV")
            % {"good": e["members_good_or_better"], "rated": e["members_rated"], "poor": e["members_poor"]},
            reverse("reviews:summary") + "?" + urlencode({"org": org.pk, "year": year}),
        ),
        EvidenceLine(
            _("Nhiệm vụ hoàn thành đúng hạn"),
            _("%(on_time)s/%(total)s") % {"on_time": e["tasks_on_time"], "total": e["tasks"]},
            reverse("dashboards:org", args=[org.pk])
            + "?"
            + urlencode({"first": f"{year}-01", "last": f"{year}-12", "as_of": f"{year}-12-31"}),
        ),
        EvidenceLine(
            _("Sinh hoạt thường kỳ"),
            _("%(held)s/%(due)s buổi") % {"held": e["regular_meetings_held"], "due": e["regular_meetings_due"]},
            reverse("meetings:list") + "?" + urlencode({"org": org.pk}),
        ),
    ]
    levels = e.get("quality_levels")
    if levels is not None:
        words = ", ".join(f"{n} {QualityLevel(k).label}" for k, n in sorted(levels.items())) or _("chưa chấm")
        lines.append(
            EvidenceLine(
                _("Chất lượng sinh hoạt cả năm"),
                _("%(levels)s; %(good)s/%(scored)s buổi Tốt")
                % {"levels": words, "good": e["meetings_good"], "scored": e["meetings_scored"]},
                reverse("quality:cell", args=[org.pk]) + "?" + year_q if org.is_cell else "",
            )
        )
    if "remarks" in e:
        lines.append(
            EvidenceLine(
                _("Ý kiến chỉ đạo của cấp trên dự sinh hoạt"),
                _("%(n)s ý kiến, %(asks)s đề nghị thực hiện, %(answered)s đã trả lời")
                % {"n": e["remarks"], "asks": e["remarks_asking_action"], "answered": e["remarks_answered"]},
                reverse("supervision:coverage") + "?" + urlencode({"org": committee.pk, "period": f"{year}-Q4"}),
            )
        )
    if "directives_due" in e:
        lines.append(
            EvidenceLine(
                _("Quán triệt văn bản đến hạn trong năm"),
                _("%(due)s lượt: %(on_time)s đúng hạn, %(late)s chậm, %(overdue)s quá hạn")
                % {
                    "due": e["directives_due"],
                    "on_time": e["directives_on_time"],
                    "late": e["directives_late"],
                    "overdue": e["directives_overdue"],
                },
                reverse("directives:list") + "?" + urlencode({"org": committee.pk}),
            )
        )
    return lines


def _weights(classification: dict) -> dict:
    return classification.get("org_weights") or ORG_WEIGHTS


@records_actor
@transaction.atomic
def org_rating_propose(*, actor: User | None, org: Organization, year: int) -> OrgRating:
    """Compute (or compute again, until decided) the organization's proposal for the year."""
    rating = OrgRating.objects.select_for_update().filter(org=org, year=year).first()
    if rating is not None and rating.level:
        raise ChiboError(_("Xếp loại năm %(year)s của %(org)s đã quyết định.") % {"year": year, "org": org.name})
    evidence = org_evidence(org, year)
    classification = ruleset_for(org, date(year, 12, 31)).classification
    proposal = propose_org(evidence, cutoffs=classification["cutoffs"], weights=_weights(classification))
    rating = rating or OrgRating(org=org, year=year)
    rating.evidence, rating.points = evidence, proposal.points
    rating.proposed_level, rating.reasons = proposal.level, proposal.reasons
    rating.save()
    return rating


@records_actor
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
        raise ChiboError(
            _("Đổi mức đề xuất (%(proposed)s) phải ghi lý do.") % {"proposed": SHORT.get(rating.proposed_level, "—")},
            field="reason",
        )
    rating.level, rating.decision_reason = level, reason.strip()
    rating.decided_by, rating.decided_at, rating.source = actor, timezone.now(), Source.SYSTEM
    rating.save()
    return rating
