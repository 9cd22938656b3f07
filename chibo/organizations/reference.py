"""Reference data: the real Vietnamese administrative units (34 provinces, 3,321 communes and wards)
as shipped by the `vietnam-provinces` package (after the 1/7/2025 reform)."""

from django.db import transaction
from vietnam_provinces import Province, Ward

from chibo.organizations.models import AdministrativeUnit

Level = AdministrativeUnit.Level


def province_code(code: int) -> str:
    return f"P{code:02d}"


def ward_code(code: int) -> str:
    return f"W{code:05d}"


@transaction.atomic
def load_admin_units() -> tuple[int, int]:
    """Insert or update every province and ward; returns (provinces, wards) now present. Idempotent."""
    existing = {u.code: u for u in AdministrativeUnit.objects.filter(level__in=[Level.PROVINCE, Level.WARD])}
    new: list[AdministrativeUnit] = []
    for p in Province.iter_all():
        code = province_code(p.code.value)
        if code not in existing:
            unit = AdministrativeUnit(code=code, name=p.name, division_type=p.division_type.value, level=Level.PROVINCE)
            new.append(unit)
    AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
    provinces = {u.code: u for u in AdministrativeUnit.objects.filter(level=Level.PROVINCE)}
    new = []
    for w in Ward.iter_all():
        code = ward_code(w.code.value)
        if code not in existing:
            new.append(
                AdministrativeUnit(
                    code=code,
                    name=w.name,
                    division_type=w.division_type.value,
                    level=Level.WARD,
                    parent=provinces[province_code(w.province_code.value)],
                )
            )
    AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
    return (
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, is_current=True).count(),
        AdministrativeUnit.objects.filter(level=Level.WARD, is_current=True).count(),
    )
