"""An Hòa with members whose strengths are recorded, and meetings held on past days.

Members (besides the world's secretary "Trần Văn Bí Thư" and "Nguyễn Thị Thường"): five with strengths,
one exempt (old age), one taken off the roll; Bình Hòa (another cell) has one member.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from chibo.members import services as member_services
from chibo.members.models import Exemption, Member
from chibo.organizations.models import Organization
from chibo.tasks.tests.builders import at, hold, lock_minutes, months_ago, plan
from chibo.testing.factories import MemberFactory, World

__all__ = ["Cell", "at", "hold", "lock_minutes", "months_ago", "plan"]


@dataclass
class Cell:
    world: World
    secretary: Member
    plain: Member
    mobiliser: Member  # "Vận động quần chúng, nắm tình hình dân cư"
    lawyer: Member  # "Am hiểu pháp luật, hòa giải ở cơ sở"
    farmer: Member  # "Kinh nghiệm trồng lúa, nuôi cá"
    typist: Member  # "tin hoc, soan thao van ban" (typed without diacritics)
    health: Member  # "Chăm sóc sức khỏe cộng đồng; vận động người dân"
    exempt: Member
    gone: Member  # taken off the roll
    stranger: Member  # on Bình Hòa's roll

    @property
    def org(self) -> Organization:
        return self.world.anhoa


@pytest.fixture
def cell(world: World) -> Cell:
    anhoa = world.anhoa
    mk = MemberFactory
    c = Cell(
        world=world,
        secretary=world.anhoa_secretary.member,  # type: ignore[arg-type]
        plain=world.member_of_anhoa,
        mobiliser=mk(org=anhoa, full_name="Lê Văn Vận", strengths="Vận động quần chúng, nắm tình hình dân cư"),
        lawyer=mk(org=anhoa, full_name="Phạm Thị Luật", strengths="Am hiểu pháp luật, hòa giải ở cơ sở"),
        farmer=mk(org=anhoa, full_name="Võ Văn Nông", strengths="Kinh nghiệm trồng lúa, nuôi cá"),
        typist=mk(org=anhoa, full_name="Đỗ Thị Tin", strengths="tin hoc, soan thao van ban"),
        health=mk(org=anhoa, full_name="Huỳnh Thị Y", strengths="Chăm sóc sức khỏe cộng đồng; vận động người dân"),
        exempt=mk(org=anhoa, full_name="Lý Văn Già", strengths="Vận động quần chúng"),
        gone=mk(org=anhoa, full_name="Mai Văn Đi", strengths="Vận động quần chúng"),
        stranger=mk(org=world.other_cell, full_name="Tô Văn Khác", strengths="Vận động quần chúng"),
    )
    member_services.member_exempt(
        actor=None, member=c.exempt, reason=Exemption.Reason.OLD_AGE, started_on=date(2020, 1, 1)
    )
    member_services.member_leave(actor=None, member=c.gone, left_on=date(2021, 1, 1), reason=Member.LeftReason.DECEASED)
    c.gone.refresh_from_db()
    return c
