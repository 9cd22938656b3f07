"""`seed_scale`: a synthetic tree and N members, written in bulk but as the services would write them."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from chibo.core.dates import today
from chibo.demo.scale import plan_shape
from chibo.members.models import Member, Membership
from chibo.organizations.models import Organization, OrgVersion
from chibo.organizations.selectors import member_ids_on_roll, subtree_on

pytestmark = pytest.mark.django_db


def _seed(**options: int) -> str:
    out = StringIO()
    call_command("seed_scale", stdout=out, **options)
    return out.getvalue()


def test_it_seeds_exactly_n_members_in_a_valid_tree_and_prints_timings():
    output = _seed(members=1234, cells_per_ward=5, members_per_cell=20, provinces=3)
    assert Member.objects.count() == 1234
    cells = Organization.objects.filter(kind=Organization.Kind.CELL)
    assert Organization.objects.filter(depth=1).count() == 3
    assert Organization.objects.filter(kind=Organization.Kind.GRASSROOTS_COMMITTEE).count() == 13  # 62 cells / 5
    assert cells.count() == 62
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert OrgVersion.objects.count() == Organization.objects.count()
    assert "1,234 đảng viên" in output and "giây" in output


def test_every_member_has_one_open_roll_and_the_tree_answers_for_a_date():
    _seed(members=500, cells_per_ward=4, members_per_cell=25, provinces=1)
    open_rolls = Membership.objects.filter(ended_on__isnull=True, kind=Membership.Kind.OFFICIAL)
    assert open_rolls.count() == 500
    assert not open_rolls.values("member").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Membership.objects.exclude(org_id=F("member__org_id")).exists()
    province = Organization.objects.get(depth=1)
    cells = [v.org_id for v in subtree_on(province, today()) if v.kind == Organization.Kind.CELL]
    assert member_ids_on_roll(cells, today()).count() == 500


def test_derived_fields_are_those_the_services_compute():
    _seed(members=200)
    for member in Member.objects.order_by("?")[:20]:
        stored = (member.family_name, member.given_name, member.name_sort_key, member.search_text)
        member.set_name(member.full_name)
        assert (member.family_name, member.given_name, member.name_sort_key, member.search_text) == stored
    probationary = Member.objects.filter(status=Member.Status.PROBATIONARY)
    assert not probationary.exclude(official_on__isnull=True).exists()
    assert not Member.objects.filter(status=Member.Status.OFFICIAL, official_on__isnull=True).exists()
    assert all(m.joined_on.year - m.birth_date.year >= 18 for m in Member.objects.all())
    assert Member.objects.search("nguyen").exists()


def test_a_second_seed_in_the_same_database_is_refused():
    _seed(members=50)
    with pytest.raises(CommandError, match="giả lập"):
        _seed(members=50)
    assert Member.objects.count() == 50


def test_the_shape_adds_up_to_the_members_asked_for():
    shape = plan_shape(members=500_000, cells_per_ward=40, members_per_cell=25, provinces=34, rng=random.Random(1))
    assert sum(sum(s) for s in shape.cell_sizes) == 500_000
    assert shape.cells == 20_000 and shape.wards == 500 and shape.provinces == 34
    assert min(min(s) for s in shape.cell_sizes) >= 10
