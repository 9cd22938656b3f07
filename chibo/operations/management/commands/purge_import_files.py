from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.operations.services import purge_import_files


class Command(BaseCommand):
    help = (
        "Xóa các tệp Excel nhập đảng viên cũ hơn CHIBO_IMPORT_FILE_RETENTION_DAYS, giữ lại bản ghi lần nhập "
        "(chạy hằng ngày). Delete uploaded import files past the retention period; the import records stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Giữ N ngày thay cho thiết lập / keep this many days ({settings.CHIBO_IMPORT_FILE_RETENTION_DAYS}).",
        )

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        if days is not None and days < 1:
            raise CommandError("--days phải từ 1 trở lên / must be at least 1.")
        deleted = purge_import_files(older_than_days=days)
        self.stdout.write(f"Đã xóa {deleted} tệp nhập / deleted {deleted} import files.")
