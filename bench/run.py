"""`make bench`: the member list and search against a minimal view, on PostgreSQL at scale.

    .venv/bin/python bench/run.py [--members 500000] [--requests 60] [--keep-server]

1. Creates the database of BENCH_DATABASE_URL if missing (default postgres://postgres@127.0.0.1:5432/chibo_bench),
   migrates it and seeds `--members` synthetic members with `manage.py seed_scale` (an existing seed of
   the same size is reused; a seed of another size is dropped with its database).
2. Creates three bench users (a ward officer, a province officer, a superuser) and a session for each.
3. Starts the app (`manage.py runserver --noreload`, DEBUG off, on 127.0.0.1 and a free port) and times
   each case N times in turn after a warm-up: the median, the 95th percentile, and the ratio of the
   median to that of /healthz (a view that touches no table) on the same server in the same run.
4. Prints a table and writes bench/results/<time>.json (gitignored).
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
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from dashboard_ab import measure_dashboard
from dashboard_ab import report as dash_report

ROOT = Path(__file__).absolute().parent.parent
RESULTS = Path(__file__).absolute().parent / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chibo_bench"
PYTHON = sys.executable
HISTORY_MONTHS = 12  # the first province's year of monthly meetings, for the dashboards' case

# Who asks, what, and what the page must contain (so a 200 with an error message does not count).
CASES = [
    ("healthz", None, "/healthz", "ok"),
    ("danh sách, phường, trang 1", "ward", "/members/", "</table>"),
    ("danh sách, phường, trang 10", "ward", "/members/?page=10", "</table>"),
    ("tìm có dấu, phường", "ward", "/members/?q=" + quote("Nguyễn Thị"), "</table>"),
    ("tìm không dấu, phường", "ward", "/members/?q=nguyen+thi", "</table>"),
    ("danh sách, tỉnh, trang 1", "province", "/members/", "</table>"),
    ("danh sách, tỉnh, trang 100", "province", "/members/?page=100", "</table>"),
    ("tìm có dấu, tỉnh", "province", "/members/?q=" + quote("Trương Thị"), "</table>"),
    ("tìm không dấu, tỉnh", "province", "/members/?q=truong+thi", "</table>"),
    ("danh sách, toàn quốc, trang 1", "admin", "/members/", "</table>"),
    ("tìm không dấu, toàn quốc", "admin", "/members/?q=huynh+ngoc+nhi", "</table>"),
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


def make_sessions(url: str) -> dict[str, str]:
    """Bench users with their roles, and a signed-in session cookie for each."""
    os.environ.update(server_env(url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "chibo.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from chibo.accounts.models import Role, RoleGrant, User
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
    return cookies


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
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, body, elapsed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Result:
    case: str
    user: str | None
    path: str
    median_ms: float
    p95_ms: float
    ratio: float = 0.0  # median / median of /healthz


def measure(port: int, cookies: dict[str, str], requests: int) -> list[Result]:
    rows = []
    for label, who, path, expect in CASES:
        cookie = cookies[who] if who else None
        for _ in range(3):  # warm-up: connection, caches, the planner's first look
            get(port, path, cookie)
        times = []
        for _ in range(requests):
            status, body, ms = get(port, path, cookie)
            if status != 200 or expect not in body:
                raise SystemExit(f"{label}: {path} answered {status}; expected a page containing {expect!r}.")
            times.append(ms)
        rows.append(Result(label, who, path, statistics.median(times), p95(times)))
    for row in rows:
        row.ratio = row.median_ms / rows[0].median_ms
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per case")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)

    seed_seconds = prepare(url, args.members)
    cookies = make_sessions(url)
    port = free_port()
    server = start_server(url, port)
    try:
        rows = measure(port, cookies, args.requests)
        dash_timings = measure_dashboard(port, cookies["province"], args.requests, get)
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"\n{args.members:,} members, {args.requests} requests per case (ms)")
    print(f"{'case':<32} {'median':>8} {'p95':>8} {'× healthz':>10}")
    for row in rows:
        print(f"{row.case:<32} {row.median_ms:>8.1f} {row.p95_ms:>8.1f} {row.ratio:>10.1f}")
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
                "results": [asdict(r) for r in rows],
                "dashboard": [{"case": t.label, "median_ms": t.median, "p95_ms": t.p95} for t in dash_timings],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"Written {out.relative_to(ROOT)}.")
    # The household assignment planner (C13): no server, no database; bench/households.py.
    subprocess.run([PYTHON, str(Path(__file__).absolute().parent / "households.py")], check=True)  # noqa: S603
    # The supervision rota and coverage (C11): a synthetic province on its own SQLite file; bench/supervision.py.
    subprocess.run([PYTHON, str(Path(__file__).absolute().parent / "supervision.py")], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
