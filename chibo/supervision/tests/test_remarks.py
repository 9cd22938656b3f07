"""Remarks and guidance of the cadre attending from above (C11.2): only someone attending records them; a
remark asking for action is answered by a reply or a task, and shows whether it was acted on; the minutes
print them under "Ý kiến chỉ đạo"."""

from datetime import timedelta

import pytest

from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.documents import services as documents
from chibo.documents.models import MeetingDocument
from chibo.meetings import services as meetings
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.tests.conftest import Cell
from chibo.supervision import services
from chibo.supervision.models import Assignment
from chibo.supervision.selectors import attended_from_above, remarks_of, upper_attendance
from chibo.tasks import services as tasks
from chibo.tasks.models import TaskAssignment

pytestmark = pytest.mark.django_db


def _open_all_present(cell: Cell) -> Meeting:
    meeting = meetings.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required:
        meetings.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    return meeting


def test_a_remark_by_someone_not_attending_is_refused(cell: Cell) -> None:
    meeting = _open_all_present(cell)
    with pytest.raises(ChiboError, match="chưa được ghi nhận dự buổi sinh hoạt"):
        services.remark_record(actor=cell.world.supervisor, meeting=meeting, text="Góp ý.", asks_action=True)
    assert not meeting.remarks.exists()


def test_the_assigned_cadre_appears_as_attending_from_above_once_checked_in(cell: Cell) -> None:
    w = cell.world
    services.assignment_create(
        actor=w.ward_officer, committee=w.ward, cadre=w.anhoa_member, cell=w.other_cell, title="x", valid_from=today()
    )  # another cell: not expected here
    sup = w.viewer  # a ward cadre (holds a role at the ward), assigned to An Hòa
    services.assignment_create(
        actor=w.ward_officer,
        committee=w.ward,
        cadre=sup,
        cell=w.anhoa,
        title="Ủy viên Ban Thường vụ Đảng ủy phường",
        valid_from=today() - timedelta(days=30),
        kind=Assignment.Kind.COMMITTEE,
    )
    meeting = _open_all_present(cell)
    [line] = upper_attendance(meeting)
    assert (line.title, line.assigned, line.present) == ("Ủy viên Ban Thường vụ Đảng ủy phường", True, False)
    meetings.guest_add(actor=sup, meeting=meeting, user=sup, is_supervisor=True, role=line.title)
    [line] = upper_attendance(meeting)
    assert line.present and [g.user for g in attended_from_above(meeting)] == [sup]


def test_a_remark_asking_for_action_is_answered_by_a_task_and_shows_when_it_is_done(cell: Cell) -> None:
    w = cell.world
    meeting = _open_all_present(cell)
    meetings.guest_add(actor=w.supervisor, meeting=meeting, user=w.supervisor, is_supervisor=True)
    services.remark_record(
        actor=w.supervisor,
        meeting=meeting,
        text="Đề nghị chi bộ rà soát danh sách hộ nghèo trước ngày 15.",
        asks_action=True,
    )
    [view] = remarks_of(meeting)
    assert view.asks_action and view.status == "waiting" and not view.acted_on
    services.remark_answer_with_task(
        actor=w.anhoa_secretary,
        remark=view.remark,
        description="Rà soát danh sách hộ nghèo khu vực An Hòa",
        assignees=[w.member_of_anhoa],
        due_on=today() + timedelta(days=10),
    )
    [view] = remarks_of(meeting)
    assert view.status == "answered" and view.task_done is False and not view.acted_on
    assignment = TaskAssignment.objects.get(task_id=view.task_id)
    tasks.progress_report(
        actor=w.anhoa_member, assignment=assignment, status=TaskAssignment.Status.DONE, done_on=today()
    )
    [view] = remarks_of(meeting)
    assert view.status == "done" and view.acted_on


def test_a_remark_is_answered_by_a_reply_and_a_remark_not_asking_for_action_cannot_be(cell: Cell) -> None:
    w = cell.world
    meeting = _open_all_present(cell)
    meetings.guest_add(actor=w.supervisor, meeting=meeting, user=w.supervisor, is_supervisor=True)
    remark = services.remark_record(actor=w.supervisor, meeting=meeting, text="Chuẩn bị tốt.", asks_action=False)
    with pytest.raises(ChiboError, match="không đề nghị chi bộ trả lời"):
        services.remark_reply(actor=w.anhoa_secretary, remark=remark, reply="Vâng.")
    services.remark_record(actor=w.supervisor, meeting=meeting, text="Báo cáo việc thu đảng phí.", asks_action=True)
    with pytest.raises(ChiboError, match="Nhập nội dung trả lời") as err:
        services.remark_reply(actor=w.anhoa_secretary, remark=remark, reply=" ")
    assert err.value.field == "reply"
    services.remark_reply(actor=w.anhoa_secretary, remark=remark, reply="Đã thu đủ đảng phí quý II.")
    [view] = remarks_of(meeting)
    assert view.status == "done" and view.reply == "Đã thu đủ đảng phí quý II."


def test_the_minutes_print_the_guidance_with_what_the_cell_answered(cell: Cell) -> None:
    w = cell.world
    meeting = _open_all_present(cell)
    meetings.guest_add(actor=w.supervisor, meeting=meeting, user=w.supervisor, is_supervisor=True, role="Đảng ủy viên")
    remark = services.remark_record(
        actor=w.supervisor, meeting=meeting, text="Đề nghị chi bộ báo cáo việc thu quỹ.", asks_action=True
    )
    services.remark_reply(actor=w.anhoa_secretary, remark=remark, reply="Chi bộ sẽ báo cáo tại kỳ họp sau.")
    meetings.meeting_close(actor=None, meeting=meeting)
    minutes = documents.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    text = minutes.sections["discussion"]
    assert "Ý kiến chỉ đạo:" in text
    assert "- Đồng chí supervisor: Đề nghị chi bộ báo cáo việc thu quỹ." in text
    assert "Chi bộ trả lời: Chi bộ sẽ báo cáo tại kỳ họp sau." in text
