"""Reads of the dashboards: a node's figures for a period, summed over the cells of the tree as it
stood on a chosen day, per child and per month, from the CellMonth summary. A constant number of
queries from a cell to the province: the tree walk and the sums are one recursive query."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.utils.translation import gettext as _

from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.dashboards.models import CellMonth, SummaryRefresh
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization, OrgVersion
from chibo.organizations.selectors import children_on, version_on
from chibo.quality.models import LEVEL_ORDER as QUALITY_LEVELS
from chibo.reviews.models import LEVEL_ORDER as REVIEW_LEVELS
from chibo.reviews.models import SHORT
from chibo.reviews.models import Level as ReviewLevel
from chibo.rules.selectors import ruleset_for
from chibo.scheduling.calendar import month_start, next_month

SUMMED = ("planned", "held", "held_on_day", "regular_held", "thematic_held", "required", "present",
          "present_total", "speakers", "tasks_due", "tasks_done", "tasks_overdue",
          "score_good", "score_fair", "score_average", "score_poor", "score_confirmed", "supervised",
          "directives_due", "directives_on_time", "directives_late", "directives_overdue",
          "reviewed", "review_not_rated", "review_excellent", "review_good", "review_fair", "review_poor")  # fmt: skip


REVIEWS = frozenset(("reviewed", "review_not_rated", "review_excellent", "review_good", "review_fair", "review_poor"))
REVIEW_FIELDS = {ReviewLevel.EXCELLENT: "review_excellent", ReviewLevel.GOOD: "review_good",
                 ReviewLevel.FAIR: "review_fair", ReviewLevel.POOR: "review_poor"}  # fmt: skip


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part * 100 / whole, 1)


@dataclass
class Figures:
    """Counts over a set of cell-months and the rates a dashboard shows."""

    planned: int = 0
    held: int = 0
    held_on_day: int = 0
    regular_held: int = 0
    thematic_held: int = 0
    required: int = 0
    present: int = 0
    present_total: int = 0
    speakers: int = 0
    tasks_due: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    score_good: int = 0
    score_fair: int = 0
    score_average: int = 0
    score_poor: int = 0
    score_confirmed: int = 0
    supervised: int = 0
    directives_due: int = 0
    directives_on_time: int = 0
    directives_late: int = 0
    directives_overdue: int = 0
    reviewed: int = 0
    review_not_rated: int = 0
    review_excellent: int = 0
    review_good: int = 0
    review_fair: int = 0
    review_poor: int = 0
    # Not from the months: the cells of the node on the day, and those someone attended from above in the period.
    cells: int = 0
    cells_visited: int = 0

    def add(self, other: "Figures", *, reviews: bool = True) -> None:
        for name in SUMMED:
            if reviews or name not in REVIEWS:
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cells += other.cells
        self.cells_visited += other.cells_visited

    @property
    def held_pct(self) -> float | None:
        return _pct(self.held, self.planned)

    @property
    def on_day_pct(self) -> float | None:
        return _pct(self.held_on_day, self.held)

    @property
    def attendance_pct(self) -> float | None:
        return _pct(self.present, self.required)

    @property
    def speakers_pct(self) -> float | None:
        return _pct(self.speakers, self.present_total)

    @property
    def tasks_done_pct(self) -> float | None:
        return _pct(self.tasks_done, self.tasks_due)

    # Meeting quality (chibo.quality): the meetings scored, by level.
    @property
    def scored(self) -> int:
        return self.score_good + self.score_fair + self.score_average + self.score_poor

    @property
    def score_levels(self) -> list[tuple[str, str, int, float | None]]:
        """(level, label, meetings, share of those scored), best first."""
        found = []
        for level in QUALITY_LEVELS:
            n = getattr(self, f"score_{level.value}")
            found.append((level.value, str(level.label), n, _pct(n, self.scored)))
        return found

    @property
    def good_pct(self) -> float | None:
        return _pct(self.score_good, self.scored)

    # Supervision: meetings held with someone from above; cells visited in the period.
    @property
    def supervised_pct(self) -> float | None:
        return _pct(self.supervised, self.held)

    @property
    def cells_visited_pct(self) -> float | None:
        return _pct(self.cells_visited, self.cells)

    # Directives whose deadline fell in the period.
    @property
    def directives_pending(self) -> int:
        return self.directives_due - self.directives_on_time - self.directives_late - self.directives_overdue

    @property
    def directives_on_time_pct(self) -> float | None:
        return _pct(self.directives_on_time, self.directives_due)

    # The year-end classification (chibo.reviews) of the dashboard's review year.
    @property
    def review_levels(self) -> list[tuple[str, str, int, float | None]]:
        """(level, short name, members, share of those rated), best first."""
        rated = self.reviewed - self.review_not_rated
        found = []
        for level in REVIEW_LEVELS:
            n = getattr(self, REVIEW_FIELDS[level])
            found.append((level.value, SHORT[level], n, _pct(n, rated)))
        return found


@dataclass
class ChildRow:
    org_id: int
    name: str
    kind: str
    is_cell: bool
    figures: Figures = field(default_factory=Figures)


@dataclass
class MeetingRow:
    meeting: Meeting


@dataclass
class Period:
    first: date  # first month
    last: date  # last month (its first day)
    as_of: date

    @property
    def months(self) -> list[date]:
        found, m = [], self.first
        while m <= self.last:
            found.append(m)
            m = next_month(m)
        return found

    @property
    def end(self) -> date:
        return next_month(self.last)


@dataclass
class Dashboard:
    org: Organization
    version: OrgVersion
    period: Period
    children: list[ChildRow]
    monthly: list[tuple[date, Figures]]
    totals: Figures
    meetings: list[Meeting]
    refreshed_at: object  # datetime | None
    review_year: int | None = None  # the year whose classification the figures show

    @property
    def is_cell(self) -> bool:
        return self.version.kind in Organization.CELL_KINDS


def _parse_month(text: str, field_name: str) -> date:
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ChiboError(_("Tháng không hợp lệ: hãy chọn theo dạng mm/yyyy."), field=field_name) from None


def _parse_day(text: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        raise ChiboError(_("Ngày không hợp lệ."), field=field_name) from None


def period_for(org: Organization, *, first: str = "", last: str = "", as_of: str = "") -> Period:
    """The period and the day of the tree a dashboard is asked for, checked; by default the twelve
    months up to this one, on today's tree (or the last day of a dissolved node)."""
    day = _parse_day(as_of, "as_of") if as_of else today()
    if not as_of and org.dissolved_on is not None and org.dissolved_on <= day:
        day = org.dissolved_on - timedelta(days=1)
    if day < org.established_on:
        raise ChiboError(
            _("%(org)s được thành lập ngày %(day)s: chưa có số liệu vào ngày đã chọn.")
            % {"org": org.name, "day": org.established_on.strftime("%d/%m/%Y")},
            field="as_of",
        )
    if org.dissolved_on is not None and day >= org.dissolved_on:
        raise ChiboError(
            _("%(org)s đã giải thể hoặc sáp nhập từ ngày %(day)s: hãy chọn một ngày trước đó.")
            % {"org": org.name, "day": org.dissolved_on.strftime("%d/%m/%Y")},
            field="as_of",
        )
    end_month = _parse_month(last, "last") if last else month_start(min(day, today()))
    start_month = _parse_month(first, "first") if first else _months_before(end_month, 11)
    if start_month > end_month:
        raise ChiboError(_("Tháng bắt đầu phải trước hoặc trùng tháng kết thúc."), field="first")
    limit = ruleset_for(org, day).dashboard_max_months
    if len(Period(start_month, end_month, day).months) > limit:
        raise ChiboError(
            _("Kỳ xem dài nhất là %(n)s tháng (bộ quy định); hãy rút ngắn kỳ.") % {"n": limit}, field="first"
        )
    return Period(start_month, end_month, day)


