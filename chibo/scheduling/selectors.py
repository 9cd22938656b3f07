"""Reads of the calendar: meetings a user may see, and a month of a cell or of a committee's cells with
its warnings. A constant number of queries whatever the number of cells."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from chibo.accounts.scope import AnyUser, Perm, has_perm_on, orgs_with
from chibo.meetings.models import Meeting
from chibo.members.models import Member, Membership
from chibo.organizations.models import Organization, OrgVersion
from chibo.rules.selectors import RulesetResolver
from chibo.scheduling.calendar import (
    holiday_shift_note,
    month_start,
    next_month,
    quarter_of,
    regular_meeting_date,
)

Kind = Meeting.Kind
Status = Meeting.Status


def in_month(first: date) -> Q:
    """Meetings of the month: regular ones by the month they belong to, others by the day they are held."""
    return Q(period=first) | Q(period__isnull=True, scheduled_date__gte=first, scheduled_date__lt=next_month(first))


def thematic_q() -> Q:
    return (Q(kind=Kind.THEMATIC) | Q(kind=Kind.REGULAR, with_thematic=True)) & ~Q(status=Status.CANCELLED)


def cells_in_month(user: AnyUser, org: Organization, first: date) -> list[Organization]:
    """The cells at or under `org` that the user may see and that existed at some time in the month,
    taken from the tree as it stood then (a month of 2021 shows the cells a ward had in 2021)."""
    # Walk down the tree through every period that overlaps the month: one query per level.
    in_month = OrgVersion.objects.filter(valid_from__lt=next_month(first)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=first)
    )
    ids: set[int] = set()
    frontier = {org.pk}
    while frontier:
        level = list(in_month.filter(parent_id__in=frontier).values_list("org_id", "kind"))
        ids |= {pk for pk, kind in level if kind in Organization.CELL_KINDS}
        frontier = {pk for pk, kind in level if kind not in Organization.CELL_KINDS}
    if org.kind in Organization.CELL_KINDS:
        ids.add(org.pk)
    return list(
        orgs_with(user, Perm.VIEW_ORG)
        .filter(pk__in=ids, established_on__lt=next_month(first))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=first))
        .order_by("name", "pk")
    )


@dataclass
class CellMonth:
    cell: Organization
    meetings: list[Meeting] = field(default_factory=list)
    expected_day: date | None = None
    thematic_in_quarter: int = 0
    thematic_required: int = 1
    can_plan: bool = False

    @property
    def has_regular(self) -> bool:
        return any(m.kind == Kind.REGULAR and m.status != Status.CANCELLED for m in self.meetings)

    @property
    def missing_thematic(self) -> bool:
        return self.thematic_in_quarter < self.thematic_required


@dataclass
class MonthCalendar:
    org: Organization
    first: date
    quarter: int
    rows: list[CellMonth]

    @property
    def without_regular(self) -> list[CellMonth]:
        return [r for r in self.rows if not r.has_regular]

    @property
    def without_thematic(self) -> list[CellMonth]:
        return [r for r in self.rows if r.missing_thematic]


def month_calendar(user: AnyUser, org: Organization, first: date) -> MonthCalendar:
    first = month_start(first)
    cells = cells_in_month(user, org, first)
    rows = {c.pk: CellMonth(cell=c, can_plan=has_perm_on(user, c, Perm.RUN_MEETINGS)) for c in cells}
    meetings = (
        Meeting.objects.filter(in_month(first), org_id__in=list(rows))
        .select_related("ruleset")
        .order_by("scheduled_date", "scheduled_time", "pk")
    )
    for m in meetings:
        m.shift_note = shift_note(m, rows[m.org_id].cell)  # type: ignore[attr-defined]
        rows[m.org_id].meetings.append(m)
    q_start, q_end = quarter_of(first)
    thematic = (
        Meeting.objects.filter(
            thematic_q(), org_id__in=list(rows), scheduled_date__gte=q_start, scheduled_date__lt=q_end
        )
        .values("org_id")
        .annotate(n=Count("pk"))
    )
    for item in thematic:
        rows[item["org_id"]].thematic_in_quarter = item["n"]
    if rows:
        resolver = RulesetResolver(cells)
        for row in rows.values():
            rules = resolver.for_org(row.cell, first)
            row.thematic_required = rules.thematic_per_quarter
            if not row.has_regular:
                row.expected_day = regular_meeting_date(row.cell, rules, first)
    return MonthCalendar(org=org, first=first, quarter=(first.month - 1) // 3 + 1, rows=list(rows.values()))


def shift_note(meeting: Meeting, org: Organization) -> str:
    """Why a regular meeting is off its fixed day because of a day off ("" otherwise); `org` is the meeting's
    cell, passed in so that a list of meetings costs no query per meeting."""
    return holiday_shift_note(
        org=org,
        rules=meeting.ruleset,
        period=meeting.period,
        scheduled=meeting.scheduled_date,
        regular=meeting.kind == Meeting.Kind.REGULAR,
    )


def feed_meetings(member: Member, since: date) -> QuerySet[Meeting]:
    """The meetings of every cell the member was on the roll of, or stayed in temporarily, while it met."""
    periods = Membership.objects.filter(member=member).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=since))
    q = Q(pk__in=[])
    for p in periods:
        span = Q(org_id=p.org_id, scheduled_date__gte=max(p.started_on, since))
        if p.ended_on is not None:
            span &= Q(scheduled_date__lt=p.ended_on)
        q |= span
    return Meeting.objects.filter(q).select_related("org", "ruleset").order_by("scheduled_date", "scheduled_time")
