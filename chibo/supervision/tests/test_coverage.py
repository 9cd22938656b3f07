"""Coverage per period (C11.3): which cells each cadre attended, which cells went without an upper-level
attendee for longer than the rule set allows, the reminders, and a constant number of queries."""

from datetime import date

import pytest

from chibo.accounts.models import User
from chibo.notices.models import Notice
from chibo.organizations.models import Organization
from chibo.rules import services as rules
from chibo.supervision import services
from chibo.supervision.selectors import coverage
from chibo.supervision.tests.conftest import held
from chibo.testing.factories import MemberFactory, World, make_org

pytestmark = pytest.mark.django_db

Q2_2021 = (date(2021, 4, 1), date(2021, 7, 1))


def _follow(w: World, cadre: User, *cells: Organization) -> None:
    for cell in cells:
        services.assignment_create(
            actor=w.ward_officer,
            committee=w.ward,
            cadre=cadre,
            cell=cell,
            title="Đảng ủy viên",
            valid_from=date(2021, 1, 1),
            valid_to=date(2022, 1, 1),
        )


def test_each_cadre_shows_the_cells_attended_and_missed_and_cells_past_the_gap_are_flagged(
    world: World, committee_member: User
) -> None:
    _follow(world, committee_member, world.anhoa, world.other_cell)
    held(world.anhoa, date(2021, 1, 5), from_above=[committee_member])
    held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    held(world.other_cell, date(2021, 4, 6))  # nobody from above
    report = coverage(world.ward, *Q2_2021, today=date(2021, 12, 1))
    [cadre] = report.cadres
    assert cadre.attended == [("Chi bộ khu vực An Hòa", date(2021, 4, 5))]
    assert cadre.missed == ["Chi bộ khu vực Bình Hòa"]
    anhoa, binhhoa = report.cells
    # 05/04 → 30/06: 86 days, within the default 92; Bình Hòa never had anyone since its founding.
    assert (anhoa.name, anhoa.visits, anhoa.last_visit, anhoa.days_without, anhoa.overdue) == (
        "Chi bộ khu vực An Hòa",
        1,
        date(2021, 4, 5),
        86,
        False,
    )
    assert binhhoa.last_visit is None and binhhoa.overdue
    assert report.gap_days == 92 and [c.name for c in report.overdue_cells] == ["Chi bộ khu vực Bình Hòa"]


def test_the_gap_is_the_committees_rule_set_setting(world: World, committee_member: User) -> None:
    _follow(world, committee_member, world.anhoa)
    held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    rules.ruleset_create_version(actor=None, org=world.ward, effective_from=date(2021, 1, 1), supervision_gap_days=60)
    report = coverage(world.ward, *Q2_2021, today=date(2021, 12, 1))
    assert report.gap_days == 60
    assert report.cells[0].days_without == 86 and report.cells[0].overdue


def test_a_running_period_counts_up_to_today(world: World, committee_member: User) -> None:
    held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    report = coverage(world.ward, *Q2_2021, today=date(2021, 5, 5))
    assert report.reference_day == date(2021, 5, 5) and report.cells[0].days_without == 30


def test_reminders_go_to_the_cadre_and_the_committee_once_per_cell_and_quarter(
    world: World, committee_member: User
) -> None:
    _follow(world, committee_member, world.anhoa, world.other_cell)
    held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    assert services.coverage_reminders_send(day=date(2021, 5, 10)) == 2  # Bình Hòa: the cadre and the officer
    notices = Notice.objects.filter(kind=Notice.Kind.SUPERVISION)
    assert {n.user for n in notices} == {committee_member, world.ward_officer}
    assert all(n.meeting is None and "Chi bộ khu vực Bình Hòa" in n.subject for n in notices)
    assert services.coverage_reminders_send(day=date(2021, 5, 11)) == 0


def test_the_coverage_of_many_cells_costs_the_queries_of_a_few(
    world: World, committee_member: User, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _follow(world, committee_member, world.anhoa)
    held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    coverage(world.ward, *Q2_2021, today=date(2021, 12, 1))  # warm the rule set's cache, if any
    with django_assert_num_queries(7) as small:
        coverage(world.ward, *Q2_2021, today=date(2021, 12, 1))
    for i in range(12):
        cell = make_org(f"Chi bộ số {i}", Organization.Kind.CELL, world.ward)
        MemberFactory(org=cell)
        _follow(world, committee_member, cell)
        held(cell, date(2021, 5, 3), from_above=[committee_member] if i % 2 else [])
    with django_assert_num_queries(len(small.captured_queries)):
        report = coverage(world.ward, *Q2_2021, today=date(2021, 12, 1))
    assert len(report.cells) == 14 and report.visited_cells == 7


def _scored(org: Organization, day: date, total: int) -> None:
    """A held meeting (nobody absent) whose score is `total` of 100, with the level it reads."""
    from django.utils import timezone

    from chibo.quality.models import Level, MeetingScore

    meeting = held(org, day)
    level = Level.GOOD if total >= 80 else Level.FAIR if total >= 65 else Level.AVERAGE
    MeetingScore.objects.create(
        meeting=meeting,
        ruleset=meeting.ruleset,
        scheme={},
        total=total,
        max_total=100,
        level=level,
        proposed_at=timezone.now(),
    )


def test_a_cell_whose_meeting_score_falls_is_a_priority_of_the_rota_and_one_that_holds_is_not(world: World) -> None:
    from chibo.supervision.selectors import falling_cells

    # An Hòa: 86, 84, then 78 — still "Khá", but 7 points under the earlier average of 85.
    for day, total in ((date(2021, 1, 5), 86), (date(2021, 2, 5), 84), (date(2021, 3, 5), 78)):
        _scored(world.anhoa, day, total)
    # Bình Hòa: 80, 77, 76 — under the average of 78.5 by 2.5 points only, and no level below "Khá".
    for day, total in ((date(2021, 1, 6), 80), (date(2021, 2, 6), 77), (date(2021, 3, 6), 76)):
        _scored(world.other_cell, day, total)
    cells = {world.anhoa.pk, world.other_cell.pk}
    assert falling_cells(cells, date(2021, 4, 1)) == {world.anhoa.pk: 1}
    assert falling_cells(cells, date(2021, 4, 1), within=world.ward) == {world.anhoa.pk: 1}


def test_a_last_meeting_scored_average_is_a_sign_by_itself(world: World) -> None:
    from chibo.supervision.selectors import falling_cells

    _scored(world.anhoa, date(2021, 3, 5), 60)  # "Trung bình", the only meeting of the window
    assert falling_cells({world.anhoa.pk}, date(2021, 4, 1)) == {world.anhoa.pk: 1}
