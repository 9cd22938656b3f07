from datetime import date

import pytest

from chibo.rules.models import RuleSetVersion
from chibo.rules.selectors import ruleset_for

pytestmark = pytest.mark.django_db


def test_without_versions_a_cell_gets_the_system_default(world):
    rules = ruleset_for(world.anhoa, date(2021, 4, 5))
    assert rules.org is None
    assert (rules.min_duration_minutes, rules.attendance_threshold_pct, rules.speakers_threshold_pct) == (90, 85, 30)


def test_the_nearest_node_with_a_version_in_force_wins(world):
    RuleSetVersion.objects.create(
        org=world.town, version=1, effective_from=date(2020, 1, 1), attendance_threshold_pct=80
    )
    ward_v = RuleSetVersion.objects.create(
        org=world.ward, version=1, effective_from=date(2023, 3, 1), attendance_threshold_pct=90
    )
    assert ruleset_for(world.anhoa, date(2021, 4, 5)).attendance_threshold_pct == 80
    assert ruleset_for(world.anhoa, date(2023, 3, 1)) == ward_v
    assert ruleset_for(world.other_ward_cell, date(2023, 3, 1)).attendance_threshold_pct == 80
