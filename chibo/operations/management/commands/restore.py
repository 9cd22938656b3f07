"""`manage.py restore PATH [--yes]`: checks every checksum, then restores the database and the media (C18)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from chibo.operations.backups import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và tệp media từ một bản sao lưu (kiểm tra mã SHA-256 trước). "
        "Restore the database and the media from a backup (its checksums are checked first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Thư mục bản sao lưu / the backup's directory.")
        parser.add_argument("--yes", action="store_true", help="Không hỏi lại / do not ask for confirmation.")

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        try:
            backup = verify_backup(path)
            if not yes:
                self._confirm(backup.describe())
            result = restore_backup(path=path)
        except BackupError as err:
            raise CommandError(f"{err}\nChưa thay đổi gì. / Nothing was changed.") from err
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục / restored: {result.backup.describe()}"))
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"Bản sao lưu cũ hơn mã nguồn: {len(result.pending_migrations)} migration chưa chạy. "
                    "Hãy chạy `manage.py migrate`. / The backup predates the code: run `manage.py migrate`."
                )
            )

    def _confirm(self, described: str) -> None:
        database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        self.stdout.write(
            f"Sẽ THAY THẾ toàn bộ dữ liệu của {database} và thư mục media bằng bản sao lưu:\n  {described}\n"
            f"This REPLACES all data of {database} and the media directory with that backup.\n"
            "Hãy dừng ứng dụng và Celery trước; nên sao lưu trạng thái hiện tại (manage.py backup) trước.\n"
            "Stop the app and Celery first; back up the current state before restoring."
        )
        try:
            answer = input("Gõ 'yes' để tiếp tục / type 'yes' to go on: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Đã hủy, không thay đổi gì. / Cancelled; nothing was changed.")
