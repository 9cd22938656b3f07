"""`make bench`: the pages of issue 13 against two floors, on PostgreSQL at scale.

    .venv/bin/python bench/run.py [--members 500000] [--requests 60]

1. Creates the database of BENCH_DATABASE_URL if missing (default postgres://postgres@127.0.0.1:5432/chibo_bench),
   migrates it and seeds `--members` synthetic members with `manage.py seed_scale` (an existing seed of
   the same size is reused; a seed of another size is dropped with its database).
2. Creates three bench users (a ward officer, a province officer, a superuser) and a session for each.
3. Starts the app (`manage.py runserver --noreload`, DEBUG off, CHIBO_BENCH_FLOOR on, on 127.0.0.1 and a
   free port) and times each case N times after a warm-up, INTERLEAVED request by request with its two
   floors: /healthz (a view that touches no table) and the case's second floor, /_bench/floor/<case>
   (chibo.operations.bench_floor: the same authentication, then one hand-written SQL query returning the rows
   the page shows). The order of the three rotates each round so that the machine's load falls on all.
4. Prints, per case, median, p95, the queries the request ran (X-Bench-Queries), the ratio of the
   median to each floor's, the goal (≤ 2× the second floor) and a verdict; writes
   bench/results/<time>.json (gitignored).
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from dashboard_ab import measure_dashboard
from dashboard_ab import report as dash_report

ROOT = Path(__file__).absolute().parent.parent
RESULTS = Path(__file__).absolute().parent / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chibo_bench"
PYTHON = sys.executable
HISTORY_MONTHS = 12  # the first province's year of monthly meetings, for the dashboards' case

GOAL_RATIO = 2.0  # every page within 2× its second floor (issue 13, point 6)


@dataclass
class Case:
    label: str
    who: str  # ward | province | admin; an "api:" prefix sends the user's bearer token instead of the cookie
    path: str
    expect: str  # what the answer must contain (so that a fast error page cannot pass)
    floor: str | None  # the second floor's case in chibo.operations.bench_floor.SQL
    floor_params: dict[str, object] = field(default_factory=dict)


def cases(ids: dict[str, Any]) -> list[Case]:
    """The pages of issue 13 (point 5) and the API calls behind them, for the bench's objects (`ids`)."""
    ward, prov = ids["ward_path"], ids["province_path"]
    month = ids["month"]
    page = "</html>"
    return [
        Case("danh sách ĐV, phường, trang 1", "ward", "/members/", "</table>", "member_list", {"path": ward}),
        Case(
            "danh sách ĐV, phường, trang 10",
            "ward",
            "/members/?page=10",
            "</table>",
            "member_list",
            {"path": ward, "offset": 450},
        ),
        Case(
            "tìm có dấu, phường",
            "ward",
            "/members/?q=" + quote("Nguyễn Thị"),
            "</table>",
            "member_search",
            {"path": ward, "q": "nguyen thi"},
        ),
        Case(
            "tìm không dấu, phường",
            "ward",
            "/members/?q=nguyen+thi",
            "</table>",
            "member_search",
            {"path": ward, "q": "nguyen thi"},
        ),
        Case("danh sách ĐV, tỉnh, trang 1", "province", "/members/", "</table>", "member_list", {"path": prov}),
        Case(
            "danh sách ĐV, tỉnh, trang 100",
            "province",
            "/members/?page=100",
            "</table>",
            "member_list",
            {"path": prov, "offset": 4950},
        ),
        Case(
            "tìm không dấu, tỉnh",
            "province",
            "/members/?q=truong+thi",
            "</table>",
            "member_search",
            {"path": prov, "q": "truong thi"},
        ),
        Case("danh sách ĐV, toàn quốc, trang 1", "admin", "/members/", "</table>", "member_list", {"path": ""}),
        Case(
            "hồ sơ đảng viên, phường",
            "ward",
            f"/members/{ids['member']}/",
            page,
            "member_record",
            {"member": ids["member"]},
        ),
        Case("danh sách buổi họp, phường", "ward", "/meetings/", page, "meeting_list", {"path": ward}),
        Case("danh sách buổi họp, tỉnh", "province", "/meetings/", page, "meeting_list", {"path": prov}),
        Case(
            "chi tiết buổi họp, phường",
            "ward",
            f"/meetings/{ids['meeting']}/",
            page,
            "meeting_detail",
            {"meeting": ids["meeting"]},
        ),
        Case(
            "trang họp trực tiếp, phường",
            "ward",
            f"/meetings/{ids['live']}/live/",
            page,
            "live",
            {"meeting": ids["live"]},
        ),
        Case(
            "bảng theo dõi (poll đầy đủ), tỉnh",
            "province",
            f"/meetings/{ids['live']}/live/panel/",
            "<",
            "live_panel",
            {"meeting": ids["live"]},
        ),
        Case(
            "lịch tháng, phường",
            "ward",
            f"/calendar/?org={ids['ward']}&month={month:%Y-%m}",
            page,
            "calendar",
            {"path": ward, "month": month.isoformat()},
        ),
        Case(
            "lịch tháng, tỉnh",
            "province",
            f"/calendar/?org={ids['province']}&month={month:%Y-%m}",
            page,
            "calendar",
            {"path": prov, "month": month.isoformat()},
        ),
        Case(
            "biên bản, phường", "ward", f"/documents/{ids['minutes']}/", page, "minutes", {"document": ids["minutes"]}
        ),
        Case(
            "nhiệm vụ của buổi họp, phường",
            "ward",
            f"/tasks/meetings/{ids['meeting']}/",
            page,
            "tasks",
            {"meeting": ids["meeting"]},
        ),
        Case(
            "API: đảng viên, phường",
            "api:ward",
            f"/api/v1/members?org={ids['ward']}",
            "[",
            "member_list",
            {"path": ward},
        ),
        Case(
            "API: đảng viên, tỉnh",
            "api:province",
            f"/api/v1/members?org={ids['province']}",
            "[",
            "member_list",
            {"path": prov},
        ),
        Case(
            "API: buổi họp trong tháng, tỉnh",
            "api:province",
            f"/api/v1/meetings?org={ids['province']}&date_from={month}&date_to={month.replace(day=28)}",
            "[",
            "calendar",
            {"path": prov, "month": month.isoformat()},
        ),
        Case(
            "API: chi tiết buổi họp, phường",
            "api:ward",
            f"/api/v1/meetings/{ids['meeting']}",
            "{",
            "meeting_detail",
            {"meeting": ids["meeting"]},
        ),
        Case(
            "API: điểm danh, phường",
            "api:ward",
            f"/api/v1/meetings/{ids['live']}/attendance",
            "[",
            "live",
            {"meeting": ids["live"]},
        ),
    ]


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Officers would be sent to the second-factor page; the bench measures the list, not the sign-in.
        "CHIBO_REQUIRE_OFFICER_2FA": "0",
        "LOG_LEVEL": "WARNING",
        # The second floors (/_bench/floor/…) and the X-Bench-Queries header (chibo.operations.bench_floor).
        "CHIBO_BENCH_FLOOR": "1",
        # Plain HTTP on 127.0.0.1, as `make demo`: no redirect to HTTPS, cookies without Secure.
        "SECURE_SSL_REDIRECT": "0",
        "CHIBO_SECURE_COOKIES": "0",
        # The bench measures pages one at a time: the overload guard must not turn a slow one into a 503.
        "CHIBO_MAX_IN_FLIGHT": "1000",
        "CHIBO_MAX_QUEUE_MS": "600000",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603 - our own command


