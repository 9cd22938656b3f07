"""The live hour (issue 13): N meetings open at once, each with a secretary acting every 6 s (attendance taps,
speakers, the vote) and two members' phones polling the panel every 15 s, against gunicorn on 127.0.0.1 as
deploy/gunicorn.conf.py configures it; Locust offers the load, bounded in time.

    .venv/bin/python bench/live_hour.py --meetings 1000 --run-time 180      # the issue's size (300 req/s)
    make bench-live BENCH_LIVE_ARGS="--meetings 100 --run-time 60"          # a smaller one

Figures are the server's, since Locust shares the machine's cores: p50/p95 from gunicorn's access log
(%(M)s, the time gunicorn spent on the request, in ms; time waiting for a worker thread is not in it),
application CPU per request by kind from the app's CPU log (chibo.core.overload.RequestCpuLogMiddleware:
the thread's CPU time from the outermost middleware in), throughput and errors (answers ≥ 500 and requests
Locust never got an answer to). Each figure is printed beside its goal with a verdict, with the load average.

The database (LIVE_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/chibo_live_bench_<N>) is
created if missing and seeded with `seed_scale` (25 members a cell) plus one open meeting per cell for
the first N cells, a secretary (cell committee) and two members with accounts and sessions each. A seed
with the same N is reused.
"""

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/chibo_live_bench"
GOALS = {"rps": 300.0, "p95_ms": 150.0, "poll_cpu_ms": 2.0, "write_cpu_ms": 10.0}
POLL_KINDS = ("meetings:live_panel", "/meetings/N/live/panel/")
WRITE_KINDS = ("meetings:attendance", "meetings:speaker_add", "meetings:vote")


