"""The year-end review at a province's scale (C15): evidence and proposals for every member, as the
background job runs it, against a hand-written SQL aggregate over the same data.

    .venv/bin/python bench/reviews.py [--members 500000] [--year 2025]

1. Creates the database of BENCH_REVIEWS_DATABASE_URL if missing (default
   postgres://postgres@127.0.0.1:5432/chibo_bench_reviews), migrates it and seeds `--members` members in ONE
   province (`seed_scale --provinces 1`), reusing a seed of the same size.
2. Writes the year's record with INSERT … SELECT, once: 12 closed regular meetings per cell, one
   attendance row per member and meeting (90 % present, 6 % excused, 4 % unexcused), two speaking turns
   per member, four tasks per cell each assigned to every member and reviewed (80 % on time, 10 % late,
   10 % not done, a third of those on time commended).
3. Times the hand-written aggregate: one SQL statement giving, per member on a roll, the attendance,
   turns and task counts of the year (fetched in full).
4. Times the job: `run_create` + `run_execute` (chibo.reviews.runs) for the province, which opens every
   cell's year and writes every member's evidence, points, level and reasons. Its progress is printed.
5. Prints both, the queries per cell (constant: a batch of cells costs a dozen queries), the ratio, the
   load average (the machine may be shared), and the verdict against the goal (≤ 60 s for 500,000
   members; a smaller run is judged on its time scaled linearly to that size).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chibo_bench_reviews"
GOAL_SECONDS = 60.0

SEED_SQL = [
    # Twelve regular monthly meetings of the year per cell, closed.
    """
    INSERT INTO meetings_meeting (org_id, kind, period, with_thematic, thematic_topic, title, scheduled_date,
        scheduled_time, place, status, ruleset_id, started_at, ended_at, cancelled_reason, draft_resolution,
        closing_shortfalls, created_at, updated_at)
    SELECT o.id, 'regular', make_date(%(year)s, m, 1), false, '', '', make_date(%(year)s, m, 5), '19:00', '',
        'closed', %(ruleset)s, make_timestamptz(%(year)s, m, 5, 12, 0, 0), make_timestamptz(%(year)s, m, 5, 14, 0, 0),
        '', 'Nghị quyết', '[]'::jsonb, now(), now()
    FROM organizations_organization o CROSS JOIN generate_series(1, 12) m
    WHERE o.kind IN ('cell', 'grassroots_cell')
    """,
    """
    INSERT INTO meetings_attendance (meeting_id, member_id, is_official, is_exempt, status, reason)
    SELECT mt.id, ms.member_id, true, false,
        CASE WHEN r < 0.90 THEN 'present' WHEN r < 0.96 THEN 'excused' ELSE 'unexcused' END,
        CASE WHEN r >= 0.90 AND r < 0.96 THEN 'Ốm' ELSE '' END
    FROM meetings_meeting mt
    JOIN members_membership ms ON ms.org_id = mt.org_id AND ms.ended_on IS NULL AND ms.kind = 'official'
    CROSS JOIN LATERAL (SELECT random() AS r OFFSET 0) x
    WHERE mt.scheduled_date >= make_date(%(year)s, 1, 1) AND mt.scheduled_date < make_date(%(year)s + 1, 1, 1)
    """,
    """
    INSERT INTO meetings_speakingturn (meeting_id, member_id, kind, summary, position, requested_by_member, status,
        started_at, ended_at, created_at, updated_at)
    SELECT mt.id, ms.member_id, 'opinion', 'Ý kiến', row_number() OVER (PARTITION BY mt.id ORDER BY ms.member_id),
        false, 'done', mt.started_at, mt.ended_at, now(), now()
    FROM meetings_meeting mt
    JOIN members_membership ms ON ms.org_id = mt.org_id AND ms.ended_on IS NULL AND ms.kind = 'official'
    WHERE mt.period IN (make_date(%(year)s, 3, 1), make_date(%(year)s, 9, 1))
    """,
    """
    INSERT INTO tasks_task (org_id, meeting_id, description, due_on, created_at)
    SELECT mt.org_id, mt.id, 'Vận động hộ gia đình', mt.scheduled_date + 20, now()
    FROM meetings_meeting mt
    WHERE mt.period IN (make_date(%(year)s, 1, 1), make_date(%(year)s, 4, 1), make_date(%(year)s, 7, 1),
        make_date(%(year)s, 10, 1))
    """,
    """
    INSERT INTO tasks_taskassignment (task_id, member_id, status, last_note)
    SELECT t.id, ms.member_id, 'open', ''
    FROM tasks_task t
    JOIN members_membership ms ON ms.org_id = t.org_id AND ms.ended_on IS NULL AND ms.kind = 'official'
    WHERE t.due_on >= make_date(%(year)s, 1, 1) AND t.due_on < make_date(%(year)s + 1, 1, 1)
    """,
    """
    INSERT INTO tasks_taskreview (assignment_id, meeting_id, outcome, evaluation, comment, cause, support_measure,
        reminder, reviewed_at)
    SELECT a.id, t.meeting_id,
        CASE WHEN r < 0.8 THEN 'done' WHEN r < 0.9 THEN 'done_late' ELSE 'not_done' END,
        CASE WHEN r < 0.27 THEN 'commended' WHEN r < 0.9 THEN 'accepted' ELSE 'reminded' END,
        '', CASE WHEN r >= 0.9 THEN 'Bận' ELSE '' END, CASE WHEN r >= 0.9 THEN 'Nhắc' ELSE '' END, '', now()
    FROM tasks_taskassignment a JOIN tasks_task t ON t.id = a.task_id
    CROSS JOIN LATERAL (SELECT random() AS r OFFSET 0) x
    WHERE t.due_on >= make_date(%(year)s, 1, 1) AND t.due_on < make_date(%(year)s + 1, 1, 1)
    """,
]

# The same figures the job gathers, for every member on a roll, in one statement written by hand.
AGGREGATE_SQL = """
WITH roll AS (
    SELECT member_id FROM members_membership WHERE ended_on IS NULL AND kind = 'official'
), att AS (
    SELECT a.member_id, count(*) AS required,
        count(*) FILTER (WHERE a.status IN ('present', 'late')) AS present,
        count(*) FILTER (WHERE a.status = 'unexcused') AS unexcused
    FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id
    WHERE m.status = 'closed' AND NOT a.is_exempt
        AND m.scheduled_date >= make_date(%(year)s, 1, 1) AND m.scheduled_date < make_date(%(year)s + 1, 1, 1)
    GROUP BY a.member_id
), turns AS (
    SELECT s.member_id, count(*) AS turns FROM meetings_speakingturn s JOIN meetings_meeting m ON m.id = s.meeting_id
    WHERE s.status IN ('speaking', 'done')
        AND m.scheduled_date >= make_date(%(year)s, 1, 1) AND m.scheduled_date < make_date(%(year)s + 1, 1, 1)
    GROUP BY s.member_id
), tasks AS (
    SELECT a.member_id, count(*) AS tasks, count(*) FILTER (WHERE r.outcome = 'done') AS on_time,
        count(*) FILTER (WHERE r.outcome = 'done_late') AS late,
        count(*) FILTER (WHERE r.outcome IN ('unfinished', 'not_done')) AS not_done,
        count(*) FILTER (WHERE r.evaluation = 'commended') AS commended
    FROM tasks_taskassignment a JOIN tasks_task t ON t.id = a.task_id
    LEFT JOIN tasks_taskreview r ON r.assignment_id = a.id
    WHERE t.due_on >= make_date(%(year)s, 1, 1) AND t.due_on < make_date(%(year)s + 1, 1, 1)
    GROUP BY a.member_id
)
SELECT roll.member_id, att.required, att.present, att.unexcused, turns.turns, tasks.tasks, tasks.on_time,
    tasks.late, tasks.not_done, tasks.commended
