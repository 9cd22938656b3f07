"""`manage.py load_demo`: the organization of the source article, for `make demo`.

Idempotent: when the demo is already in the database it changes nothing and prints the logins again,
so `make demo` can be run any number of times. Refused (exit status 1) unless DEBUG is on, because
the demo accounts share a published password.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chibo.demo.builder import PASSWORD, URL, DemoRefused, build_demo, demo_exists, describe_logins


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Đảng bộ phường Bình Thạnh (11 chi bộ) năm 2021 và sắp xếp ngày 01/7/2025."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Không nạp dữ liệu mẫu khi DEBUG tắt: các tài khoản mẫu dùng chung một mật khẩu công khai. "
                "Chạy với DEBUG=1 trên máy phát triển."
            )
        if demo_exists():
            self.stdout.write("Dữ liệu mẫu đã có trong cơ sở dữ liệu; không nạp lại.")
        else:
            started = time.monotonic()
            try:
                demo = build_demo()
            except DemoRefused as err:
                raise CommandError(str(err)) from err
            members = sum(len(m) for m in demo.members.values())
            self.stdout.write(
                f"Đã nạp dữ liệu mẫu: {len(demo.orgs)} tổ chức, {len(demo.cells)} chi bộ, {members} đảng viên "
                f"({time.monotonic() - started:.1f} giây)."
            )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"\nMở {URL} và đăng nhập (mật khẩu của mọi tài khoản: {PASSWORD}):")
        for username, note in describe_logins():
            self.stdout.write(f"  {username:<18} {note}")
        self.stdout.write("Cây tổ chức năm 2021: /orgs/?as_of=2021-04-05 — sau sắp xếp: /orgs/")
