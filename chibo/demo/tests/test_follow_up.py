"""The demo step: tasks with a realistic mix of outcomes on whatever closed meetings exist, An Hòa's
commitments and self-criticisms."""

from dataclasses import dataclass, field
from datetime import date

from chibo.commitments.models import Commitment
from chibo.criticism.models import CriticismRecord
from chibo.demo.follow_up import add_follow_up
from chibo.organizations.models import Organization
from chibo.tasks.models import Task, TaskAssignment, TaskReview
from chibo.tasks.tests.conftest import Cell, hold, months_ago


@dataclass
class _Demo:
    cells: dict[str, Organization] = field(default_factory=dict)


def test_the_demo_adds_tasks_reviews_and_commitments_on_the_closed_meetings(cell: Cell, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("chibo.commitments.services.today", lambda: date(2026, 6, 1))
    for n in range(6, 0, -1):
        hold(cell.org, months_ago(n))
    hold(cell.world.other_cell, months_ago(2))
    hold(cell.world.other_cell, months_ago(1))
    add_follow_up(_Demo(cells={"anhoa": cell.org, "bt_a": cell.world.other_cell}))

    anhoa_tasks = Task.objects.filter(org=cell.org)
    assert anhoa_tasks.filter(carried_from__isnull=True).count() >= 6 * 2
    reviews = TaskReview.objects.filter(meeting__org=cell.org)
    outcomes = set(reviews.values_list("evaluation", flat=True))
    assert {"commended", "reminded"} <= outcomes
    assert reviews.filter(evaluation="commended").count() > reviews.filter(evaluation="reminded").count() / 2
    # Nothing was given to the exempt member or a member off the roll.
    assert not TaskAssignment.objects.filter(member__in=[cell.exempt, cell.gone]).exists()
    # The latest meeting's tasks are open; Bình Hòa (one member) got tasks too.
    assert TaskAssignment.objects.filter(task__org=cell.org, review__isnull=True).exists()
    assert Task.objects.filter(org=cell.world.other_cell).exists()
    # Commitments: An Hòa's current members but the last three (8 current → 5).
    assert Commitment.objects.filter(org=cell.org, year=2026).count() == 5
    assert CriticismRecord.objects.filter(org=cell.org).count() == 2


def test_without_closed_meetings_only_the_commitments_are_added(cell: Cell) -> None:
    add_follow_up(_Demo(cells={"anhoa": cell.org}))
    assert not Task.objects.exists() and Commitment.objects.count() == 5
