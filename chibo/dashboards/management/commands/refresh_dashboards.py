from typing import Any

from django.core.management.base import BaseCommand

from chibo.dashboards.services import summary_refresh_all, summary_refresh_changed


class Command(BaseCommand):
    help = "Recompute the dashboards' monthly summaries: what changed since the last run, or --all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="every month of every cell")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = summary_refresh_all(by="command") if options["all"] else summary_refresh_changed(by="command")
        self.stdout.write(f"{rows} dòng tổng hợp tháng đã cập nhật.")
