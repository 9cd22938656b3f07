"""The member list with an exact count against the same list with the planner's estimate, interleaved.

    .venv/bin/python bench/count_ab.py [--requests 80]

Needs the bench database seeded by `make bench` (its bench users). Both variants run in one process
through Django's test client, one request of each in turn, so that the machine's load falls on both
alike; the exact variant sets CHIBO_COUNT_ESTIMATE_THRESHOLD beyond any list. Prints the median and the
95th percentile of each, per user, and what the page says about the count.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chibo_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=80)
    args = parser.parse_args()
    os.environ.update(
        {
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key",
            "ALLOWED_HOSTS": "testserver",
            "CHIBO_REQUIRE_OFFICER_2FA": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "chibo.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from chibo.accounts.models import User

    print(f"{'user':<16} {'exact median':>13} {'p95':>7} {'estimate median':>16} {'p95':>7}  the page says")
    for username in ("bench.admin", "bench.province", "bench.ward"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        exact: list[float] = []
        estimate: list[float] = []
        for _ in range(3):
            client.get("/members/")
        body = ""
        for _ in range(args.requests):
            for threshold, times in ((10**12, exact), (50_000, estimate)):
                settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = threshold
                started = time.perf_counter()
                response = client.get("/members/")
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
                body = response.content.decode()
        said = re.search(r'<p class="muted">([^<]*)</p>', body)
        p95 = [statistics.quantiles(t, n=20)[18] for t in (exact, estimate)]
        print(
            f"{username:<16} {statistics.median(exact):>13.1f} {p95[0]:>7.1f} "
            f"{statistics.median(estimate):>16.1f} {p95[1]:>7.1f}  {said.group(1) if said else '?'}"
        )


if __name__ == "__main__":
    main()
