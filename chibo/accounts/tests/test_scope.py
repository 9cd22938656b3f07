import pytest

from chibo.accounts.scope import Perm, can_see_sensitive, members_with, orgs_with

pytestmark = pytest.mark.django_db


def test_a_role_applies_to_the_subtree_of_its_node(world):
    visible = set(orgs_with(world.ward_officer))
    assert {world.ward, world.anhoa, world.other_cell} <= visible
    assert world.other_ward_cell not in visible
    assert world.town not in visible


def test_a_member_sees_only_their_own_record(world):
    assert list(members_with(world.anhoa_member)) == [world.member_of_anhoa]


def test_cell_committee_sees_its_cell_roll_only(world):
    assert set(members_with(world.anhoa_secretary)) == set(world.anhoa.members.all())
    assert set(members_with(world.other_cell_secretary)) == set()


def test_outsider_sees_nothing_of_another_ward(world):
    assert not members_with(world.outsider).filter(org=world.anhoa).exists()
    assert world.anhoa not in orgs_with(world.outsider)


def test_strengths_are_for_the_cell_committee_and_above(world):
    member = world.member_of_anhoa
    assert can_see_sensitive(world.anhoa_secretary, member)
    assert can_see_sensitive(world.town_officer, member)
    assert not can_see_sensitive(world.viewer, member)
    assert not can_see_sensitive(world.anhoa_member, member)
    assert not can_see_sensitive(world.supervisor, member)


def test_supervisor_attends_but_does_not_list_members(world):
    assert world.anhoa in orgs_with(world.supervisor, Perm.ATTEND_MEETINGS)
    assert not members_with(world.supervisor).exists()
