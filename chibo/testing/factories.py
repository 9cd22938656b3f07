"""Test-only builders shared by every app's tests: factories and the named personas of STYLE.md."""

from dataclasses import dataclass
from datetime import date
from itertools import count

import factory

from chibo.accounts.models import Role, RoleGrant, User
from chibo.members import services as member_services
from chibo.members.models import Member
from chibo.organizations import services as org_services
from chibo.organizations.models import Organization

_codes = count(1)
PASSWORD = "chibo-test-pass"  # noqa: S105


def make_org(
    name: str,
    kind: str,
    parent: Organization | None = None,
    established_on: date = date(2000, 1, 1),
    **fields: object,
) -> Organization:
    return org_services.org_create(
        actor=None,
        kind=kind,
        name=name,
        code=f"T{next(_codes):05d}",
        parent=parent,
        established_on=established_on,
        **fields,  # type: ignore[arg-type]
    )


class MemberFactory(factory.django.DjangoModelFactory):
    """Members made through member_create(), so that derived fields and the roll are right."""

    class Meta:
        model = Member

    full_name = factory.Faker("name", locale="vi_VN")
    gender = Member.Gender.MALE
    birth_date = date(1970, 5, 17)
    joined_on = date(2000, 3, 1)
    official_on = date(2001, 3, 1)
    card_number = factory.Sequence(lambda n: f"{n + 1:08d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return member_services.member_create(actor=None, **kwargs)


def make_user(username: str, *grants: tuple[str, Organization], member: Member | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, member=member)
    for role, org in grants:
        RoleGrant.objects.create(user=user, org=org, role=role)
    return user


@dataclass
class World:
    """A small tree and the personas tests talk about.

    Tỉnh → Thị xã Long Mỹ → Phường Bình Thạnh → {Chi bộ An Hòa, Chi bộ Bình Hòa}
                          → Phường Khác → {Chi bộ Ấp Một}
    """

    province: Organization
    town: Organization
    ward: Organization
    anhoa: Organization
    other_cell: Organization
    other_ward: Organization
    other_ward_cell: Organization
    admin: User
    town_officer: User
    ward_officer: User
    anhoa_secretary: User
    anhoa_member: User
    other_cell_secretary: User
    outsider: User
    viewer: User
    supervisor: User
    member_of_anhoa: Member


def build_world() -> World:
    province = make_org("Đảng bộ tỉnh Hậu Giang", Organization.Kind.PROVINCE_COMMITTEE)
    town = make_org("Đảng bộ thị xã Long Mỹ", Organization.Kind.DISTRICT_COMMITTEE, province)
    ward = make_org("Đảng bộ phường Bình Thạnh", Organization.Kind.GRASSROOTS_COMMITTEE, town)
    anhoa = make_org("Chi bộ khu vực An Hòa", Organization.Kind.CELL, ward, meeting_day=5)
    other_cell = make_org("Chi bộ khu vực Bình Hòa", Organization.Kind.CELL, ward)
    other_ward = make_org("Đảng bộ phường Trà Lồng", Organization.Kind.GRASSROOTS_COMMITTEE, town)
    other_ward_cell = make_org("Chi bộ khu vực 1", Organization.Kind.CELL, other_ward)
    secretary_member = MemberFactory(full_name="Trần Văn Bí Thư", org=anhoa)
    plain = MemberFactory(full_name="Nguyễn Thị Thường", org=anhoa)
    return World(
        province=province,
        town=town,
        ward=ward,
        anhoa=anhoa,
        other_cell=other_cell,
        other_ward=other_ward,
        other_ward_cell=other_ward_cell,
        admin=make_user("admin", (Role.ADMIN, province)),
        town_officer=make_user("town_officer", (Role.OFFICER, town)),
        ward_officer=make_user("ward_officer", (Role.OFFICER, ward)),
        anhoa_secretary=make_user(
            "anhoa_secretary", (Role.CELL_COMMITTEE, anhoa), (Role.MEMBER, anhoa), member=secretary_member
        ),
        anhoa_member=make_user("anhoa_member", (Role.MEMBER, anhoa), member=plain),
        other_cell_secretary=make_user("other_cell_secretary", (Role.CELL_COMMITTEE, other_cell)),
        outsider=make_user("outsider", (Role.OFFICER, other_ward)),
        viewer=make_user("viewer", (Role.VIEWER, ward)),
        supervisor=make_user("supervisor", (Role.SUPERVISOR, anhoa)),
        member_of_anhoa=plain,
    )
