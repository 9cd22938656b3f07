"""Plan the regular meetings of a node's cells for a year (or some months): idempotent, safe to rerun."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.organizations.models import Organization
from chibo.scheduling.services import regular_meetings_generate


class Command(BaseCommand):
    help = "Tạo lịch sinh hoạt thường kỳ cho các chi bộ thuộc một tổ chức trong một năm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("org", help="Mã (code) của tổ chức: một chi bộ hoặc một đảng bộ")
        parser.add_argument("year", type=int)
        parser.add_argument("--month", type=int, action="append", help="Chỉ các tháng này (có thể lặp lại)")
        parser.add_argument("--actor", help="Tên đăng nhập của người ra lệnh, ghi vào lịch sử thay đổi")

    def handle(self, *args: object, **options: object) -> None:
        org = Organization.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"Không có tổ chức mã {options['org']}.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {options['actor']}.")
        try:
            created = regular_meetings_generate(
                actor=actor,
                org=org,
                year=options["year"],  # type: ignore[arg-type]
                months=options["month"] or None,  # type: ignore[arg-type]
            )
        except ChiboError as err:
            raise CommandError(err.message) from err
        self.stdout.write(f"{len(created)} buổi sinh hoạt thường kỳ đã được tạo.")
