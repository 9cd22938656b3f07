"""The rota planner (C11.4): each cadre at most K meetings a month, each cell visited in the period, one
cadre a meeting unless two are asked, falling cells first, loads even; the committee edits and accepts."""

from collections import Counter
from datetime import date

import pytest

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.supervision import services
from chibo.supervision.models import RotaPlan, RotaVisit
from chibo.supervision.rota import UNCOVERED, RotaInput, loads, plan_rota
from chibo.testing.factories import World


def _input(cells: int, cadres: int, k: int, **kw) -> RotaInput:  # type: ignore[no-untyped-def]
    cell_ids, cadre_ids = list(range(100, 100 + cells)), list(range(1, cadres + 1))
    return RotaInput(
        cells=cell_ids,
        cadres=cadre_ids,
        months=3,
        max_per_month=k,
        candidates={c: cadre_ids for c in cell_ids},
        **kw,
    )


def test_every_cell_is_visited_once_and_no_cadre_goes_beyond_k_a_month() -> None:
    result = plan_rota(_input(cells=6, cadres=1, k=2))
    assert sorted(cell for _c, cell, _m in result.visits) == list(range(100, 106))
    assert max(loads(result.visits).values()) == 2 and result.uncovered == []
    assert result.cost == result.bound and result.gap == 0


def test_a_committee_short_of_cadres_gets_a_rota_and_sees_the_cell_left_out() -> None:
    result = plan_rota(_input(cells=7, cadres=1, k=2))
    assert len(result.visits) == 6 and len(result.uncovered) == 1
    assert result.cost >= UNCOVERED


def test_cells_with_falling_attendance_are_visited_first() -> None:
    result = plan_rota(_input(cells=4, cadres=1, k=2, priority={103: 1, 102: 1}))
    month_of = {cell: m for _c, cell, m in result.visits}
    assert month_of[103] == 0 and month_of[102] == 0 and month_of[100] == 1 and month_of[101] == 1


def test_loads_are_even_and_own_cells_are_preferred() -> None:
    data = _input(cells=4, cadres=2, k=4, assigned=frozenset({(1, 100), (1, 101), (2, 102), (2, 103)}))
    result = plan_rota(data)
    assert Counter(c for c, _cell, _m in result.visits) == {1: 2, 2: 2}
    assert {(c, cell) for c, cell, _m in result.visits} == data.assigned


def test_two_cadres_attend_one_meeting_only_where_asked() -> None:
    result = plan_rota(_input(cells=3, cadres=3, k=4, doubles={101: 2}))
    per_meeting = Counter((cell, m) for _c, cell, m in result.visits)
    assert per_meeting[(101, 2)] == 2 and {n for key, n in per_meeting.items() if key != (101, 2)} == {1}
    assert len({c for c, cell, _m in result.visits if cell == 101}) == 2


@pytest.mark.django_db
def test_the_committee_proposes_edits_and_accepts_a_rota(world: World, committee_member: User) -> None:
    for cell in (world.anhoa, world.other_cell):
        services.assignment_create(
            actor=world.ward_officer,
            committee=world.ward,
            cadre=committee_member,
            cell=cell,
            title="Đảng ủy viên",
            valid_from=date(2021, 1, 1),
        )
    plan = services.rota_propose(actor=world.ward_officer, committee=world.ward, starts_on=date(2021, 4, 1))
    assert plan.max_per_month == 4 and plan.cost == plan.bound and plan.status == RotaPlan.Status.DRAFT
    assert {(v.cadre, v.cell, v.month) for v in plan.visits.all()} == {
        (committee_member, world.anhoa, date(2021, 4, 1)),
        (committee_member, world.other_cell, date(2021, 4, 1)),
    }
    visit = services.rota_visit_add(
        actor=world.ward_officer, plan=plan, cadre=world.viewer, cell=world.anhoa, month=date(2021, 5, 1)
    )
    with pytest.raises(ChiboError, match="không thuộc kỳ"):
        services.rota_visit_add(
            actor=world.ward_officer, plan=plan, cadre=world.viewer, cell=world.anhoa, month=date(2021, 8, 1)
        )
    with pytest.raises(ChiboError, match="không thuộc"):
        services.rota_visit_add(
            actor=world.ward_officer, plan=plan, cadre=world.viewer, cell=world.other_ward_cell, month=date(2021, 5, 1)
        )
    services.rota_accept(actor=world.ward_officer, plan=plan)
    with pytest.raises(ChiboError, match="đã được duyệt"):
        services.rota_visit_remove(actor=world.ward_officer, visit=visit)
    assert RotaVisit.objects.filter(plan=plan).count() == 3


@pytest.mark.django_db
def test_a_rota_starts_on_a_months_first_day(world: World) -> None:
    with pytest.raises(ChiboError, match="ngày đầu tháng") as err:
        services.rota_propose(actor=None, committee=world.ward, starts_on=date(2021, 4, 2))
    assert err.value.field == "starts_on" and not RotaPlan.objects.exists()