def ensure_database(url: str, recreate: bool = False) -> None:
    """Create the bench database if missing (or drop and create it), through the server's `postgres` db."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def seeded_members(url: str) -> int | None:
    """Members of an existing synthetic seed, or None when the database holds no seed."""
    import psycopg

    with psycopg.connect(url) as conn:
        has_tables = conn.execute("SELECT to_regclass('members_member') IS NOT NULL").fetchone()
        if not has_tables or not has_tables[0]:
            return None
        seed = conn.execute("SELECT 1 FROM organizations_organization WHERE code LIKE 'SEED.%' LIMIT 1").fetchone()
        if not seed:
            return None
        row = conn.execute("SELECT count(*) FROM members_member").fetchone()
        return int(row[0]) if row else 0


def prepare(url: str, members: int) -> float | None:
    """Database migrated and seeded with `members`; returns the seed's duration when it seeded."""
    env = server_env(url)
    ensure_database(url)
    found = seeded_members(url)
    if found is not None and found != members:
        print(f"The bench database holds a seed of {found:,} members; recreating it for {members:,}.")
        ensure_database(url, recreate=True)
        found = None
    manage(env, "migrate", "--no-input", "-v", "0")
    if found == members:
        print(f"Reusing the existing seed of {members:,} members.")
        # A seed made before the dashboards' case gets its year of meetings (nothing if it has one).
        manage(env, "seed_scale", "--history-only", "--history-months", str(HISTORY_MONTHS))
        return None
    started = time.monotonic()
    manage(env, "seed_scale", "--members", str(members), "--history-months", str(HISTORY_MONTHS))
    return time.monotonic() - started


