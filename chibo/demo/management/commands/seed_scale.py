"""`manage.py seed_scale --members N`: a synthetic tree and N members for benchmarks (see bench/)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.demo.scale import SeedRefused, seed_scale
from chibo.demo.scale_history import seed_history


class Command(BaseCommand):
    help = "Sinh cây tổ chức giả lập (tỉnh → phường → chi bộ) và N đảng viên để đo hiệu năng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=0, help="Số đảng viên cần sinh.")
        parser.add_argument(
            "--history-months",
            type=int,
            default=0,
            help="Số tháng sinh hoạt (họp, điểm danh, phát biểu) sinh cho tỉnh giả lập thứ nhất.",
        )
        parser.add_argument(
            "--history-only", action="store_true", help="Chỉ thêm lịch sử sinh hoạt vào cây đã sinh (nếu chưa có)."
        )
        parser.add_argument("--cells-per-ward", type=int, default=40, help="Số chi bộ mỗi đảng bộ phường.")
        parser.add_argument("--members-per-cell", type=int, default=25, help="Số đảng viên trung bình mỗi chi bộ.")
        parser.add_argument("--provinces", type=int, default=34, help="Số đảng bộ tỉnh tối đa.")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu).")
        parser.add_argument("--batch", type=int, default=5000, help="Số dòng mỗi lần ghi.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["history_only"]:
            if options["members"] < 1:
                raise CommandError("Cần --members N (hoặc --history-only).")
            self._seed(options)
        if options["history_months"]:
            started = time.monotonic()
            made = seed_history(months=options["history_months"], seed=options["seed"])
            self.stdout.write(
                f"Lịch sử sinh hoạt: {made['meetings']:,} buổi, {made['attendance']:,} lượt điểm danh, "
                f"{made['turns']:,} lượt phát biểu, {made['summary_rows']:,} dòng tổng hợp "
                f"({time.monotonic() - started:.1f} giây)."
            )

    def _seed(self, options: dict[str, Any]) -> None:
        total = options["members"]
        started = time.monotonic()
        step = max(options["batch"], total // 10)
        last = [0]

        def progress(done: int) -> None:
            if done - last[0] >= step or done == total:
                last[0] = done
                self.stdout.write(f"  {done:>10,} / {total:,} đảng viên ({time.monotonic() - started:.1f} giây)")

        try:
            report = seed_scale(
                members=total,
                cells_per_ward=options["cells_per_ward"],
                members_per_cell=options["members_per_cell"],
                provinces=options["provinces"],
                seed=options["seed"],
                batch=options["batch"],
                progress=progress,
            )
        except SeedRefused as err:
            raise CommandError(str(err)) from err
        timings = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in report.timings.items())
        self.stdout.write(
            f"Đã sinh {report.orgs:,} tổ chức và {report.members:,} đảng viên trong "
            f"{time.monotonic() - started:.1f} giây ({timings})."
        )
