"""`manage.py load_demo`: the organization of the source article, for `make demo`.

It builds the tree of 2021 and the 2025 reform, the accounts, a year of meetings of the 11 Bình Thạnh
cells around April 2021 (the An Hòa meeting of 05/04/2021 complete, minutes signed and locked) and An
Hòa's meetings of this month and the next (chibo.demo.meetings). It sends no SMS or e-mail while loading.

Idempotent: when the demo is already in the database it changes nothing and prints the logins again,
so `make demo` can be run any number of times. Refused (exit status 1) unless the CHIBO_DEMO_ACCOUNTS
setting is on (an explicit setting, not DEBUG: the demo runs with DEBUG off), because the demo accounts
share a published password.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chibo.demo.builder import (
    ARTICLE_MEETING_HINT,
    PASSWORD,
    URL,
    DemoRefused,
    build_demo,
    demo_exists,
    describe_logins,
)
from chibo.meetings.models import Meeting


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Đảng bộ phường Bình Thạnh (11 chi bộ) năm 2021 và sắp xếp ngày 01/7/2025."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.CHIBO_DEMO_ACCOUNTS:
            raise CommandError(
                "Không nạp dữ liệu mẫu khi CHIBO_DEMO_ACCOUNTS tắt: các tài khoản mẫu dùng chung một mật khẩu "
                "công khai. Chạy với CHIBO_DEMO_ACCOUNTS=1 trên máy phát triển (make demo)."
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
            held = Meeting.objects.filter(status=Meeting.Status.CLOSED).count()
            self.stdout.write(
                f"Đã nạp dữ liệu mẫu: {len(demo.orgs)} tổ chức, {len(demo.cells)} chi bộ, {members} đảng viên, "
                f"{held} buổi sinh hoạt đã họp ({time.monotonic() - started:.1f} giây)."
            )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"\nMở {URL} và đăng nhập (mật khẩu của mọi tài khoản: {PASSWORD}):")
        for username, note in describe_logins():
            self.stdout.write(f"  {username:<18} {note}")
        self.stdout.write("Cây tổ chức năm 2021: /orgs/?as_of=2021-04-05 — sau sắp xếp: /orgs/")
        self.stdout.write(ARTICLE_MEETING_HINT)
