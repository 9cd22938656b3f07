"""Supervision's speed targets (C11): the rota of a province planned in ≤ 10 s; its coverage page in a
constant number of queries.

    .venv/bin/python bench/supervision.py [--cells 25000] [--cadres 2000] [--keep]

A province of `--cells` cells in wards of 25 (seed_scale, two members a cell), two cadres per ward assigned to
its cells for the quarter (so 2,000 cadres for 25,000 cells), a regular meeting a month per cell in the
quarter before (attendance of its members; one in two with someone from above), written in bulk (set-up, not
measured). Then, timed:
1. `rota_propose` for the province and the next quarter, end to end: reading the tree, the assignments and
   the attendance trend, the min-cost flow, writing the draft and its visits; its cost against the bound;
2. `coverage` of the province and of one ward for the quarter of the meetings: queries (the same but one per
   level of the tree: the province has one more level than a ward) and time.

The database is a fresh SQLite file (SQLITE_PATH, default bench/results/supervision.sqlite3, gitignored), or
DATABASE_URL when set (PostgreSQL: an empty database). Prints each figure beside its goal with a verdict.
"""

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=25_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database of a previous run")
    args = parser.parse_args()
    path = Path(os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "results" / "supervision.sqlite3")))
    if not os.environ.get("DATABASE_URL") and not args.keep and path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from chibo.accounts.models import User
    from chibo.demo.scale import seed_exists, seed_scale
    from chibo.meetings.models import Attendance, Guest, Meeting
    from chibo.members.models import Member
    from chibo.organizations.models import Organization
    from chibo.rules.selectors import ruleset_for
    from chibo.supervision.models import Assignment
    from chibo.supervision.selectors import coverage
    from chibo.supervision.services import rota_propose

    call_command("migrate", verbosity=0)
    quarter, before = date(2025, 4, 1), (date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1))
    started = time.perf_counter()
    if not seed_exists():
        seed_scale(members=2 * args.cells, cells_per_ward=25, members_per_cell=2, provinces=1)
        province = Organization.objects.get(depth=1, code__startswith="SEED")
        wards = list(Organization.objects.filter(depth=2, path__startswith=province.path).order_by("path"))
        cells = list(Organization.objects.filter(kind=Organization.Kind.CELL).order_by("path"))
        by_ward: dict[str, list[Organization]] = {}
        for cell in cells:
            by_ward.setdefault(cell.path[: 2 * Organization.steplen], []).append(cell)
        ruleset = ruleset_for(province, before[0])
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(username=f"bench.cadre.{i}", first_name=f"Cán bộ {i}") for i in range(2 * len(wards))]
            )
            rows = []
            for w, ward in enumerate(wards):
                for c, cell in enumerate(by_ward[ward.path]):
                    cadre = users[2 * w + c % 2]
                    rows.append(
                        Assignment(
                            committee=ward, cadre=cadre, cell=cell, title="Đảng ủy viên", valid_from=date(2025, 1, 1)
                        )
                    )
            Assignment.objects.bulk_create(rows, batch_size=5000)
            meetings = Meeting.objects.bulk_create(
                [
                    Meeting(
                        org=cell,
                        kind=Meeting.Kind.REGULAR,
                        period=month,
                        scheduled_date=month.replace(day=5),
                        scheduled_time=dtime(19, 0),
                        ruleset=ruleset,
                        status=Meeting.Status.CLOSED,
                    )
                    for cell in cells
                    for month in before
                ],
                batch_size=5000,
            )
            members: dict[int, list[int]] = {}
            for org_id, pk in Member.objects.values_list("org_id", "pk"):
                members.setdefault(org_id, []).append(pk)
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        meeting=m,
                        member_id=pk,
                        is_official=True,
                        status=Attendance.Status.PRESENT if (i + m.pk) % 3 else Attendance.Status.UNEXCUSED,
                    )
                    for m in meetings
                    for i, pk in enumerate(members.get(m.org_id, []))
                ],
                batch_size=5000,
            )
            cadre_of = {a.cell_id: a.cadre for a in rows}
            Guest.objects.bulk_create(
                [
                    Guest(meeting=m, name="Cán bộ", is_supervisor=True, user=cadre_of[m.org_id])
                    for m in meetings
                    if m.pk % 2
                ],
                batch_size=5000,
            )
        print(
            f"set-up: {len(cells):,} cells, {len(users):,} cadres, {len(meetings):,} meetings "
            f"({time.perf_counter() - started:.0f} s, not measured)"
        )
    province = Organization.objects.get(depth=1, code__startswith="SEED")
    ward = Organization.objects.filter(depth=2, path__startswith=province.path).order_by("path").first()
    assert ward is not None
    n_cells = Organization.objects.filter(kind=Organization.Kind.CELL).count()
    n_cadres = Assignment.objects.values("cadre_id").distinct().count()

    t = time.perf_counter()
    # Two cadres for 25 cells: 5 visits a month each cover a ward in a quarter (the default 4 leaves one out).
    plan = rota_propose(actor=None, committee=province, starts_on=quarter, max_per_month=5)
    rota_seconds = time.perf_counter() - t
    visits = plan.visits.count()

    with CaptureQueriesContext(connection) as ward_q:
        t = time.perf_counter()
        coverage(ward, date(2025, 1, 1), quarter, today=date(2025, 5, 15))
        ward_seconds = time.perf_counter() - t
    with CaptureQueriesContext(connection) as province_q:
        t = time.perf_counter()
        report = coverage(province, date(2025, 1, 1), quarter, today=date(2025, 5, 15))
        province_seconds = time.perf_counter() - t

    def verdict(ok: bool) -> str:
        return "OK" if ok else "MISSED"

    def row(label: str, value: str, goal: str = "", ok: bool | None = None) -> None:
        print(f"{label:<44}{value:>16}  {goal:<18}{'' if ok is None else verdict(ok)}")

    fast, exact = rota_seconds <= 10, plan.cost == plan.bound
    # One query per level of the tree (subtree_on), the rest fixed: the province has one level more.
    same = len(province_q.captured_queries) == len(ward_q.captured_queries) + 1
    when = f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC"
    print(f"\n{connection.vendor}, {n_cells:,} cells, {n_cadres:,} cadres, a quarter; {when}")
    row("figure", "value", "goal", None)
    row("rota of the province, end to end (s)", f"{rota_seconds:.2f}", "≤ 10", fast)
    row("  the flow alone (s)", f"{plan.solve_seconds:.2f}")
    row("  visits / cells", f"{visits:,} / {n_cells:,}")
    row("  cost / solver's bound", f"{plan.cost:,} / {plan.bound:,}", "gap 0 (exact)", exact)
    row("coverage queries, one ward (25 cells)", str(len(ward_q.captured_queries)))
    row("coverage queries, the province", str(len(province_q.captured_queries)), "ward's + 1 level", same)
    row("coverage time, one ward (s)", f"{ward_seconds:.3f}")
    row("coverage time, the province (s)", f"{province_seconds:.3f}", f"{len(report.cells):,} cells")
    return 0 if fast and same and exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
