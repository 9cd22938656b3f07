"""The cell of the examples: An Hòa with 20 members on the roll, 2 of them exempt (18 required), 2 of the
required probationary (16 official required)."""

from dataclasses import dataclass
from datetime import date, time

import pytest

from chibo.core.dates import today
from chibo.meetings.models import Meeting
from chibo.members import services as member_services
from chibo.members.models import Exemption, Member
from chibo.organizations.models import Organization
from chibo.rules.selectors import ruleset_for
from chibo.testing.factories import MemberFactory, World


def plan_meeting(
    org: Organization, day: date | None = None, kind: str = Meeting.Kind.REGULAR, **fields: object
) -> Meeting:
    day = day or today()
    return Meeting.objects.create(
        org=org,
        kind=kind,
        period=day.replace(day=1) if kind == Meeting.Kind.REGULAR else None,
        scheduled_date=day,
        scheduled_time=time(19, 0),
        ruleset=ruleset_for(org, day),
        **fields,
    )


def add_members(org: Organization, n: int, **fields: object) -> list[Member]:
    return [MemberFactory(org=org, **fields) for _ in range(n)]


@dataclass
class Cell:
    world: World
    meeting: Meeting
    official: list[Member]  # 16 official members required to attend (secretary and plain member first)
    probationary: list[Member]  # 2
    exempt: list[Member]  # 2, official, exempt from meetings

    @property
    def required(self) -> list[Member]:
        return self.official + self.probationary


@pytest.fixture
def cell(world: World) -> Cell:
    secretary = world.anhoa_secretary.member
    assert secretary is not None
    official = [secretary, world.member_of_anhoa, *add_members(world.anhoa, 14)]
    probationary = add_members(world.anhoa, 2, official_on=None)
    exempt = add_members(world.anhoa, 2)
    for m in exempt:
        member_services.member_exempt(
            actor=None, member=m, reason=Exemption.Reason.OLD_AGE, started_on=date(2020, 1, 1)
        )
    return Cell(world, plan_meeting(world.anhoa), official, probationary, exempt)