def _months_before(month: date, n: int) -> date:
    for _i in range(n):
        month = month_start(month - timedelta(days=1))
    return month


# The cells under a node on a day, each with the child of the node it lies under, and their months'
# sums per child and month; then, per child, its cells and those someone attended from above in the period
# (a month of the summary with a supervised meeting): the coverage, on rows whose month is NULL. One
# statement, the tree walked once however deep it is (SQLite and PostgreSQL).
ROLLUP_SQL = """
WITH RECURSIVE tree(org_id, top_id, kind) AS (
    SELECT v.org_id, v.org_id, v.kind FROM organizations_orgversion v
     WHERE v.parent_id = %s AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
    UNION ALL
    SELECT v.org_id, t.top_id, v.kind FROM organizations_orgversion v JOIN tree t ON v.parent_id = t.org_id
     WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
)
SELECT t.top_id, s.month, {sums}, 0, 0
  FROM tree t JOIN dashboards_cellmonth s ON s.org_id = t.org_id
 WHERE s.month >= %s AND s.month < %s
 GROUP BY t.top_id, s.month
UNION ALL
SELECT t.top_id, NULL, {zeros}, COUNT(*),
       SUM(CASE WHEN EXISTS (SELECT 1 FROM dashboards_cellmonth c WHERE c.org_id = t.org_id
                               AND c.month >= %s AND c.month < %s AND c.supervised > 0) THEN 1 ELSE 0 END)
  FROM tree t
 WHERE t.kind IN (%s, %s)
 GROUP BY t.top_id
""".format(  # noqa: S608 - columns are constants
    sums=", ".join(f"SUM(s.{name})" for name in SUMMED), zeros=", ".join("0" for _name in SUMMED)
)