def make_sessions(url: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Bench users with their roles, a signed-in session cookie and an API token for each, and the objects
    the cases read (`bench_objects`)."""
    os.environ.update(server_env(url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "chibo.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from chibo.accounts.models import Role, RoleGrant, User
    from chibo.accounts.tokens import token_issue
    from chibo.organizations.models import Organization

    ward = Organization.objects.get(code="SEED.01.001")
    province = Organization.objects.get(code="SEED.01")
    people = {"ward": (Role.OFFICER, ward), "province": (Role.OFFICER, province), "admin": None}
    cookies = {}
    for key, grant in people.items():
        user, _ = User.objects.get_or_create(username=f"bench.{key}", defaults={"is_superuser": grant is None})
        if grant is not None:
            RoleGrant.objects.get_or_create(user=user, org=grant[1], role=grant[0], valid_to=None)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[key] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        cookies[f"api:{key}"] = "Bearer " + token_issue(user=user, label="bench")[1]
    return cookies, bench_objects(ward, province, User.objects.get(username="bench.ward"))


def bench_objects(ward: Any, province: Any, officer: Any) -> dict[str, Any]:
    """What the cases read, in the ward's first cell (made once, reused with the seed): a member, the
    latest closed meeting of the seeded year with its minutes and five tasks, and the meeting before it
    re-opened as a meeting in progress (its attendance marked) for the live page."""
    from datetime import timedelta

    from chibo.documents import services as documents
    from chibo.documents.models import MeetingDocument as Document
    from chibo.meetings.models import Meeting
    from chibo.members.models import Member
    from chibo.tasks.models import Task

    meetings = Meeting.objects.filter(org__path__startswith=ward.path, attendances__isnull=False).distinct()
    cell_id = meetings.order_by("org__path").values_list("org_id", flat=True).first()
    if cell_id is None:
        raise SystemExit("The seed has no meeting history in the bench ward (seed_scale --history-months).")
    in_cell = Meeting.objects.filter(org_id=cell_id).order_by("-scheduled_date")
    live = in_cell.filter(status=Meeting.Status.OPEN).first()
    closed = list(in_cell.filter(status=Meeting.Status.CLOSED)[:2])
    if live is None:
        live = closed.pop()
        Meeting.objects.filter(pk=live.pk).update(status=Meeting.Status.OPEN, ended_at=None)
    meeting = closed[0]
    minutes = Document.objects.filter(meeting=meeting, kind=Document.Kind.MINUTES).first()
    if minutes is None:
        minutes = documents.document_compose(actor=officer, meeting=meeting, kind=Document.Kind.MINUTES)
    if not Task.objects.filter(meeting=meeting).exists():
        Task.objects.bulk_create(
            Task(
                org_id=cell_id,
                meeting=meeting,
                description=f"Nhiệm vụ {i} của chi bộ",
                due_on=meeting.scheduled_date + timedelta(days=30),
            )
            for i in range(1, 6)
        )
    member = Member.objects.filter(org__path__startswith=ward.path, left_on__isnull=True).order_by("pk").first()
    assert member is not None
    return {
        "ward": ward.pk,
        "province": province.pk,
        "ward_path": ward.path,
        "province_path": province.path,
        "member": member.pk,
        "meeting": meeting.pk,
        "live": live.pk,
        "minutes": minutes.pk,
        "month": meeting.scheduled_date.replace(day=1),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = server_env(url)
    # DEBUG off serves hashed static file names from the manifest: build it once.
    manage(env, "collectstatic", "--no-input", "-v", "0")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):  # up to two minutes: on a busy shared machine the first start is slow
        try:
            status, _body, _ms = get(port, "/healthz", None)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("The app server did not start.")


def get(port: int, path: str, cookie: str | None) -> tuple[int, str, float]:
    status, body, elapsed, _queries = get_counted(port, path, cookie)
    return status, body, elapsed


def get_counted(port: int, path: str, credential: str | None) -> tuple[int, str, float, int]:
    """(status, body, ms, queries the server ran): `credential` is a Cookie, or "Bearer …" for the API."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {}
    if credential:
        headers = {"Authorization": credential} if credential.startswith("Bearer ") else {"Cookie": credential}
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    elapsed = (time.perf_counter() - started) * 1000
    queries = int(response.getheader("X-Bench-Queries") or -1)
    conn.close()
    return response.status, body, elapsed, queries


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Result:
    case: str
    user: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int
    healthz_ms: float  # median of the interleaved /healthz
    floor_ms: float  # median of the interleaved second floor
    floor_queries: int

    @property
    def ratio_healthz(self) -> float:
        return self.median_ms / self.healthz_ms

    @property
    def ratio_floor(self) -> float:
        return self.median_ms / self.floor_ms

    @property
    def verdict(self) -> str:
        return "ok" if self.ratio_floor <= GOAL_RATIO else "FAIL"


def measure(port: int, credentials: dict[str, str], ids: dict[str, Any], requests: int) -> list[Result]:
    rows = []
    for case in cases(ids):
        credential = credentials[case.who]
        floor_path = f"/_bench/floor/{case.floor}?" + urlencode(case.floor_params)
        steps = {
            "case": (case.path, credential, case.expect),
            "healthz": ("/healthz", None, "ok"),
            "floor": (floor_path, credential, "rows"),
        }
        times: dict[str, list[float]] = {k: [] for k in steps}
        queries: dict[str, list[int]] = {k: [] for k in steps}
        order = list(steps)
        for round_ in range(requests + 3):  # 3 warm-up rounds: connection, caches, the planner's first look
            order = order[1:] + order[:1]  # rotate: each of the three goes first in turn
            for key in order:
                path, cred, expect = steps[key]
                status, body, ms, count = get_counted(port, path, cred)
                if status != 200 or expect not in body:
                    raise SystemExit(f"{case.label}: {path} answered {status}; expected {expect!r} in the answer.")
                if round_ >= 3:
                    times[key].append(ms)
                    queries[key].append(count)
        rows.append(
            Result(
                case.label,
                case.who,
                case.path,
                statistics.median(times["case"]),
                p95(times["case"]),
                max(queries["case"]),
                statistics.median(times["healthz"]),
                statistics.median(times["floor"]),
                max(queries["floor"]),
            )
        )
        print(f"  {case.label}: {rows[-1].median_ms:.1f} ms, {rows[-1].queries} queries", flush=True)
    return rows


def report(rows: list[Result]) -> list[str]:
    lines = [
        f"{'case':<36} {'median':>7} {'p95':>7} {'queries':>7} {'healthz':>7} {'floor 2':>7} "
        f"{'×healthz':>8} {'×floor 2':>8}  goal      verdict",
    ]
    for r in rows:
        lines.append(
            f"{r.case:<36} {r.median_ms:>7.1f} {r.p95_ms:>7.1f} {r.queries:>7} {r.healthz_ms:>7.1f} "
            f"{r.floor_ms:>7.1f} {r.ratio_healthz:>8.1f} {r.ratio_floor:>8.1f}  ≤ {GOAL_RATIO:.0f}× floor 2  "
            f"{r.verdict}"
        )
    failed = [r for r in rows if r.verdict != "ok"]
    lines.append(
        f"{len(rows) - len(failed)} of {len(rows)} cases within {GOAL_RATIO:.0f}× their second floor"
        + (
            f"; worst {max(failed, key=lambda r: r.ratio_floor).case} at {max(r.ratio_floor for r in failed):.1f}×"
            if failed
            else ""
        )
        + f" (load average {os.getloadavg()[0]:.1f})."
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per case")
    parser.add_argument(
        "--import-rows", type=int, nargs="+", default=[100_000, 300_000], help="member import sizes (bench/imports.py)"
    )
    parser.add_argument("--hostile-size-mb", type=int, default=400, help="hostile parts (bench/hostile_imports.py)")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    # The environment as given: make_sessions() points this process's DATABASE_URL at the bench database,
    # which the benches run below must not inherit (supervision.py uses its own SQLite file by default).
    given_env = dict(os.environ)

    seed_seconds = prepare(url, args.members)
    cookies, ids = make_sessions(url)
    port = free_port()
    server = start_server(url, port)
    try:
        rows = measure(port, cookies, ids, args.requests)
        dash_timings = measure_dashboard(port, cookies["province"], args.requests, get)
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"\n{args.members:,} members, {args.requests} requests per case, each interleaved with its floors (ms)")
    for line in report(rows):
        print(line)
    print(f"\nProvince dashboard, {args.requests} rounds interleaved (ms)\n{'case':<32} {'median':>8} {'p95':>8}")
    for line in dash_report(dash_timings):
        print(line)
    if seed_seconds is not None:
        print(f"Seeding took {seed_seconds:.0f} s.")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.members}.json"
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True).stdout  # noqa: S603, S607
    out.write_text(
        json.dumps(
            {
                "members": args.members,
                "requests": args.requests,
                "seed_seconds": seed_seconds,
                "commit": commit.strip(),
                "database": urlsplit(url)._replace(netloc=urlsplit(url).hostname or "").geturl(),
                "loadavg": os.getloadavg(),
                "results": [asdict(r) | {"ratio_floor": r.ratio_floor, "verdict": r.verdict} for r in rows],
                "dashboard": [{"case": t.label, "median_ms": t.median, "p95_ms": t.p95} for t in dash_timings],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"Written {out.relative_to(ROOT)}.")
    # The household assignment planner (C13): no server, no database; bench/households.py.
    here = Path(__file__).absolute().parent
    subprocess.run([PYTHON, str(here / "households.py")], check=True, env=given_env)  # noqa: S603
    # The supervision rota and coverage (C11): a synthetic province on its own SQLite file; bench/supervision.py.
    subprocess.run([PYTHON, str(here / "supervision.py")], check=True, env=given_env)  # noqa: S603
    # The year-end review (C15): one province of as many members, on its own database; bench/reviews.py.
    reviews = [PYTHON, str(here / "reviews.py"), "--members", str(args.members)]
    subprocess.run(reviews, check=True, env=given_env)  # noqa: S603
    # The member import at scale (issue 13, point 7) and the hostile-workbook corpus (issue 14, point 1).
    rows = [str(n) for n in args.import_rows]
    subprocess.run([PYTHON, str(here / "imports.py"), "--rows", *rows], check=True, env=given_env)  # noqa: S603
    hostile = [PYTHON, str(here / "hostile_imports.py"), "--size-mb", str(args.hostile_size_mb)]
    subprocess.run(hostile, check=True, env=given_env)  # noqa: S603


if __name__ == "__main__":
    main()
