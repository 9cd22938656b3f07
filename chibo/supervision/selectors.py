"""Reads of supervision (C11): who follows a cell, who attended a meeting from above, and coverage.

`attended_from_above` / `upper_guests` is the one rule of "attended from above": the meeting's guests
recorded as upper-level cadres (meetings.Guest.is_supervisor, set when a cadre checks in from their phone
or the secretary records them). The meeting score's "assigned supervisor present" and coverage both read it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet

from chibo.accounts.models import Role, RoleGrant, User
from chibo.core.dates import today as today_
from chibo.core.vietnamese import name_sort_key, unaccent
from chibo.meetings.models import Guest, Meeting, SupervisorRemark
from chibo.organizations.models import Organization
from chibo.organizations.selectors import subtree_rows_on
from chibo.quality.models import Level
from chibo.rules.selectors import ruleset_for
from chibo.supervision.models import Assignment, RemarkFollowUp, RotaPlan, RotaVisit

CELL_KINDS = Organization.CELL_KINDS  # chi bộ trực thuộc and chi bộ cơ sở both meet


def text_key(text: str) -> tuple[str, str]:
    """Order of a unit's name (not a person's): letters first, then tones."""
    return unaccent(text), text


def in_force(start: date, end: date) -> Q:
    """Assignments in force at some time in [start, end)."""
    return Q(valid_from__lt=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))


def followers_on(cell: Organization, day: date) -> QuerySet[Assignment]:
    """The cadres assigned to follow the cell on `day` (cấp ủy viên phụ trách)."""
    return (
        Assignment.objects.filter(cell=cell)
        .filter(in_force(day, day + timedelta(days=1)))
        .select_related("cadre", "committee")
        .order_by("valid_from", "id")
    )


def upper_guests() -> QuerySet[Guest]:
    """Every record of someone attending a meeting from above (not of cancelled meetings)."""
    return Guest.objects.filter(is_supervisor=True).exclude(meeting__status=Meeting.Status.CANCELLED)


def attended_from_above(meeting: Meeting) -> list[Guest]:
    """Who attended this meeting from above (cán bộ cấp trên dự sinh hoạt), in the order they arrived."""
    return list(upper_guests().filter(meeting=meeting).select_related("user").order_by("created_at", "id"))


def meetings_attended_from_above(meetings: QuerySet[Meeting]) -> set[int]:
    """Which of these meetings someone attended from above (one query): the dashboards' coverage."""
    return set(upper_guests().filter(meeting__in=meetings).values_list("meeting_id", flat=True).distinct())


@dataclass(frozen=True)
class UpperAttendee:
    """One line of the meeting's "attending from above": an assigned cadre (expected) and/or a checked-in guest."""

    name: str
    title: str
    assigned: bool
    present: bool
    user_id: int | None


def upper_attendance(meeting: Meeting) -> list[UpperAttendee]:
    """The meeting's attendance from above: every cadre following the cell on the day, present or not, and
    anyone else who attended from above (two queries)."""
    day = meeting.scheduled_date
    guests = attended_from_above(meeting)
    by_user = {g.user_id: g for g in guests if g.user_id}
    lines: list[UpperAttendee] = []
    seen: set[int] = set()
    for a in followers_on(meeting.org, day):
        if a.cadre_id in seen:
            continue
        seen.add(a.cadre_id)
        name = a.cadre.get_full_name() or a.cadre.username
        lines.append(UpperAttendee(name, a.title, True, a.cadre_id in by_user, a.cadre_id))
    for g in guests:
        if g.user_id is None or g.user_id not in seen:
            lines.append(UpperAttendee(g.name, g.role, False, True, g.user_id))
    return lines


