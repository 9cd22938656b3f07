from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.audit.services import purge_access_logs


class Command(BaseCommand):
    help = "Delete personal-data access-log rows older than CHIBO_ACCESS_LOG_RETENTION_DAYS (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days instead of the setting ({settings.CHIBO_ACCESS_LOG_RETENTION_DAYS}).",
        )

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = purge_access_logs(older_than_days=days)
        self.stdout.write(f"Deleted {deleted} access-log rows.")
