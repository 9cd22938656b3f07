"""`manage.py backup [--output DIR] [--keep N]` and `manage.py backup --verify PATH` (C18)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.operations.backups import BackupError, create_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp media kèm mã kiểm tra SHA-256; --verify kiểm tra một bản sao lưu. "
        "Back up the database and the media files with SHA-256 checksums; --verify checks a backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=f"Thư mục chứa các bản sao lưu / where backups go (CHIBO_BACKUP_DIR: {settings.CHIBO_BACKUP_DIR}).",
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="Chỉ giữ N bản mới nhất trong thư mục / keep the newest N backups."
        )
        parser.add_argument(
            "--verify", type=Path, default=None, metavar="PATH", help="Chỉ kiểm tra bản sao lưu này / only check PATH."
        )

    def handle(self, *args: Any, output: Path | None, keep: int | None, verify: Path | None, **options: Any) -> None:
        try:
            if verify is not None:
                backup = verify_backup(verify)
                self.stdout.write(self.style.SUCCESS(f"Bản sao lưu nguyên vẹn / backup intact: {backup.describe()}"))
                return
            backup = create_backup(output_dir=output or Path(settings.CHIBO_BACKUP_DIR), keep=keep)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu / backed up: {backup.describe()}"))
        self.stdout.write(str(backup.path))
