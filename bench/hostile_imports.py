"""The hostile-workbook corpus at the sizes of the attack in issue 14, each case in a fresh process:

    .venv/bin/python bench/hostile_imports.py [--size-mb 400]

Every case of chibo/members/tests/hostile.py is written to a temporary file with its hostile part of
--size-mb (the huge cell, the zip bomb's part), then checked as an upload would be (check_upload, the
archive guard, openpyxl finding the layout and counting rows) under the production limits. Prints, per
case, the answer (refused / read), the time and the process's peak memory (ru_maxrss), and the worst.
Goal: every case answered within 10 s and 300 MB (the attack took 4.4 GB).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
GOAL_SECONDS, GOAL_MB = 10.0, 300


def one(name: str, size: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chibo.core.errors import ChiboError
    from chibo.members.imports import check_upload, inspect_upload
    from chibo.members.tests.hostile import CORPUS

    case = next(c for c in CORPUS if c.name == name)
    with tempfile.TemporaryDirectory() as tmp:
        path = case.write(Path(tmp) / f"{name}.xlsx", "CB0001", size)
        upload_bytes = path.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with open(path, "rb") as fh:
            upload = SimpleUploadedFile(f"{name}.xlsx", b"")
            upload.file, upload.size = fh, upload_bytes  # the file itself, not a copy in memory
            try:
                check_upload(upload)
                inspect_upload(fh, has_default_org=True, limit=500)
                answer = "read"
            except ChiboError as err:
                answer = "refused: " + err.message[:70]
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": name,
        "upload_kb": upload_bytes // 1024,
        "answer": answer,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1024),
        "grew_mb": round((peak - before) / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=400)
    parser.add_argument("--case")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(one(args.case, args.size_mb * 1024 * 1024)))
        return
    sys.path.insert(0, str(ROOT))
    from chibo.members.tests.hostile import CORPUS

    rows = []
    for case in CORPUS:
        done = subprocess.run(  # noqa: S603 (this script, its own arguments)
            [sys.executable, __file__, "--case", case.name, "--size-mb", str(args.size_mb)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"{r['case']:28} {r['upload_kb']:>8} KB  {r['seconds']:>6.2f} s  {r['peak_mb']:>5} MB  {r['answer']}")
    worst_s = max(r["seconds"] for r in rows)
    worst_mb = max(r["peak_mb"] for r in rows)
    verdict = "ok" if worst_s <= GOAL_SECONDS and worst_mb <= GOAL_MB else "FAIL"
    print(f"worst: {worst_s:.2f} s (goal {GOAL_SECONDS} s), {worst_mb} MB peak (goal {GOAL_MB} MB): {verdict}")


if __name__ == "__main__":
    main()