FROM roll LEFT JOIN att USING (member_id) LEFT JOIN turns USING (member_id) LEFT JOIN tasks USING (member_id)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    url = os.environ.get("BENCH_REVIEWS_DATABASE_URL", DEFAULT_URL)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from run import ensure_database, manage, seeded_members, server_env

    env = server_env(url)
    ensure_database(url)
    if seeded_members(url) not in (None, args.members):
        ensure_database(url, recreate=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    if seeded_members(url) is None:
        t = time.perf_counter()
        manage(env, "seed_scale", "--members", str(args.members), "--provinces", "1")
        print(f"Seeded {args.members:,} members in {time.perf_counter() - t:.0f} s.")
    os.environ.update(env | {"DJANGO_SETTINGS_MODULE": "chibo.settings"})
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from chibo.organizations.models import Organization
    from chibo.reviews.models import CellReview, ReviewRun
    from chibo.reviews.runs import CELLS_PER_BATCH, run_create, run_execute
    from chibo.rules.models import RuleSetVersion

    year = args.year
    default = RuleSetVersion.objects.filter(org__isnull=True).order_by("-version").first()
    assert default is not None, "no system rule set: run migrations"
    params = {"year": year, "ruleset": default.pk}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM meetings_meeting WHERE period = make_date(%s, 1, 1) LIMIT 1", [year])
        if cursor.fetchone() is None:
            t = time.perf_counter()
            with transaction.atomic():
                for sql in SEED_SQL:
                    cursor.execute(sql, params)
            for table in ("meetings_meeting", "meetings_attendance", "meetings_speakingturn", "tasks_task",
                          "tasks_taskassignment", "tasks_taskreview"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
            print(f"Wrote the year's record in {time.perf_counter() - t:.0f} s.")
        for table in ("meetings_attendance", "tasks_taskassignment", "tasks_taskreview", "meetings_speakingturn"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
            print(f"  {table}: {cursor.fetchone()[0]:,} rows")
    CellReview.objects.filter(year=year).delete()
    ReviewRun.objects.filter(year=year).delete()

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(AGGREGATE_SQL, params)
        rows = cursor.fetchall()
    sql_seconds = time.perf_counter() - t
    print(f"Hand-written SQL aggregate: {len(rows):,} members in {sql_seconds:.1f} s")

    province = Organization.objects.filter(depth=1, code__startswith="SEED").order_by("path").first()
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run = run_create(actor=None, org=province, year=year)
        run = run_execute(run_id=run.pk)
    job_seconds = time.perf_counter() - t
    per_cell = len(queries) / max(1, run.cells_done)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Job: {run.members_done:,} members in {run.cells_done:,} cells in {job_seconds:.1f} s")
    print(f"Queries: {len(queries):,} in all, {per_cell:.3f} per cell (constant: {CELLS_PER_BATCH} cells a batch)")
    # The goal is for 500,000 members; a smaller run is judged on its time scaled to that size.
    scaled = job_seconds * 500_000 / max(1, run.members_done)
    verdict = "PASS" if scaled <= GOAL_SECONDS else "FAIL"
    print(
        f"| evidence + proposals, {run.members_done:,} members | {job_seconds:.1f} s "
        f"(≈ {scaled:.0f} s at 500,000) | {per_cell:.3f} queries/cell | × SQL aggregate: "
        f"{job_seconds / sql_seconds:.1f} | goal ≤ {GOAL_SECONDS:.0f} s at 500,000 | {verdict} | load {load} |"
    )


if __name__ == "__main__":
    main()
