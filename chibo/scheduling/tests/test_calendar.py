from datetime import date

import pytest

from chibo.organizations import services as org_services
from chibo.organizations.models import Organization
from chibo.scheduling.selectors import cells_in_month
from chibo.testing.factories import World, make_org

pytestmark = pytest.mark.django_db


def test_a_past_month_shows_the_cells_the_committee_had_then(world: World) -> None:
    new_ward = make_org("Đảng bộ phường Long Bình", Organization.Kind.GRASSROOTS_COMMITTEE, world.town)
    org_services.org_merge(actor=None, sources=[world.ward], target=new_ward, effective_on=date(2025, 7, 1))
    world.ward.refresh_from_db()
    both = {world.anhoa.pk, world.other_cell.pk}
    assert {c.pk for c in cells_in_month(world.admin, world.ward, date(2021, 4, 1))} == both
    # The new committee did not exist in 2021: no cells, so no false warnings about them.
    assert cells_in_month(world.admin, new_ward, date(2021, 4, 1)) == []
    assert {c.pk for c in cells_in_month(world.admin, new_ward, date(2025, 8, 1))} == both