def _env(db_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="chibo.settings",
        DATABASE_URL=db_url,
        DEBUG="0",
        SECRET_KEY=env.get("LIVE_BENCH_SECRET_KEY", "live-bench-" + "k" * 40),
        SECURE_SSL_REDIRECT="0",
        CHIBO_SECURE_COOKIES="0",
        CHIBO_REQUIRE_OFFICER_2FA="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


def _ensure_database(db_url: str) -> None:
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _seed(meetings: int, fixture: Path) -> dict:
    """The tree and members (seed_scale), then N open meetings with their users and sessions."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from chibo.accounts.models import Role, RoleGrant, User
    from chibo.demo.scale import seed_exists, seed_scale
    from chibo.meetings import services
    from chibo.meetings.models import Meeting
    from chibo.members.models import Member
    from chibo.organizations.models import Organization
    from chibo.rules.selectors import ruleset_for
    from chibo.rules.services import system_versions_ensure

    call_command("migrate", verbosity=0)
    system_versions_ensure()
    if not seed_exists():
        seed_scale(members=meetings * 25 + 500)
    today = timezone.localdate()
    cells = list(Organization.objects.filter(kind=Organization.Kind.CELL).order_by("path")[: meetings * 2])
    made: list[dict] = []
    backend = "django.contrib.auth.backends.ModelBackend"

    def session(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key or ""

    for cell in cells:
        if len(made) == meetings:
            break
        members = list(Member.objects.filter(org=cell).order_by("pk")[:40])
        if len(members) < 5:
            continue
        meeting = Meeting.objects.filter(org=cell, scheduled_date=today, kind=Meeting.Kind.EXTRAORDINARY).first()
        if meeting is None:
            meeting = Meeting.objects.create(
                org=cell,
                kind=Meeting.Kind.EXTRAORDINARY,
                scheduled_date=today,
                scheduled_time=clock(19, 0),
                ruleset=ruleset_for(cell, today),
            )
            services.agenda_from_template(actor=None, meeting=meeting)
            services.meeting_open(actor=None, meeting=meeting, chair=members[0], recorder=members[1])
        users = []
        for i, (member, role) in enumerate(((members[0], Role.CELL_COMMITTEE), (members[2], Role.MEMBER),
                                            (members[3], Role.MEMBER))):  # fmt: skip
            user, created = User.objects.get_or_create(
                username=f"live{meeting.pk}-{i}", defaults={"member": member, "first_name": member.full_name}
            )
            if created:
                user.set_unusable_password()
                user.save()
                RoleGrant.objects.create(user=user, org=cell, role=role, valid_from=today.replace(year=today.year - 1))
            users.append(session(user))
        made.append(
            {"meeting": meeting.pk, "members": [m.pk for m in members], "secretary": users[0], "phones": users[1:]}
        )
    if len(made) < meetings:
        raise SystemExit(f"the seed has cells for {len(made)} open meetings, not {meetings}: drop its database")
    data = {"meetings": made}
    fixture.write_text(json.dumps(data))
    return data


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _wait_up(port: int, timeout: float = 60) -> None:
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


ACCESS = re.compile(r"^(?P<status>\d{3}) (?P<method>\S+) (?P<path>\S+) (?P<ms>\d+)$")


def _kind(method: str, path: str) -> str:
    if path.endswith("/live/panel/"):
        return "poll"
    if method == "POST":
        return "write"
    return "other"


def report(access_log: Path, cpu_log: Path, locust_csv: Path, duration: float, offered: float) -> list[tuple]:
    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, int] = defaultdict(int)
    for line in access_log.read_text().splitlines():
        m = ACCESS.match(line.strip())
        if not m:
            continue
        kind = _kind(m["method"], m["path"])
        times[kind].append(float(m["ms"]))
        times["all"].append(float(m["ms"]))
        statuses[m["status"]] += 1
    cpu: dict[str, list[float]] = defaultdict(list)
    for line in cpu_log.read_text().splitlines() if cpu_log.exists() else []:
        view, method, status, cpu_ms, _wall = line.split()
        if view in POLL_KINDS:
            cpu["poll"].append(float(cpu_ms))
            cpu[f"poll {status}"].append(float(cpu_ms))
        elif view in WRITE_KINDS:
            cpu["write"].append(float(cpu_ms))
            cpu[f"write {view.split(':')[1]}"].append(float(cpu_ms))
    failures = 0
    stats = locust_csv.with_name(locust_csv.name + "_stats.csv")
    if stats.exists():
        import csv

        for row in csv.DictReader(stats.open()):
            if row["Name"] == "Aggregated":
                failures = int(row["Failure Count"])
    answered = len(times["all"])
    errors = sum(n for s, n in statuses.items() if s >= "500") + failures
    rate = answered / duration
    rows = [
        ("offered (req/s)", f"{offered:.0f}", f"{GOALS['rps']:.0f} at 1,000 meetings", ""),
        ("answered (req/s)", f"{rate:.1f}", "= offered", _verdict(rate >= 0.95 * offered)),
        ("errors (≥ 500, or no answer)", f"{errors} of {answered + failures}", "0", _verdict(errors == 0)),
        ("503 refusals (in the errors)", str(statuses.get("503", 0)), "0 at the goal's load", ""),
        ("p50, all (ms, server)", f"{_percentile(times['all'], 50):.0f}", "", ""),
        ("p95, all (ms, server)", f"{_percentile(times['all'], 95):.0f}", f"≤ {GOALS['p95_ms']:.0f}",
         _verdict(_percentile(times["all"], 95) <= GOALS["p95_ms"])),
        ("p95, polls (ms)", f"{_percentile(times['poll'], 95):.0f}", "", ""),
        ("p95, writes (ms)", f"{_percentile(times['write'], 95):.0f}", "", ""),
    ]  # fmt: skip
    for kind in sorted(cpu):
        mean = statistics.fmean(cpu[kind])
        goal = GOALS["poll_cpu_ms"] if kind.startswith("poll") else GOALS["write_cpu_ms"]
        main = kind in ("poll", "write")
        rows.append(
            (f"CPU per {kind} (ms, mean of {len(cpu[kind])})", f"{mean:.2f}", f"≤ {goal:.0f}" if main else "",
             _verdict(mean <= goal) if main else "")
        )  # fmt: skip
    return rows


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--run-time", type=int, default=180, help="seconds of load (after a 10 s ramp)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIVE_BENCH_PORT", "8112")))
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: deploy/'s default)")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of unmeasured load first")
    args = parser.parse_args()

    # A database per size: a seed is reused only for the same N (a smaller one has too few cells for more meetings).
    db_url = os.environ.get("LIVE_BENCH_DATABASE_URL", f"{DEFAULT_DB}_{args.meetings}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    _ensure_database(db_url)
    os.environ.update(_env(db_url))
    sys.path.insert(0, str(ROOT))
    fixture = RESULTS / f"live-{args.meetings}.json"
    started = time.monotonic()
    data = _seed(args.meetings, fixture)
    print(f"{len(data['meetings'])} meetings open, 3 accounts each ({time.monotonic() - started:.0f} s to seed)")
    if not _free(args.port):
        raise SystemExit(f"port {args.port} is taken")

    stamp = time.strftime("%Y%m%d-%H%M%S")
    access, cpu, csv_prefix = (RESULTS / f"live-{stamp}-{n}" for n in ("access.log", "cpu.log", "locust"))
    gunicorn_cmd = [
        str(ROOT / ".venv/bin/gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{args.port}", "--access-logfile", str(access),
        "--access-logformat", "%(s)s %(m)s %(U)s %(M)s", "--error-logfile", str(RESULTS / f"live-{stamp}-error.log"),
        "chibo.wsgi:application",
    ]  # fmt: skip
    if args.workers:
        gunicorn_cmd[3:3] = ["--workers", str(args.workers)]
    env = _env(db_url, CHIBO_REQUEST_CPU_LOG=str(cpu))
    server = subprocess.Popen(gunicorn_cmd, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        _wait_up(args.port)
        access.write_text("")  # the warm-up probe is not a figure
        users = 3 * len(data["meetings"])
        offered = len(data["meetings"]) * (1 / 6 + 2 / 15)

        def offer(seconds: int, csv: Path) -> None:
            locust = [
                str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/live_locust.py"), "--headless",
                "-u", str(users), "-r", str(max(1, users // 10)), "--run-time", f"{seconds}s",
                "--host", f"http://127.0.0.1:{args.port}", "--csv", str(csv), "--only-summary",
                "--stop-timeout", "5", "--loglevel", "WARNING",
            ]  # fmt: skip
            subprocess.run(  # noqa: S603
                locust, cwd=ROOT, env={**os.environ, "LIVE_FIXTURE": str(fixture)}, check=False, timeout=seconds + 120
            )

        # Warm-up (not measured): every worker thread connects to the database, loads the templates and the
        # translations once; then the logs start empty for the measured run.
        offer(args.warmup, RESULTS / f"live-{stamp}-warmup")
        access.write_text("")
        cpu.write_text("")
        load_before = os.getloadavg()
        offer(args.run_time + 10, csv_prefix)
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    rows = report(access, cpu, csv_prefix, args.run_time + 10, offered)
    print(f"\nThe live hour: {len(data['meetings'])} meetings, {args.run_time + 10} s (10 s ramp), "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min)")  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'measured':>14}  {'goal':<22} verdict")
    for name, value, goal, verdict in rows:
        print(f"{name:<{width}}  {value:>14}  {goal:<22} {verdict}")
    (RESULTS / f"live-{stamp}.json").write_text(
        json.dumps({"meetings": len(data["meetings"]), "run_time": args.run_time, "rows": rows,
                    "load": [load_before, load_after]}, ensure_ascii=False, indent=1)
    )  # fmt: skip


if __name__ == "__main__":
    main()