def rollup(root_id: int, day: date, first: date, end: date) -> list[tuple]:
    """Rows (child, month, *sums, 0, 0) and, per child, (child, None, *zeros, cells, cells visited)."""
    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_SQL, [root_id, day, day, day, day, first, end, first, end, *Organization.CELL_KINDS])
        return cursor.fetchall()


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _review_month(months: list[tuple[date, Figures]]) -> date | None:
    """The December whose classification a dashboard shows: the latest in the period with members reviewed."""
    found = [m for m, f in months if m.month == 12 and f.reviewed]
    return max(found, default=None)


def dashboard(org: Organization, period: Period) -> Dashboard:
    """Figures of `org` over `period`: by child (the tree on `period.as_of`) and by month; for a cell,
    its months and its meetings. Meetings, attendance, speakers, tasks, quality levels, attendance from
    above and directives are summed over the period; the classification is that of the latest year
    reviewed in the period (a December); coverage counts the cells visited from above in the period."""
    version = version_on(org, period.as_of)
    assert version is not None  # period_for() checked the node existed that day
    monthly = {m: Figures() for m in period.months}
    children: list[ChildRow] = []
    meetings: list[Meeting] = []
    if version.kind in Organization.CELL_KINDS:
        for row in CellMonth.objects.filter(org=org, month__gte=period.first, month__lt=period.end):
            monthly[row.month].add(Figures(**{name: getattr(row, name) for name in SUMMED}))
        meetings = list(
            Meeting.objects.filter(org=org, scheduled_date__gte=period.first, scheduled_date__lt=period.end)
            .select_related("ruleset")
            .order_by("scheduled_date", "scheduled_time")
        )
        review_month = _review_month(sorted(monthly.items()))
        totals = Figures(cells=1, cells_visited=int(any(f.supervised for f in monthly.values())))
    else:
        children = [
            ChildRow(v.org_id, v.name, v.kind, v.kind in Organization.CELL_KINDS)
            for v in children_on(org, period.as_of)
        ]
        by_child = {c.org_id: c for c in children}
        rows = []
        totals = Figures()
        for top_id, month, *sums in rollup(org.pk, period.as_of, period.first, period.end):
            *counts, cells, visited = (int(v or 0) for v in sums)
            if month is None:  # the child's coverage
                if top_id in by_child:
                    by_child[top_id].figures.cells, by_child[top_id].figures.cells_visited = cells, visited
                totals.cells += cells
                totals.cells_visited += visited
            else:
                rows.append((top_id, _as_date(month), Figures(*counts)))
        for _top, month, figures in rows:
            monthly[month].add(figures)
        review_month = _review_month(sorted(monthly.items()))
        for top_id, month, figures in rows:
            if top_id in by_child:
                by_child[top_id].figures.add(figures, reviews=month == review_month)
    for month, figures in monthly.items():
        totals.add(figures, reviews=month == review_month)
    refreshed = SummaryRefresh.objects.order_by("-finished_at").values_list("finished_at", flat=True).first()
    return Dashboard(
        org=org,
        version=version,
        period=period,
        children=children,
        monthly=sorted(monthly.items()),
        totals=totals,
        meetings=meetings,
        refreshed_at=refreshed,
        review_year=review_month.year if review_month else None,
    )