# --- remarks ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemarkView:
    remark: SupervisorRemark
    asks_action: bool
    reply: str
    task_id: int | None
    task_description: str
    task_done: bool | None  # None: no task

    @property
    def acted_on(self) -> bool:
        return bool(self.reply) or bool(self.task_done)

    @property
    def status(self) -> str:
        """ "none" (no action asked), "waiting", "answered" (a reply or a task still open), "done"."""
        if not self.asks_action:
            return "none"
        if self.task_done or (self.reply and self.task_id is None):
            return "done"
        if self.task_id is not None or self.reply:
            return "answered"
        return "waiting"


def remarks_of(meeting: Meeting) -> list[RemarkView]:
    """The meeting's remarks with whether each asks for action and how it was answered (two queries)."""
    from chibo.tasks.models import TaskAssignment

    remarks = list(
        meeting.remarks.select_related("author", "follow_up__task").order_by("created_at", "id")  # type: ignore[attr-defined]
    )
    task_ids = [r.follow_up.task_id for r in remarks if _follow(r) and r.follow_up.task_id]
    open_tasks = (
        set(
            TaskAssignment.objects.filter(task_id__in=task_ids)
            .exclude(status=TaskAssignment.Status.DONE)
            .values_list("task_id", flat=True)
        )
        if task_ids
        else set()
    )
    views = []
    for r in remarks:
        f = _follow(r)
        task = f.task if f else None
        views.append(
            RemarkView(
                remark=r,
                asks_action=bool(f and f.asks_action),
                reply=f.reply.strip() if f else "",
                task_id=task.pk if task else None,
                task_description=task.description if task else "",
                task_done=None if task is None else task.pk not in open_tasks,
            )
        )
    return views


@dataclass(frozen=True)
class RemarkCounts:
    """The remarks of those attending from above at the meetings under an organization in a period."""

    remarks: int
    asks_action: int
    answered: int  # of those asking action: a reply, or a task given


def remark_counts(org: Organization, start: date, end: date) -> RemarkCounts:
    """Remarks at the meetings of `org` and the cells under it held in [start, end), how many asked the cell
    to act and how many of those were answered (one query): the year-end rating of organizations reads it."""
    asks = Q(follow_up__asks_action=True)
    row = SupervisorRemark.objects.filter(
        meeting__org__path__startswith=org.path,
        meeting__scheduled_date__gte=start,
        meeting__scheduled_date__lt=end,
    ).aggregate(
        remarks=Count("pk"),
        asks_action=Count("pk", filter=asks),
        answered=Count("pk", filter=asks & (Q(follow_up__task__isnull=False) | ~Q(follow_up__reply=""))),
    )
    return RemarkCounts(row["remarks"], row["asks_action"], row["answered"])


def _follow(remark: SupervisorRemark) -> RemarkFollowUp | None:
    try:
        return remark.follow_up  # type: ignore[attr-defined,no-any-return]
    except RemarkFollowUp.DoesNotExist:
        return None


# --- coverage -----------------------------------------------------------------------------------------


@dataclass
class CellCoverage:
    cell_id: int
    name: str
    cadres: list[str] = field(default_factory=list)
    visits: int = 0  # meetings of the period with someone from above
    last_visit: date | None = None  # the last one up to the reference day, whenever it was
    since: date | None = None  # last visit, or the cell's founding when never visited
    days_without: int = 0
    overdue: bool = False


@dataclass
class CadreCoverage:
    user_id: int
    name: str
    titles: list[str] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)  # cells followed in the period
    attended: list[tuple[str, date]] = field(default_factory=list)  # (cell, meeting day) in the period
    missed: list[str] = field(default_factory=list)  # cells followed but not attended in the period


@dataclass
class Coverage:
    committee: Organization
    start: date
    end: date  # exclusive
    reference_day: date  # the last day counted: the period's last day, or today if the period is running
    gap_days: int
    cells: list[CellCoverage]
    cadres: list[CadreCoverage]

    @property
    def overdue_cells(self) -> list[CellCoverage]:
        return [c for c in self.cells if c.overdue]

    @property
    def visited_cells(self) -> int:
        return sum(1 for c in self.cells if c.visits)


