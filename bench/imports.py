"""The member import at scale (issue 13, point 7): rows, seconds and peak memory, each size in a fresh process.

    .venv/bin/python bench/imports.py [--rows 100000 300000]

Runs on PostgreSQL: BENCH_IMPORTS_DATABASE_URL, default BENCH_DATABASE_URL's server with a database named
after it plus `_imports` (postgres://postgres@127.0.0.1:5432/chibo_bench_imports), created and migrated
if missing. For each size it writes (once, cached under bench/results/) a workbook in the template's
format: every column filled, realistic Vietnamese names, the rows spread over the 40 cells of one
synthetic ward, unique card numbers. Then a fresh process imports it as the ward's officer with
`import_members(dry_run=False)` (the job's core: read, check, insert members, rolls and history in one
transaction) and rolls the whole import back afterwards, so the next run starts from the same database.

Prints per size: rows, seconds, peak resident memory of the process (ru_maxrss, Django and openpyxl
loaded included), its growth per row, each with the goal and a verdict:
  - 100,000 rows in at most 40 s (it took 53 s);
  - 300,000 rows under 500 MB peak (100,000 took 427 MB and grew 3.3 KB a row).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).absolute().parent.parent
RESULTS = Path(__file__).absolute().parent / "results"
WARD_CODE = "BENCHIMP"
CELLS = 40
GOAL_SECONDS_AT_100K = 40.0
GOAL_PEAK_MB = 500
DEFAULT_SIZES = (100_000, 300_000)


def database_url() -> str:
    explicit = os.environ.get("BENCH_IMPORTS_DATABASE_URL")
    if explicit:
        return explicit
    base = urlsplit(os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chibo_bench"))
    return base._replace(path=base.path.rstrip("/") + "_imports").geturl()


def django_setup(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "chibo.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "chibo.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603


def cell_codes() -> list[str]:
    return [f"{WARD_CODE}.{i:02d}" for i in range(1, CELLS + 1)]


def write_workbook(path: Path, rows: int) -> None:
    """The template's columns, every one filled, `rows` members spread over the bench ward's cells, written
    as Excel writes a sheet: text in the shared-strings table, dates as date serials (written directly,
    part by part: openpyxl would take minutes at 300,000 rows)."""
    from xml.sax.saxutils import escape

    from chibo.demo.names import NameGenerator
    from chibo.members.excel import COLUMNS, MEMBER_SHEET
    from chibo.members.tests.hostile import NS, Part, _letter, write_xlsx

    rng = random.Random(13)  # noqa: S311 - reproducible data
    names = NameGenerator(rng)
    codes = cell_codes()
    letters = [_letter(i) for i in range(len(COLUMNS))]
    strings: dict[str, int] = {}

    def shared(text: str) -> int:
        return strings.setdefault(text, len(strings))

    def serial(day: date) -> int:
        return (day - date(1899, 12, 30)).days

    def row_values(i: int) -> dict[str, object]:
        person = names.person()
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(13_000))
        joined = born + timedelta(days=365 * 20 + rng.randrange(3000))
        code = codes[i % CELLS]
        return {
            "full_name": person.full_name,
            "gender": "Nữ" if person.gender == "female" else "Nam",
            "birth_date": serial(born),
            "card_number": f"9{i:08d}",
            "joined_on": serial(joined),
            "official_on": serial(joined + timedelta(days=366)),
            "cell_code": code,
            "cell_name": f"Chi bộ khu vực {code[-2:]}",
            "residence_address": f"Số {rng.randrange(1, 300)}, đường {rng.randrange(1, 40)}, khu vực {code[-2:]}",
            "phone": names.phone(),
            "email": f"dv{i}@example.vn",
            "occupation": rng.choice(["Giáo viên", "Nông dân", "Cán bộ hưu trí", "Kỹ sư", "Buôn bán"]),
            "strengths": "Tuyên truyền",
            "aspirations": "Mong được học tập nghị quyết",
        }

    def cell(ref: str, value: object) -> str:
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="s"><v>{shared(str(value))}</v></c>'

    def sheet() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
        yield f'<dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'
        yield '<row r="1">' + "".join(cell(f"{letters[c]}1", col.header) for c, col in enumerate(COLUMNS)) + "</row>"
        for i in range(rows):
            values = row_values(i)
            r = i + 2
            yield (
                f'<row r="{r}">'
                + "".join(cell(f"{letters[c]}{r}", values[col.field]) for c, col in enumerate(COLUMNS))
                + "</row>"
            )
        yield "</sheetData></worksheet>"

    def shared_strings() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(strings)}" uniqueCount="{len(strings)}">'
        for text in strings:  # insertion order is the index order
            yield f"<si><t>{escape(text)}</t></si>"
        yield "</sst>"

    # The sheet first: it fills the strings table that the second part writes.
    write_xlsx(
        path,
        [Part("xl/worksheets/sheet1.xml", sheet), Part("xl/sharedStrings.xml", shared_strings)],
        sheets=[(MEMBER_SHEET, "visible")],
        shared=True,
    )


def ensure_tree() -> tuple[object, object]:
    """The bench ward, its cells and its officer (made once)."""
    from chibo.accounts.models import Role, RoleGrant, User
    from chibo.organizations import services as org_services
    from chibo.organizations.models import Organization

    ward = Organization.objects.filter(code=WARD_CODE).first()
    if ward is None:
        province = org_services.org_create(
            actor=None,
            kind=Organization.Kind.PROVINCE_COMMITTEE,
            name="Đảng bộ tỉnh đo nhập",
            code="BENCHPROV",
            parent=None,
            established_on=date(2000, 1, 1),
        )
        ward = org_services.org_create(
            actor=None,
            kind=Organization.Kind.GRASSROOTS_COMMITTEE,
            name="Đảng bộ phường đo nhập",
            code=WARD_CODE,
            parent=province,
            established_on=date(2000, 1, 1),
        )
        for code in cell_codes():
            org_services.org_create(
                actor=None,
                kind=Organization.Kind.CELL,
                name=f"Chi bộ khu vực {code[-2:]}",
                code=code,
                parent=ward,
                established_on=date(2000, 1, 1),
            )
    user, _ = User.objects.get_or_create(username="bench.importer")
    RoleGrant.objects.get_or_create(user=user, org=ward, role=Role.OFFICER, valid_to=None)
    return user, ward


def one(path: Path) -> dict[str, object]:
    """Import the workbook once, rolled back afterwards; the process's own figures."""
    from django.db import transaction

    from chibo.members.imports import import_members

    user, _ward = ensure_tree()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with transaction.atomic():
        report = import_members(actor=user, source=path, dry_run=False)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if not report.ok or not report.imported:
        raise SystemExit(f"The import did not go through: {report.error_count} errors, first {report.errors[:3]}")
    return {
        "rows": report.rows,
        "imported": report.imported,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak / 1024),
        "before_mb": round(before / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a workbook to import in this process
    args = parser.parse_args()
    url = database_url()
    if args.one:
        django_setup(url)
        print(json.dumps(one(Path(args.one))))
        return
    ensure_database(url)
    django_setup(url)
    RESULTS.mkdir(exist_ok=True)
    results = []
    for rows in args.rows:
        path = RESULTS / f"import-{rows}.xlsx"
        if not path.exists():
            started = time.monotonic()
            write_workbook(path, rows)
            print(f"Wrote {path.relative_to(ROOT)} ({time.monotonic() - started:.0f} s).")
        done = subprocess.run(  # noqa: S603 - this script
            [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, cwd=ROOT
        )
        if done.returncode:
            raise SystemExit(done.stderr[-3000:] or done.stdout[-3000:])
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"\nMember import, PostgreSQL, each size in a fresh process (load average {os.getloadavg()[0]:.1f})")
    print(f"{'rows':>9} {'seconds':>8} {'s/100k':>7} {'peak MB':>8}  goal → verdict")
    results.sort(key=lambda r: int(r["rows"]))
    # Memory growth per row: the slope between the smallest and the largest size (fixed costs cancel out).
    slope_kb = None
    # Below ~10 batches of 2,000 rows the high-water mark is the first batches' working set, not a trend.
    if len(results) > 1 and int(results[0]["rows"]) >= 20_000 and int(results[-1]["rows"]) > int(results[0]["rows"]):
        first, last = results[0], results[-1]
        slope_kb = (int(last["peak_mb"]) - int(first["peak_mb"])) * 1024 / (int(last["rows"]) - int(first["rows"]))
    for r in results:
        rows, seconds, peak = int(r["rows"]), float(r["seconds"]), int(r["peak_mb"])
        per_100k = seconds / rows * 100_000
        time_ok = per_100k <= GOAL_SECONDS_AT_100K
        line = f"{rows:>9,} {seconds:>8.1f} {per_100k:>7.1f} {peak:>8}  "
        line += f"≤ {GOAL_SECONDS_AT_100K:.0f} s per 100,000 rows → {'ok' if time_ok else 'FAIL'}; "
        if rows >= 300_000:
            line += f"peak < {GOAL_PEAK_MB} MB at 300,000 rows → {'ok' if peak < GOAL_PEAK_MB else 'FAIL'}"
        elif slope_kb is not None:
            projected = peak + slope_kb * (300_000 - rows) / 1024
            verdict = "ok" if projected < GOAL_PEAK_MB else "FAIL"
            line += f"< {GOAL_PEAK_MB} MB at 300,000 rows: projected {projected:.0f} MB → {verdict} (projection)"
        else:
            line += f"< {GOAL_PEAK_MB} MB at 300,000 rows: run 300,000 (or two sizes ≥ 20,000) for a verdict"
        print(line)
    if slope_kb is not None:
        print(f"Memory grows {slope_kb:.2f} KB a row between the sizes (it was 3.3 KB before streaming).")
    out = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-imports.json"
    out.write_text(json.dumps({"loadavg": os.getloadavg(), "results": results}, indent=2))
    print(f"Written {out.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
