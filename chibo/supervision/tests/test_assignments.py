"""A committee assigns cadres to follow its cells for a period (C11): who may be assigned where, overlapping
periods, the history, and what the assignment lets the cadre see and receive."""

from datetime import date, time, timedelta

import pytest

from chibo.accounts.models import Role, RoleGrant, User
from chibo.accounts.scope import Perm, forget_grants, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import meetings_with
from chibo.notices.selectors import meeting_recipients
from chibo.organizations import services as org_services
from chibo.rules.selectors import ruleset_for
from chibo.supervision import services
from chibo.supervision.models import Assignment
from chibo.supervision.selectors import followers_on
from chibo.testing.factories import World

pytestmark = pytest.mark.django_db


def _assign(w: World, cadre: User, cell, start: date, end: date | None = None, **kw) -> Assignment:  # type: ignore[no-untyped-def]
    return services.assignment_create(
        actor=w.ward_officer,
        committee=w.ward,
        cadre=cadre,
        cell=cell,
        title=kw.pop("title", "Đảng ủy viên phường"),
        valid_from=start,
        valid_to=end,
        **kw,
    )


def test_an_assignment_carries_a_supervisor_grant_and_a_leader_sees_only_the_cell_followed(
    world: World, committee_member: User
) -> None:
    start = today() - timedelta(days=10)
    a = _assign(world, committee_member, world.anhoa, start)
    assert a.grant is not None and (a.grant.org, a.grant.role, a.grant.valid_from) == (
        world.anhoa,
        Role.SUPERVISOR,
        start,
    )
    leader = User.objects.create_user("lanh_dao_ban", first_name="Lê Văn Ban")
    services.assignment_create(
        actor=world.ward_officer,
        committee=world.ward,
        cadre=leader,
        cell=world.other_cell,
        kind=Assignment.Kind.LEADER,
        title="Trưởng Ban Tuyên giáo",
        valid_from=start,
        valid_to=today() + timedelta(days=30),
    )
    assert has_perm_on(leader, world.other_cell, Perm.ATTEND_MEETINGS)
    assert not has_perm_on(leader, world.anhoa, Perm.VIEW_ORG)
    assert not has_perm_on(leader, world.ward, Perm.VIEW_ORG)
    assert not has_perm_on(leader, world.other_cell, Perm.LIST_MEMBERS)


def test_the_cadre_loses_sight_of_the_cell_when_the_assignment_ends(world: World, department_leader: User) -> None:
    a = _assign(
        world,
        department_leader,
        world.anhoa,
        today() - timedelta(days=100),
        kind=Assignment.Kind.LEADER,
        title="Trưởng Phòng Nội vụ",
    )
    assert has_perm_on(department_leader, world.anhoa, Perm.ATTEND_MEETINGS)
    services.assignment_end(actor=world.ward_officer, assignment=a, ended_on=today())
    forget_grants(department_leader)
    assert not has_perm_on(department_leader, world.anhoa, Perm.VIEW_ORG)
    a.refresh_from_db()
    assert a.valid_to == today() and a.ended_by == world.ward_officer  # the history keeps the period


def test_an_assigned_cadre_receives_the_cells_meeting_notices(world: World, department_leader: User) -> None:
    day = today() + timedelta(days=5)
    _assign(world, department_leader, world.anhoa, today(), kind=Assignment.Kind.LEADER, title="Trưởng Phòng Nội vụ")
    meeting = Meeting.objects.create(
        org=world.anhoa,
        kind=Meeting.Kind.EXTRAORDINARY,
        scheduled_date=day,
        scheduled_time=time(19),
        ruleset=ruleset_for(world.anhoa, day),
    )
    told = {r.key: r.audience for r in meeting_recipients(meeting)}
    assert told[f"u{department_leader.pk}"] == "supervisor"
    assert meeting in meetings_with(department_leader)


def test_a_cell_outside_the_committees_subtree_is_refused_and_nothing_is_saved(
    world: World, committee_member: User
) -> None:
    with pytest.raises(ChiboError, match="không thuộc Đảng bộ phường Bình Thạnh") as err:
        _assign(world, committee_member, world.other_ward_cell, date(2021, 1, 1))
    assert err.value.field == "cell"
    assert not Assignment.objects.exists()
    assert not RoleGrant.objects.filter(user=committee_member, role=Role.SUPERVISOR).exists()


def test_overlapping_periods_of_the_same_cadre_and_cell_are_refused(world: World, committee_member: User) -> None:
    _assign(world, committee_member, world.anhoa, date(2021, 1, 1), date(2021, 7, 1))
    with pytest.raises(ChiboError, match="từ 01/01/2021 đến 01/07/2021: thời gian bị trùng") as err:
        _assign(world, committee_member, world.anhoa, date(2021, 6, 1))
    assert err.value.field == "valid_from"
    # Back to back (the first ends before 01/07) is a new period, and another cell is another pair.
    _assign(world, committee_member, world.anhoa, date(2021, 7, 1), date(2022, 1, 1))
    _assign(world, committee_member, world.other_cell, date(2021, 3, 1))
    assert Assignment.objects.filter(cadre=committee_member).count() == 3
    assert [a.cadre for a in followers_on(world.anhoa, date(2021, 7, 1))] == [committee_member]


def test_only_the_committees_own_members_are_assigned_as_committee_members(
    world: World, department_leader: User
) -> None:
    with pytest.raises(ChiboError, match="không phải cấp ủy viên"):
        _assign(world, department_leader, world.anhoa, date(2021, 1, 1))
    # A member on the roll of one of its cells is one of its own.
    member_user = world.anhoa_member
    assert _assign(world, member_user, world.other_cell, date(2021, 1, 1)).kind == Assignment.Kind.COMMITTEE


def test_a_title_and_a_sensible_period_are_required(world: World, committee_member: User) -> None:
    with pytest.raises(ChiboError, match="chức vụ, đơn vị") as err:
        _assign(world, committee_member, world.anhoa, date(2021, 1, 1), title="  ")
    assert err.value.field == "title"
    with pytest.raises(ChiboError, match="phải sau ngày bắt đầu"):
        _assign(world, committee_member, world.anhoa, date(2021, 1, 1), date(2021, 1, 1))


def test_the_cells_of_a_committee_are_those_under_it_on_the_assignments_first_day(
    world: World, committee_member: User
) -> None:
    """Bình Hòa moves to the other ward on 01/01/2022: the ward assigned cadres to it before, not after."""
    org_services.org_move(actor=None, org=world.other_cell, new_parent=world.other_ward, effective_on=date(2022, 1, 1))
    _assign(world, committee_member, world.other_cell, date(2021, 6, 1), date(2022, 1, 1))
    with pytest.raises(ChiboError, match="không thuộc"):
        _assign(world, committee_member, world.other_cell, date(2022, 2, 1))
