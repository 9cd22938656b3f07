"""An Hòa (the tasks tests' cell, chibo.tasks.tests.conftest) with a year of record for a member."""

from datetime import date

from chibo.commitments.models import Commitment
from chibo.meetings.models import Attendance
from chibo.members.models import Member
from chibo.tasks import services as task_services
from chibo.tasks.models import TaskReview
from chibo.tasks.tests.conftest import Cell, cell, hold  # noqa: F401 - the fixture, shared

A = Attendance.Status
Out, Ev = TaskReview.Outcome, TaskReview.Evaluation


def give(meeting, member: Member, due: date, outcome: str, at_meeting, text: str = "Vận động hộ"):  # type: ignore[no-untyped-def]
    """A task given at `meeting`, reviewed at `at_meeting` with `outcome`."""
    task = task_services.task_create(actor=None, meeting=meeting, description=text, assignees=[member], due_on=due)
    evaluation = {Out.DONE: Ev.COMMENDED, Out.DONE_LATE: Ev.ACCEPTED}.get(outcome, Ev.REMINDED)
    extra = (
        {"cause": "Bận việc nhà", "support_measure": "Chi ủy nhắc"} if outcome in TaskReview.UNFINISHED_OUTCOMES else {}
    )
    task_services.task_review_record(
        actor=None,
        meeting=at_meeting,
        assignment=task.assignments.get(),
        outcome=outcome,
        evaluation=evaluation,
        **extra,
    )
    return task


def a_year(cell: Cell, year: int, *, member: Member | None = None, absent: str | None = None) -> list:  # noqa: F811
    """Twelve monthly meetings of An Hòa in `year`, everyone present but `member` `absent` in March and
    June (if given); `member` gets a task each quarter done on time and reviewed the next month, and a
    commitment reviewed "good"."""
    member = member or cell.mobiliser
    meetings = []
    for month in range(1, 13):
        statuses = {member.pk: absent} if absent and month in (3, 6) else {}
        meetings.append(hold(cell.org, date(year, month, 5), statuses=statuses))
    for month in (1, 4, 7, 10):
        give(meetings[month - 1], member, date(year, month, 28), Out.DONE, meetings[month])
    Commitment.objects.create(
        member=member, org=cell.org, year=year, content="Giữ gìn vệ sinh", status="reviewed", level="good"
    )
    return meetings
