"""The province dashboard against a hand-written SQL query over the same summary data, interleaved.

Called by bench/run.py once the server runs (Django is set up in this process by make_sessions). Each
round times, one after another: the page over HTTP (as the province officer), the dashboard's selector
in this process (chibo.dashboards.selectors.dashboard: the tree of the day, the children, the roll-up,
the refresh time), and a hand-written query that sums the same CellMonth rows per ward and month on
today's tree (by materialized path). Interleaving puts the machine's load on all three alike.

Goals (issue 11): the page's p95 ≤ 200 ms warm; the dashboard ≤ 1.5× the hand-written query.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

PAGE_P95_GOAL_MS = 200.0
RATIO_GOAL = 1.5

# The same columns the dashboard sums (chibo.dashboards.selectors.SUMMED), per ward and month, on today's tree.
HAND_SQL = """
SELECT w.id, s.month, {sums}
  FROM dashboards_cellmonth s
  JOIN organizations_organization c ON c.id = s.org_id
  JOIN organizations_organization w ON w.path = substr(c.path, 1, %s)
 WHERE c.path LIKE %s AND s.month >= %s AND s.month <= %s
 GROUP BY w.id, s.month
"""
HELD, PRESENT = 3, 8  # columns of `held` and `present` in a row of HAND_SQL


def _hand_sql() -> str:
    from chibo.dashboards.selectors import SUMMED

    assert (SUMMED[HELD - 2], SUMMED[PRESENT - 2]) == ("held", "present")
    return HAND_SQL.format(sums=", ".join(f"SUM(s.{name})" for name in SUMMED))


@dataclass
class Timing:
    label: str
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times, n=20, method="inclusive")[18]


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def measure_dashboard(port: int, cookie: str, requests: int, get: Callable) -> list[Timing]:  # type: ignore[type-arg]
    from django.db import connection

    from chibo.core.dates import today
    from chibo.dashboards.selectors import dashboard, period_for
    from chibo.demo.scale_history import history_months
    from chibo.organizations.models import Organization

    province = Organization.objects.get(code="SEED.01")
    months = history_months(today(), 12)
    first, last = months[0], months[-1]
    path = f"/dashboards/{province.pk}/?first={first:%Y-%m}&last={last:%Y-%m}"
    ward_len = len(province.path) + province.steplen
    hand_sql = _hand_sql()

    def page() -> object:
        status, body, _ms = get(port, path, cookie)
        if status != 200 or "</table>" not in body:
            raise SystemExit(f"dashboard: {path} answered {status}")
        return body

    def selector() -> object:
        org = Organization.objects.get(pk=province.pk)
        return dashboard(org, period_for(org, first=f"{first:%Y-%m}", last=f"{last:%Y-%m}"))

    def hand() -> object:
        with connection.cursor() as cursor:
            cursor.execute(hand_sql, [ward_len, province.path + "%", first, last])
            return cursor.fetchall()

    # Same figures both ways, or the comparison means nothing.
    dash = selector()
    rows = hand()
    assert sum(r[HELD] for r in rows) == dash.totals.held and sum(r[PRESENT] for r in rows) == dash.totals.present, (
        "the selector and the hand-written query disagree"
    )
    for _ in range(3):
        page(), selector(), hand()
    timings = {"page": Timing("tableau tỉnh (HTTP)", []), "selector": Timing("selector", []), "sql": Timing("SQL", [])}
    for _ in range(requests):
        for key, fn in (("page", page), ("selector", selector), ("sql", hand)):
            ms, _result = _timed(fn)
            timings[key].times.append(ms)
    return list(timings.values())


def report(timings: list[Timing], held: int | None = None) -> list[str]:
    page, selector, sql = timings
    lines = [f"{t.label:<32} {t.median:>8.1f} {t.p95:>8.1f}" for t in timings]
    lines.append(
        f"page p95 {page.p95:.1f} ms (goal ≤ {PAGE_P95_GOAL_MS:.0f}): "
        + ("PASS" if page.p95 <= PAGE_P95_GOAL_MS else "FAIL")
    )
    ratio = selector.median / sql.median
    lines.append(
        f"dashboard selector / hand-written SQL, medians: {ratio:.2f}× (goal ≤ {RATIO_GOAL}): "
        + ("PASS" if ratio <= RATIO_GOAL else "FAIL")
    )
    lines.append(f"page (HTTP, whole request) / hand-written SQL, medians: {page.median / sql.median:.2f}×")
    return lines