def coverage(committee: Organization, start: date, end: date, *, today: date | None = None) -> Coverage:
    """Per period [start, end): which cells each cadre attended, and which cells went without an upper-level
    attendee for longer than the committee's rule set allows (supervision_gap_days). The committee's cells
    are those under it on the reference day (the tree on that date). A fixed number of queries, whatever
    the number of cells: the province's page costs what a ward's does."""
    reference = min(end - timedelta(days=1), today or today_())
    gap_days = ruleset_for(committee, reference).supervision_gap_days
    # Value rows, not model instances: a province has 25,000 cells.
    nodes = subtree_rows_on(committee, reference, "kind", "name", "org__established_on")
    cells = {org_id: CellCoverage(org_id, name) for org_id, _p, kind, name, _f in nodes if kind in CELL_KINDS}
    founded = {org_id: day for org_id, _p, kind, _n, day in nodes if kind in CELL_KINDS}
    cadres: dict[int, CadreCoverage] = {}
    assignments = (
        Assignment.objects.filter(cell_id__in=cells)
        .filter(in_force(start, end))
        .order_by("valid_from", "id")
        .values_list("cadre_id", "cadre__first_name", "cadre__last_name", "cadre__username", "cell_id", "title")
    )
    followed: dict[int, set[int]] = {}
    for cadre_id, first, last, username, cell_id, title in assignments:
        name = f"{first} {last}".strip() or username
        cells[cell_id].cadres.append(name)
        row = cadres.setdefault(cadre_id, CadreCoverage(cadre_id, name))
        if title not in row.titles:
            row.titles.append(title)
        if cell_id not in followed.setdefault(cadre_id, set()):
            followed[cadre_id].add(cell_id)
            row.assigned.append(cells[cell_id].name)
    visits = (
        upper_guests()
        .filter(meeting__org_id__in=cells, meeting__scheduled_date__gte=start, meeting__scheduled_date__lt=end)
        .values_list("user_id", "meeting__org_id", "meeting_id", "meeting__scheduled_date")
        .order_by("meeting__scheduled_date", "meeting_id")
    )
    met: dict[int, set[int]] = {}
    attended: dict[int, set[int]] = {}
    for user_id, cell_id, meeting_id, day in visits:
        met.setdefault(cell_id, set()).add(meeting_id)
        if user_id in cadres:
            cadres[user_id].attended.append((cells[cell_id].name, day))
            attended.setdefault(user_id, set()).add(cell_id)
    last_visit = dict(
        upper_guests()
        .filter(meeting__org_id__in=cells, meeting__scheduled_date__lte=reference)
        .values_list("meeting__org_id")
        .annotate(last=Max("meeting__scheduled_date"))
        .values_list("meeting__org_id", "last")
    )
    for cell_id, cell_row in cells.items():
        cell_row.visits = len(met.get(cell_id, ()))
        cell_row.last_visit = last_visit.get(cell_id)
        cell_row.since = cell_row.last_visit or founded[cell_id]
        cell_row.days_without = max(0, (reference - cell_row.since).days)
        cell_row.overdue = cell_row.days_without > gap_days
        if len(cell_row.cadres) > 1:
            cell_row.cadres.sort(key=name_sort_key)
    for user_id, row in cadres.items():
        seen = attended.get(user_id, set())
        row.missed = sorted((cells[c].name for c in followed.get(user_id, set()) - seen), key=text_key)
    return Coverage(
        committee=committee,
        start=start,
        end=end,
        reference_day=reference,
        gap_days=gap_days,
        cells=sorted(cells.values(), key=lambda c: text_key(c.name)),
        cadres=sorted(cadres.values(), key=lambda c: name_sort_key(c.name)),
    )


