"""Reads of the directives register (C12): what a cell still has to disseminate, what a meeting disseminated,
and compliance — per directive and per committee — which dashboards read too (`compliance`,
`committee_compliance`)."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from chibo.accounts.scope import AnyUser, Perm, orgs_with
from chibo.core.dates import today as today_
from chibo.core.vietnamese import unaccent
from chibo.directives.models import Directive, DirectiveTarget, Dissemination
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization


def directives_visible_to(user: AnyUser) -> QuerySet[Directive]:
    """Directives a user may read: those targeting a node they see, or reaching a cell they see."""
    visible = orgs_with(user, Perm.VIEW_ORG)
    return Directive.objects.filter(
        Q(target__in=visible) | Q(pk__in=DirectiveTarget.objects.filter(cell__in=visible).values("directive_id"))
    ).distinct()


def pending_for(cell: Organization, day: date) -> list[DirectiveTarget]:
    """The directives issued by `day` that the cell has not yet disseminated, oldest deadline first (one query)."""
    return list(
        DirectiveTarget.objects.filter(cell=cell, dissemination__isnull=True, directive__issued_on__lte=day)
        .select_related("directive")
        .order_by("directive__deadline", "directive__issued_on", "directive_id")
    )


def disseminated_at(meeting: Meeting) -> list[Dissemination]:
    """What this meeting disseminated, for its minutes (one query)."""
    return list(
        Dissemination.objects.filter(meeting=meeting)
        .select_related("target__directive", "presenter")
        .order_by("target__directive__issued_on", "id")
    )


# --- compliance -----------------------------------------------------------------------------------------

ON_TIME, LATE, PENDING, OVERDUE = "on_time", "late", "pending", "overdue"


@dataclass(frozen=True)
class CellCompliance:
    cell_id: int
    cell_name: str
    parent_name: str
    status: str  # ON_TIME, LATE (done after the deadline), PENDING (not yet, deadline to come), OVERDUE
    held_on: date | None
    meeting_id: int | None
    present_count: int | None
    required_count: int | None


@dataclass
class Counts:
    targeted: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_pct(self) -> int:
        return round(self.on_time * 100 / self.targeted) if self.targeted else 0

    def add(self, status: str) -> None:
        self.targeted += 1
        setattr(self, status, getattr(self, status) + 1)


@dataclass
class DirectiveCompliance:
    directive: Directive
    day: date
    cells: list[CellCompliance]
    totals: Counts
    by_committee: list[tuple[str, Counts]] = field(default_factory=list)


def target_status(target_deadline: date, held_on: date | None, day: date) -> str:
    """A targeted cell's standing on a directive on `day`: on time, late, pending or overdue."""
    if held_on is not None:
        return ON_TIME if held_on <= target_deadline else LATE
    return OVERDUE if day > target_deadline else PENDING


def compliance(
    directive: Directive, *, day: date | None = None, within: Organization | None = None
) -> DirectiveCompliance:
    """Which targeted cells disseminated the directive by its deadline, which late, which not yet; grouped by
    the committee above each cell on the directive's date. `within` keeps the cells under one committee.
    Two queries, whatever the number of cells."""
    day = day or today_()
    targets = DirectiveTarget.objects.filter(directive=directive)
    if within is not None:
        targets = targets.filter(Q(parent=within) | Q(parent__path__startswith=within.path) | Q(cell=within))
    rows = targets.select_related("cell", "parent", "dissemination").order_by("id")
    cells: list[CellCompliance] = []
    totals = Counts()
    groups: dict[str, Counts] = {}
    for t in rows:
        done = getattr(t, "dissemination", None) if hasattr(t, "dissemination") else None
        status = target_status(directive.deadline, done.held_on if done else None, day)
        parent = t.parent.name if t.parent else ""
        cells.append(
            CellCompliance(
                t.cell_id,
                t.cell.name,
                parent,
                status,
                done.held_on if done else None,
                done.meeting_id if done else None,
                done.present_count if done else None,
                done.required_count if done else None,
            )
        )
        totals.add(status)
        groups.setdefault(parent, Counts()).add(status)
    cells.sort(key=lambda c: (unaccent(c.parent_name), unaccent(c.cell_name)))
    by_committee = sorted(groups.items(), key=lambda g: unaccent(g[0]))
    return DirectiveCompliance(directive, day, cells, totals, by_committee)


def targets_due(first: date, end: date, cell_ids: Collection[int] | None = None) -> list[tuple[int, date, date | None]]:
    """(cell id, deadline, day disseminated or None) of the targets whose deadline falls in [first, end): the
    dashboards' monthly summary counts them with `target_status` (one query)."""
    rows = DirectiveTarget.objects.filter(directive__deadline__gte=first, directive__deadline__lt=end)
    if cell_ids is not None:
        rows = rows.filter(cell_id__in=cell_ids)
    return list(rows.values_list("cell_id", "directive__deadline", "dissemination__held_on"))


@dataclass(frozen=True)
class DirectiveSummary:
    directive: Directive
    counts: Counts


def committee_compliance(
    committee: Organization, directives: QuerySet[Directive], *, day: date | None = None
) -> list[DirectiveSummary]:
    """For a committee, each given directive's counts over the cells under it (on the directive's date):
    one query for all the directives of the page."""
    day = day or today_()
    listed = list(directives)
    under = Q(parent=committee) | Q(parent__path__startswith=committee.path) | Q(directive__target=committee)
    rows = (
        DirectiveTarget.objects.filter(directive__in=listed)
        .filter(under)
        .values_list("directive_id", "dissemination__held_on")
    )
    counts = {d.pk: Counts() for d in listed}
    deadline = {d.pk: d.deadline for d in listed}
    for directive_id, held_on in rows:
        counts[directive_id].add(target_status(deadline[directive_id], held_on, day))
    return [DirectiveSummary(d, counts[d.pk]) for d in listed]


def year_counts(org: Organization, start: date, end: date, *, day: date | None = None) -> Counts:
    """Directives due in [start, end) at the cells under `org` (or `org` itself, a cell): how many targeted,
    disseminated on time, late, still pending, overdue on `day` (one query); the year-end rating of
    organizations reads it."""
    day = day or today_()
    rows = DirectiveTarget.objects.filter(
        cell__path__startswith=org.path, directive__deadline__gte=start, directive__deadline__lt=end
    ).values_list("directive__deadline", "dissemination__held_on")
    counts = Counts()
    for deadline, held_on in rows:
        counts.add(target_status(deadline, held_on, day))
    return counts


def directives_for_committee(committee: Organization) -> QuerySet[Directive]:
    """The register a committee reads: directives it was given, or that reach the cells under it."""
    reach = DirectiveTarget.objects.filter(Q(parent=committee) | Q(parent__path__startswith=committee.path)).values(
        "directive_id"
    )
    return (
        Directive.objects.filter(Q(target=committee) | Q(pk__in=reach))
        .annotate(n_targets=Count("targets", distinct=True))
        .order_by("-issued_on", "number")
    )


def minutes_lines(meeting: Meeting) -> list[str]:
    """The minutes' list of the directives disseminated at the meeting."""
    done = disseminated_at(meeting)
    if not done:
        return []
    lines = ["Quán triệt văn bản cấp trên:"]
    for d in done:
        directive = d.target.directive
        by = f", do đồng chí {d.presenter.full_name} trình bày" if d.presenter else ""
        lines.append(
            f"- {directive.label} của {directive.issuer}: {directive.summary.strip()}{by}; "
            f"{d.present_count}/{d.required_count} đảng viên có mặt."
        )
    return lines
