"""Who may use the task pages and API (the scope matrix, chibo/testing/scope_matrix.py).

Readers of An Hòa's meetings see its tasks; those who run its meetings give and review them (the other
readers get 403 there); the assignee (the world's plain member) and the runners report progress; the
member's record is seen by the roll's readers and the member themselves. Everyone else: 404.
"""

from typing import Any

from chibo.meetings.models import Meeting
from chibo.tasks import services
from chibo.tasks.models import Task
from chibo.tasks.tests.builders import hold, months_ago, plan
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_ROLL, ANHOA_VISIBLE, SIGNED_IN, ScopeCase

RUNNERS = ANHOA_EDITORS
READERS_ONLY = ANHOA_VISIBLE - ANHOA_EDITORS


def _given(w: World) -> tuple[Meeting, Task]:
    """Last month's meeting of An Hòa, held, whose resolution gives the plain member a task."""
    meeting = hold(w.anhoa, months_ago(2))
    task = services.task_create(
        actor=None,
        meeting=meeting,
        description="Vận động 10 hộ tham gia bảo hiểm y tế",
        assignees=[w.member_of_anhoa],
        due_on=meeting.scheduled_date,
    )
    return meeting, task


def task(w: World) -> dict[str, Any]:
    return {"pk": _given(w)[1].pk}


def report(w: World) -> dict[str, Any]:
    return {"pk": _given(w)[1].pk, "member_pk": w.member_of_anhoa.pk}


def meeting(w: World) -> dict[str, Any]:
    return {"pk": _given(w)[0].pk}


def review(w: World) -> dict[str, Any]:
    _given(w)
    return {"pk": plan(w.anhoa, months_ago(1)).pk}


def review_row(w: World) -> dict[str, Any]:
    _meeting, t = _given(w)
    return {"pk": plan(w.anhoa, months_ago(1)).pk, "assignment_pk": t.assignments.get().pk}


def member(w: World) -> dict[str, Any]:
    return {"pk": w.member_of_anhoa.pk}


def api_task(w: World) -> dict[str, Any]:
    return {"task_id": _given(w)[1].pk}


def api_report(w: World) -> dict[str, Any]:
    return {"task_id": _given(w)[1].pk, "member_id": w.member_of_anhoa.pk}


def api_meeting(w: World) -> dict[str, Any]:
    return {"meeting_id": _given(w)[0].pk}


def api_review(w: World) -> dict[str, Any]:
    _given(w)
    return {"meeting_id": plan(w.anhoa, months_ago(1)).pk}


def api_review_row(w: World) -> dict[str, Any]:
    _meeting, t = _given(w)
    return {"meeting_id": plan(w.anhoa, months_ago(1)).pk, "assignment_id": t.assignments.get().pk}


def _run(target: str, args: Any, method: str = "POST") -> ScopeCase:
    return ScopeCase(target, allowed=RUNNERS, forbidden=READERS_ONLY, args=args, method=method)


REPORTERS = RUNNERS | {"anhoa_member"}
SEE_ONLY = READERS_ONLY - {"anhoa_member"}
RECORD_READERS = ANHOA_ROLL | {"anhoa_member"}


def given(w: World) -> dict[str, Any]:
    _given(w)
    return {}


def _task_text(w: World) -> str:
    return "Vận động 10 hộ tham gia bảo hiểm y tế"


MINE = frozenset({"anhoa_member"})  # "my tasks" shows the plain member's task to them alone

CASES = [
    ScopeCase("tasks:mine", allowed=SIGNED_IN, args=given, shows=_task_text, seen_by=MINE),
    ScopeCase("tasks:detail", allowed=ANHOA_VISIBLE, args=task),
    _run("tasks:delete", task),
    ScopeCase("tasks:report", allowed=REPORTERS, forbidden=SEE_ONLY, args=report, method="POST"),
    ScopeCase("tasks:meeting", allowed=ANHOA_VISIBLE, args=meeting),
    _run("tasks:create", meeting),
    _run("tasks:suggest", meeting, method="GET"),
    _run("tasks:review", review, method="GET"),
    _run("tasks:review_save", review_row),
    ScopeCase("tasks:record", allowed=RECORD_READERS, args=member),
    # API
    ScopeCase("GET /api/v1/tasks/mine", allowed=SIGNED_IN, args=given, shows=_task_text, seen_by=MINE),
    ScopeCase("GET /api/v1/tasks/{task_id}", allowed=ANHOA_VISIBLE, args=api_task),
    ScopeCase(
        "POST /api/v1/tasks/{task_id}/assignees/{member_id}/progress",
        allowed=REPORTERS,
        forbidden=SEE_ONLY,
        args=api_report,
    ),
    ScopeCase("GET /api/v1/tasks/meetings/{meeting_id}", allowed=ANHOA_VISIBLE, args=api_meeting),
    _run("POST /api/v1/tasks/meetings/{meeting_id}", api_meeting),
    _run("GET /api/v1/tasks/meetings/{meeting_id}/suggestions", api_meeting),
    _run("GET /api/v1/tasks/meetings/{meeting_id}/review", api_review),
    _run("PUT /api/v1/tasks/meetings/{meeting_id}/review/{assignment_id}", api_review_row),
    ScopeCase(
        "GET /api/v1/members/{member_id}/record",
        allowed=RECORD_READERS,
        args=lambda w: {"member_id": w.member_of_anhoa.pk},
    ),
]