def committee_officers(committee: Organization, day: date) -> list[User]:
    """Who is told on the committee's side: its officers and administrators on the day."""
    grants = (
        RoleGrant.objects.active_on(day)
        .filter(org=committee, role__in=[Role.OFFICER, Role.ADMIN], user__is_active=True)
        .select_related("user__member")
        .order_by("user_id")
    )
    return list({g.user_id: g.user for g in grants}.values())


def quarter_of(day: date) -> tuple[date, date]:
    """[first day of the quarter, first day of the next)."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
    return first, end


def guidance_lines(meeting: Meeting) -> list[str]:
    """The minutes' "Ý kiến chỉ đạo": each remark, its author, and the cell's answer when it asked for one."""
    lines = []
    for view in remarks_of(meeting):
        if not view.remark.text.strip():
            continue  # flagged before anything was written
        author = view.remark.author.get_full_name() or view.remark.author.username
        lines.append(f"- Đồng chí {author}: {view.remark.text.strip()}")
        if view.reply:
            lines.append(f"  Chi bộ trả lời: {view.reply}")
        if view.task_id:
            lines.append(f"  Chi bộ giao nhiệm vụ: {view.task_description}")
        elif view.asks_action and not view.reply:
            lines.append("  (Chi bộ chưa trả lời.)")
    return lines


# --- the rota's inputs ----------------------------------------------------------------------------------


def falling_cells(
    cell_ids: set[int] | list[int], before: date, *, months: int = 6, within: Organization | None = None
) -> dict[int, int]:
    """Cells whose meetings are slipping, before `before`, scored 0..2 (the rota visits the higher first):
    one sign when attendance falls (the last meeting's rate below the rule's threshold, or 5 points or more
    below the average of the earlier meetings of the window), one when the meeting score falls (the last
    score "Trung bình" or "Kém", or 5 points of 100 or more below the earlier scores' average). Two
    queries. `within` reads the meetings of today's subtree instead of a list of ids (a province's 25,000),
    keeping those of `cell_ids`."""
    from django.db.models import Count

    from chibo.meetings.models import Attendance

    start = date(before.year - (1 if before.month <= months else 0), (before.month - months - 1) % 12 + 1, 1)
    held = Q(
        meeting__status=Meeting.Status.CLOSED, meeting__scheduled_date__gte=start, meeting__scheduled_date__lt=before
    )
    where = Q(meeting__org__path__startswith=within.path) if within is not None else Q(meeting__org_id__in=cell_ids)
    rows = (
        Attendance.objects.filter(where, held, is_exempt=False)
        .values_list(
            "meeting__org_id", "meeting_id", "meeting__scheduled_date", "meeting__ruleset__attendance_threshold_pct"
        )
        .annotate(
            required=Count("id"),
            present=Count("id", filter=Q(status__in=Attendance.PRESENT_STATUSES)),
        )
        .order_by("meeting__org_id", "meeting__scheduled_date", "meeting_id")
    )
    wanted = set(cell_ids)
    rates: dict[int, list[tuple[float, int]]] = {}
    for cell_id, _meeting, _day, threshold, required, present in rows:
        if required and cell_id in wanted:
            rates.setdefault(cell_id, []).append((present * 100 / required, threshold))
    falling: dict[int, int] = {}
    for cell_id, series in rates.items():
        last, threshold = series[-1]
        if last < threshold or _fell([rate for rate, _t in series]):
            falling[cell_id] = 1

    scored = (
        Meeting.objects.filter(
            Q(org__path__startswith=within.path) if within is not None else Q(org_id__in=cell_ids),
            status=Meeting.Status.CLOSED,
            scheduled_date__gte=start,
            scheduled_date__lt=before,
            score__max_total__gt=0,
        )
        .values_list("org_id", "score__total", "score__max_total", "score__level")
        .order_by("org_id", "scheduled_date", "pk")
    )
    scores: dict[int, list[tuple[float, str]]] = {}
    for cell_id, total, max_total, level in scored:
        if cell_id in wanted:
            scores.setdefault(cell_id, []).append((total * 100 / max_total, level))
    for cell_id, scored_series in scores.items():
        if scored_series[-1][1] in SLIPPING_LEVELS or _fell([points for points, _level in scored_series]):
            falling[cell_id] = falling.get(cell_id, 0) + 1
    return falling


# A meeting scored at these levels is a sign by itself.
SLIPPING_LEVELS = frozenset({Level.AVERAGE, Level.POOR})


def _fell(series: list[float]) -> bool:
    """The last value of a series 5 points or more below the average of the earlier ones."""
    earlier = series[:-1]
    return bool(earlier) and series[-1] <= sum(earlier) / len(earlier) - 5


# --- scope of the pages --------------------------------------------------------------------------------


def get_committee_for_user(user: object, pk: object, perm: object = None) -> Organization:
    """A committee (not a cell) the user may see (`perm`, default VIEW_ORG), or 404."""
    from django.http import Http404

    from chibo.accounts.scope import Perm, get_org_for_user

    org = get_org_for_user(user, pk, perm or Perm.VIEW_ORG)  # type: ignore[arg-type]
    if org.is_cell:
        raise Http404
    return org


def committees_of(user: object) -> QuerySet[Organization]:
    """The committees a user may open supervision pages for: the topmost nodes they see, and the level below."""
    from chibo.accounts.scope import Perm, orgs_with

    visible = orgs_with(user, Perm.VIEW_ORG).exclude(kind__in=Organization.CELL_KINDS)  # type: ignore[arg-type]
    top = visible.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return visible.none()
    return visible.filter(depth__lte=top + 1).order_by("depth", "name")[:100]  # type: ignore[return-value]


def parse_quarter(text: str | None, day: date) -> tuple[date, date]:
    """ "2021-Q2" → the quarter's [first day, next quarter's first day); the quarter of `day` otherwise."""
    if text:
        try:
            year, q = text.upper().split("-Q")
            return quarter_of(date(int(year), 3 * (int(q) - 1) + 1, 1))
        except (ValueError, TypeError):
            pass
    return quarter_of(day)


def quarter_label(start: date) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def rota_warnings(plan: RotaPlan) -> list[str]:
    """What an edited rota breaks of the planner's rules (local practice: warned about, never refused):
    cadres beyond K a month, cells of the period not visited, meetings with two cadres. Three queries."""
    visits = list(
        RotaVisit.objects.filter(plan=plan)
        .select_related("cadre")
        .values_list("cadre_id", "cadre__first_name", "cadre__username", "cell_id", "month")
    )
    per_month: dict[tuple[int, date], int] = {}
    per_meeting: dict[tuple[int, date], int] = {}
    names: dict[int, str] = {}
    for cadre_id, first, username, cell_id, month in visits:
        names[cadre_id] = first or username
        per_month[cadre_id, month] = per_month.get((cadre_id, month), 0) + 1
        per_meeting[cell_id, month] = per_meeting.get((cell_id, month), 0) + 1
    warnings = [
        f"{names[c]}: {n} buổi trong tháng {m:%m/%Y} (tối đa {plan.max_per_month})."
        for (c, m), n in sorted(per_month.items(), key=lambda kv: (kv[0][1], names[kv[0][0]]))
        if n > plan.max_per_month
    ]
    nodes = subtree_rows_on(plan.committee, plan.starts_on, "kind", "name")
    cells = {org_id: name for org_id, _p, kind, name in nodes if kind in CELL_KINDS}
    visited = {cell for cell, _m in per_meeting}
    missing = sorted((name for pk, name in cells.items() if pk not in visited), key=text_key)
    if missing:
        warnings.append(f"Chưa có ai dự sinh hoạt: {', '.join(missing)}.")
    doubled = sum(1 for n in per_meeting.values() if n > 1)
    if doubled:
        warnings.append(f"{doubled} buổi sinh hoạt có từ hai cán bộ cùng dự.")
    return warnings
