from datetime import date

import pytest

from chibo.core.errors import ChiboError
from chibo.members.models import Member, Membership
from chibo.organizations import services
from chibo.organizations.models import Organization, RestructuringEvent
from chibo.organizations.selectors import cell_of_member_on, children_on, member_ids_on_roll, subtree_on
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db


def test_rename_keeps_the_old_name_for_past_dates(world):
    services.org_rename(actor=None, org=world.anhoa, name="Chi bộ khu phố An Hòa", effective_on=date(2025, 7, 1))
    names_2021 = [v.name for v in children_on(world.ward, date(2021, 4, 5))]
    names_now = [v.name for v in children_on(world.ward, date(2025, 8, 1))]
    assert "Chi bộ khu vực An Hòa" in names_2021
    assert "Chi bộ khu phố An Hòa" in names_now
    assert RestructuringEvent.objects.filter(kind="rename", org=world.anhoa).count() == 1


def test_merge_moves_every_member_once_and_nobody_is_lost(world):
    MemberFactory.create_batch(5, org=world.other_cell)
    before_target = Member.objects.filter(org=world.anhoa).count()
    services.org_merge(actor=None, sources=[world.other_cell], target=world.anhoa, effective_on=date(2025, 7, 1))
    assert Member.objects.filter(org=world.anhoa).count() == before_target + 5
    # On any date, each member is on exactly one roll.
    for day in (date(2025, 6, 30), date(2025, 7, 1)):
        rolls = member_ids_on_roll([world.anhoa.pk, world.other_cell.pk], day)
        ids = list(rolls.values_list("member_id", flat=True))
        assert len(ids) == len(set(ids)) == before_target + 5
    event = RestructuringEvent.objects.get(kind="merge", org=world.other_cell)
    assert event.details["members_moved"] == 5
    world.other_cell.refresh_from_db()
    assert world.other_cell.dissolved_on == date(2025, 7, 1)


def test_merging_a_committee_moves_its_cells_under_the_target(world):
    new_ward = make_org("Đảng bộ phường Long Mỹ", Organization.Kind.GRASSROOTS_COMMITTEE, world.town)
    services.org_merge(actor=None, sources=[world.ward], target=new_ward, effective_on=date(2025, 7, 1))
    world.anhoa.refresh_from_db()
    assert Organization.objects.get_parent(world.anhoa) == new_ward
    # The tree as it was on 5/4/2021 still has An Hòa under Bình Thạnh.
    assert world.anhoa.pk in [v.org_id for v in children_on(world.ward, date(2021, 4, 5))]
    assert world.anhoa.pk in [v.org_id for v in subtree_on(new_ward, date(2025, 8, 1))]
    assert world.anhoa.pk not in [v.org_id for v in subtree_on(new_ward, date(2021, 4, 5))]


def test_member_cell_on_a_date_follows_the_merge(world):
    member = world.member_of_anhoa
    services.org_merge(actor=None, sources=[world.anhoa], target=world.other_cell, effective_on=date(2025, 7, 1))
    assert cell_of_member_on(member, date(2021, 4, 5)) == world.anhoa
    assert cell_of_member_on(member, date(2025, 7, 1)) == world.other_cell


def test_split_requires_every_member_placed_exactly_once(world):
    ids = list(Member.objects.filter(org=world.anhoa).values_list("pk", flat=True))
    with pytest.raises(ChiboError, match="Chưa xếp"):
        services.org_split(
            actor=None,
            org=world.anhoa,
            effective_on=date(2025, 7, 1),
            parts=[
                services.SplitPart("Chi bộ An Hòa 1", "AH1", ids[:1]),
                services.SplitPart("Chi bộ An Hòa 2", "AH2", []),
            ],
        )
    assert Membership.objects.filter(org__code__in=["AH1", "AH2"]).count() == 0
    parts = services.org_split(
        actor=None,
        org=world.anhoa,
        effective_on=date(2025, 7, 1),
        parts=[
            services.SplitPart("Chi bộ An Hòa 1", "AH1", ids[:1]),
            services.SplitPart("Chi bộ An Hòa 2", "AH2", ids[1:]),
        ],
    )
    assert [Member.objects.filter(org=p).count() for p in parts] == [1, len(ids) - 1]


def test_dissolve_refuses_a_cell_with_members(world):
    with pytest.raises(ChiboError, match="Còn đảng viên"):
        services.org_dissolve(actor=None, org=world.anhoa, effective_on=date(2025, 7, 1))
    world.anhoa.refresh_from_db()
    assert world.anhoa.dissolved_on is None


def test_a_change_cannot_be_inserted_before_the_latest_one(world):
    services.org_rename(actor=None, org=world.anhoa, name="Tên mới", effective_on=date(2024, 1, 1))
    with pytest.raises(ChiboError, match="phải sau ngày 01/01/2024"):
        services.org_rename(actor=None, org=world.anhoa, name="Tên khác", effective_on=date(2023, 1, 1))


def test_a_cell_cannot_sit_under_a_province_directly(world):
    with pytest.raises(ChiboError):
        make_org("Chi bộ lạc", Organization.Kind.CELL, world.province)
