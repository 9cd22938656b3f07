from django.core.management.base import BaseCommand

from chibo.organizations.reference import load_admin_units


class Command(BaseCommand):
    help = "Load the Vietnamese administrative units (34 provinces, 3,321 communes and wards)."

    def handle(self, *args: object, **options: object) -> None:
        provinces, wards = load_admin_units()
        self.stdout.write(f"Đơn vị hành chính: {provinces} tỉnh/thành phố, {wards} xã/phường/đặc khu.")
