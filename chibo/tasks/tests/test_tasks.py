"""Tasks of a resolution (C8): giving them, reports, the review at the next meeting, carry-over, locks,
overdue reminders, and the lines the minutes and the resolution print."""

from datetime import date, timedelta

import pytest
from django.core import mail

from chibo.core.errors import ChiboError
from chibo.documents import compose
from chibo.documents import services as document_services
from chibo.meetings.models import Attendance
from chibo.notices.models import Notice
from chibo.tasks import selectors, services
from chibo.tasks.jobs import remind_overdue
from chibo.tasks.models import ProgressReport, ReviewAmendment, Task, TaskAssignment, TaskReminder, TaskReview
from chibo.tasks.tests.conftest import Cell, hold, lock_minutes, months_ago, plan

Out = TaskReview.Outcome
Ev = TaskReview.Evaluation


def _give(cell: Cell, meeting, *members, due_in: int = 25, text: str = "Vận động 10 hộ tham gia bảo hiểm y tế"):  # type: ignore[no-untyped-def]
    return services.task_create(
        actor=None,
        meeting=meeting,
        description=text,
        assignees=list(members),
        due_on=meeting.scheduled_date + timedelta(days=due_in),
    )


def _review(meeting, assignment, outcome=Out.DONE, evaluation=Ev.COMMENDED, **kw):  # type: ignore[no-untyped-def]
    return services.task_review_record(
        actor=None, meeting=meeting, assignment=assignment, outcome=outcome, evaluation=evaluation, **kw
    )


# --- giving a task ------------------------------------------------------------------------------------


def test_a_resolution_gives_a_task_to_two_members_with_a_due_date(cell: Cell) -> None:
    m = hold(cell.org, months_ago(2))
    task = _give(cell, m, cell.mobiliser, cell.plain, due_in=20)
    assert task.org == cell.org and task.meeting == m
    assert task.due_on == months_ago(2) + timedelta(days=20)
    assert set(task.assignments.values_list("member__full_name", flat=True)) == {"Lê Văn Vận", "Nguyễn Thị Thường"}
    assert set(task.assignments.values_list("status", flat=True)) == {"open"}


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("stranger", "Không thuộc danh sách đảng viên của chi bộ: Tô Văn Khác."),
        ("gone", "Không thuộc danh sách đảng viên của chi bộ: Mai Văn Đi."),
        ("exempt", "Đảng viên đang được miễn công tác, không giao nhiệm vụ: Lý Văn Già."),
    ],
)
def test_it_refuses_a_member_outside_the_cell_off_the_roll_or_exempt_and_saves_nothing(
    cell: Cell, who: str, message: str
) -> None:
    m = hold(cell.org, months_ago(1))
    with pytest.raises(ChiboError) as err:
        _give(cell, m, cell.mobiliser, getattr(cell, who))
    assert err.value.message == message and err.value.field == "assignees"
    assert Task.objects.count() == 0 and TaskAssignment.objects.count() == 0


def test_it_refuses_a_due_date_before_the_meeting(cell: Cell) -> None:
    m = hold(cell.org, date(2025, 4, 5))
    with pytest.raises(ChiboError) as err:
        services.task_create(
            actor=None, meeting=m, description="Dọn vệ sinh", assignees=[cell.plain], due_on=date(2025, 4, 4)
        )
    assert err.value.message == "Hạn hoàn thành (04/04/2025) không được trước ngày họp (05/04/2025)."
    assert err.value.field == "due_on" and not Task.objects.exists()


def test_it_refuses_a_task_without_words_or_people(cell: Cell) -> None:
    m = hold(cell.org, months_ago(1))
    with pytest.raises(ChiboError, match="Nhập nội dung nhiệm vụ"):
        services.task_create(actor=None, meeting=m, description="  ", assignees=[cell.plain], due_on=m.scheduled_date)
    with pytest.raises(ChiboError, match="Chọn ít nhất một đảng viên"):
        services.task_create(actor=None, meeting=m, description="Việc", assignees=[], due_on=m.scheduled_date)


def test_it_refuses_a_task_once_the_minutes_are_locked(cell: Cell) -> None:
    m = hold(cell.org, months_ago(1), chair=cell.secretary, recorder=cell.lawyer)
    lock_minutes(m, cell.world.anhoa_secretary)
    with pytest.raises(ChiboError, match="Biên bản buổi họp đã ký và khóa"):
        _give(cell, m, cell.plain)
    assert not Task.objects.exists()


# --- progress -------------------------------------------------------------------------------------------


def test_a_member_reports_progress_then_completion(cell: Cell) -> None:
    m = hold(cell.org, months_ago(1))
    task = _give(cell, m, cell.plain, due_in=20)
    a = task.assignments.get()
    services.progress_report(
        actor=cell.world.anhoa_member, assignment=a, status="in_progress", note="Đã vận động 6/10 hộ"
    )
    done_day = months_ago(1) + timedelta(days=12)
    services.progress_report(
        actor=cell.world.anhoa_member, assignment=a, status="done", note="Đủ 10 hộ", done_on=done_day
    )
    a.refresh_from_db()
    assert (a.status, a.done_on, a.last_note) == ("done", done_day, "Đủ 10 hộ")
    assert list(ProgressReport.objects.filter(assignment=a).values_list("status", flat=True)) == ["in_progress", "done"]


def test_a_progress_report_needs_a_note_and_a_sensible_day(cell: Cell) -> None:
    m = hold(cell.org, months_ago(1))
    a = _give(cell, m, cell.plain).assignments.get()
    with pytest.raises(ChiboError, match="Ghi kết quả đã làm được"):
        services.progress_report(actor=None, assignment=a, status="in_progress", note="")
    with pytest.raises(ChiboError, match="trước ngày giao nhiệm vụ"):
        services.progress_report(actor=None, assignment=a, status="done", done_on=months_ago(1) - timedelta(days=1))
    assert not ProgressReport.objects.exists()


def test_reporting_closes_once_the_cell_has_reviewed_the_task(cell: Cell) -> None:
    first, second = hold(cell.org, months_ago(2)), hold(cell.org, months_ago(1))
    a = _give(cell, first, cell.plain).assignments.get()
    _review(second, a, outcome=Out.DONE, evaluation=Ev.ACCEPTED)
    with pytest.raises(ChiboError, match="đã được chi bộ kiểm điểm"):
        services.progress_report(actor=None, assignment=a, status="done")


# --- the review at the next meeting ----------------------------------------------------------------------


def test_the_next_meeting_lists_the_previous_resolutions_tasks_automatically(cell: Cell) -> None:
    march, april = hold(cell.org, months_ago(3)), hold(cell.org, months_ago(2))
    may = plan(cell.org, months_ago(1))
    old = _give(cell, march, cell.lawyer, due_in=10, text="Hòa giải tranh chấp ranh đất")
    reviewed_in_april = _give(cell, march, cell.farmer, due_in=10, text="Hướng dẫn nuôi cá")
    later = _give(cell, march, cell.health, due_in=80, text="Tổng kết phong trào cuối năm")  # not due by May
    previous = _give(cell, april, cell.mobiliser, cell.plain, due_in=25)
    _review(april, reviewed_in_april.assignments.get(), outcome=Out.DONE, evaluation=Ev.ACCEPTED)

    listed = list(selectors.review_list(may))
    assert selectors.previous_meeting(may) == april
    assert [(a.task_id, a.member.full_name) for a in listed] == [
        (old.pk, "Phạm Thị Luật"),  # still unreviewed and due
        (previous.pk, "Nguyễn Thị Thường"),
        (previous.pk, "Lê Văn Vận"),
    ]
    assert later.pk not in {a.task_id for a in listed}
    assert selectors.review_counts(may) == {"total": 3, "reviewed": 0, "commended": 0, "reminded": 0, "unfinished": 0}


def test_done_well_is_commended(cell: Cell) -> None:
    april, may = hold(cell.org, months_ago(2)), hold(cell.org, months_ago(1))
    a = _give(cell, april, cell.mobiliser).assignments.get()
    services.progress_report(actor=None, assignment=a, status="done", done_on=months_ago(2) + timedelta(days=9))
    review = _review(may, a, outcome=Out.DONE, evaluation=Ev.COMMENDED, comment="Vận động đủ 10/10 hộ, vượt chỉ tiêu")
    assert (review.meeting, review.outcome, review.evaluation) == (may, "done", "commended")
    assert review.carried_to is None
    assert selectors.review_counts(may) == {"total": 1, "reviewed": 1, "commended": 1, "reminded": 0, "unfinished": 0}


def test_not_done_records_cause_support_and_reminder_and_carries_over_to_the_new_resolution(cell: Cell) -> None:
    april = hold(cell.org, date(2025, 4, 5))
    may = hold(cell.org, date(2025, 5, 5))
    task = _give(cell, april, cell.plain, cell.mobiliser, due_in=20)  # due 25/04/2025: a span of 20 days
    a = task.assignments.get(member=cell.plain)
    review = _review(
        may,
        a,
        outcome=Out.NOT_DONE,
        evaluation=Ev.REMINDED,
        cause="Bận thu hoạch lúa",
        support_measure="Đồng chí Vận đi cùng vận động",
        reminder="Hoàn thành trước kỳ họp tháng 6",
    )
    carried = review.carried_to
    assert carried is not None and carried.carried_from == task and carried.meeting == may
    assert carried.description == task.description
    assert carried.due_on == date(2025, 5, 25)  # the same 20 days, from 05/05/2025
    assert list(carried.assignments.values_list("member__full_name", flat=True)) == ["Nguyễn Thị Thường"]

    # The second assignee, unfinished too, joins the same carried task with the date the cell sets.
    b = task.assignments.get(member=cell.mobiliser)
    _review(
        may,
        b,
        outcome=Out.UNFINISHED,
        evaluation=Ev.REMINDED,
        cause="Ốm",
        support_measure="Chi ủy hỗ trợ",
        carry_over_due_on=date(2025, 5, 30),
    )
    carried.refresh_from_db()
    assert Task.objects.filter(carried_from=task).count() == 1
    assert carried.due_on == date(2025, 5, 30) and carried.assignments.count() == 2
    assert selectors.review_counts(may)["unfinished"] == 2


@pytest.mark.parametrize(
    ("outcome", "evaluation", "texts", "message", "field"),
    [
        (Out.DONE_LATE, Ev.COMMENDED, {}, "Chỉ biểu dương khi nhiệm vụ hoàn thành tốt, đúng hạn.", "evaluation"),
        (Out.NOT_DONE, Ev.ACCEPTED, {}, "Nhiệm vụ chưa hoàn thành: chi bộ nhắc nhở đảng viên.", "evaluation"),
        (Out.NOT_DONE, Ev.REMINDED, {"support_measure": "Giúp"}, "Ghi nguyên nhân chưa hoàn thành.", "cause"),
        (Out.UNFINISHED, Ev.REMINDED, {"cause": "Bận"}, "Ghi biện pháp chi bộ giúp đỡ đảng viên.", "support_measure"),
        (Out.DONE_LATE, Ev.REMINDED, {}, "Ghi nội dung nhắc nhở.", "reminder"),
    ],
)
def test_a_review_that_breaks_the_rules_is_refused_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    cell: Cell, outcome, evaluation, texts, message, field
) -> None:
    april, may = hold(cell.org, months_ago(2)), hold(cell.org, months_ago(1))
    a = _give(cell, april, cell.plain).assignments.get()
    with pytest.raises(ChiboError) as err:
        _review(may, a, outcome=outcome, evaluation=evaluation, **texts)
    assert (err.value.message, err.value.field) == (message, field)
    assert not TaskReview.objects.exists() and Task.objects.count() == 1


def test_a_task_reported_done_after_its_due_date_cannot_be_reviewed_as_on_time(cell: Cell) -> None:
    april, may = hold(cell.org, date(2025, 4, 5)), hold(cell.org, date(2025, 5, 5))
    a = _give(cell, april, cell.plain, due_in=10).assignments.get()  # due 15/04/2025
    services.progress_report(actor=None, assignment=a, status="done", done_on=date(2025, 4, 20))
    with pytest.raises(ChiboError, match="sau hạn 15/04/2025"):
        _review(may, a, outcome=Out.DONE, evaluation=Ev.ACCEPTED)
    assert _review(may, a, outcome=Out.DONE_LATE, evaluation=Ev.ACCEPTED).outcome == "done_late"


def test_a_task_is_reviewed_once_and_only_at_a_later_meeting_of_its_cell(cell: Cell) -> None:
    april, may, june = (hold(cell.org, months_ago(n)) for n in (3, 2, 1))
    a = _give(cell, may, cell.plain).assignments.get()
    with pytest.raises(ChiboError, match="tại buổi họp sau buổi đã giao"):
        _review(april, a)
    _review(june, a, outcome=Out.DONE, evaluation=Ev.ACCEPTED)
    later = hold(cell.org, months_ago(0))
    with pytest.raises(ChiboError, match="đã được kiểm điểm tại buổi họp ngày"):
        _review(later, a)
    assert TaskReview.objects.get().meeting == june


def test_correcting_an_unfinished_review_to_done_takes_the_member_off_the_carried_task(cell: Cell) -> None:
    april, may = hold(cell.org, months_ago(2)), hold(cell.org, months_ago(1))
    task = _give(cell, april, cell.plain)
    a = task.assignments.get()
    _review(may, a, outcome=Out.NOT_DONE, evaluation=Ev.REMINDED, cause="Quên", support_measure="Nhắc")
    assert Task.objects.filter(carried_from=task).count() == 1
    review = _review(may, a, outcome=Out.DONE, evaluation=Ev.COMMENDED)
    assert review.carried_to is None and not Task.objects.filter(carried_from=task).exists()
    assert (review.outcome, review.cause) == ("done", "")


def test_a_review_on_a_meeting_whose_minutes_are_locked_is_only_an_amendment(cell: Cell) -> None:
    april = hold(cell.org, months_ago(2))
    may = hold(cell.org, months_ago(1), chair=cell.secretary, recorder=cell.lawyer)
    a = _give(cell, april, cell.plain).assignments.get()
    _review(may, a, outcome=Out.DONE, evaluation=Ev.ACCEPTED)
    lock_minutes(may, cell.world.anhoa_secretary)
    with pytest.raises(ChiboError) as err:
        _review(may, a, outcome=Out.DONE, evaluation=Ev.COMMENDED)
    assert err.value.field == "amendment_reason"
    assert err.value.message == (
        "Biên bản buổi họp đã ký và khóa: chỉ sửa kết quả kiểm điểm bằng đính chính, có ghi lý do."
    )
    assert TaskReview.objects.get().evaluation == "accepted" and not ReviewAmendment.objects.exists()

    services.task_review_record(
        actor=cell.world.anhoa_secretary,
        meeting=may,
        assignment=a,
        outcome=Out.DONE,
        evaluation=Ev.COMMENDED,
        amendment_reason="Chi bộ đã thống nhất biểu dương nhưng thư ký ghi sót",
    )
    amendment = ReviewAmendment.objects.get()
    assert amendment.before["evaluation"] == "accepted" and amendment.after["evaluation"] == "commended"
    assert amendment.author == cell.world.anhoa_secretary
    assert TaskReview.objects.get().evaluation == "commended"


# --- overdue reminders -------------------------------------------------------------------------------------


class _Sms:
    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        self.sent.append((phone, text))


def test_overdue_tasks_are_reminded_by_app_email_and_sms_once_a_week(cell: Cell, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHIBO_SMS_SENDER = "chibo.tasks.tests.test_tasks._Sms"
    _Sms.sent = []
    cell.plain.email, cell.plain.phone = "thuong@example.vn", "0909123456"
    cell.plain.save(update_fields=["email", "phone"])
    april = hold(cell.org, date(2025, 4, 5))
    overdue = _give(cell, april, cell.plain, due_in=10).assignments.get()  # due 15/04/2025
    reported_done = _give(cell, april, cell.farmer, due_in=10).assignments.get()
    services.progress_report(actor=None, assignment=reported_done, status="done", done_on=date(2025, 4, 12))
    _give(cell, april, cell.lawyer, due_in=30)  # not due yet on 20/04

    assert services.overdue_reminders_send(day=date(2025, 4, 20)) == 1
    reminder = TaskReminder.objects.get()
    assert reminder.assignment == overdue and reminder.sent_on == date(2025, 4, 20)
    assert "đã quá hạn 5 ngày (hạn 15/04/2025)" in reminder.text
    assert [m.to for m in mail.outbox] == [["thuong@example.vn"]]
    assert _Sms.sent == [("0909123456", reminder.text[:160])]
    # The one delivery path of notices: the reminder is also in the member's inbox, delivered on both channels.
    [notice] = Notice.objects.filter(kind=Notice.Kind.TASK)
    assert notice.member == cell.plain and notice.body == reminder.text
    assert notice.emailed_at is not None and notice.sms_at is not None and notice.read_at is None

    assert services.overdue_reminders_send(day=date(2025, 4, 20)) == 0  # the same day again
    assert services.overdue_reminders_send(day=date(2025, 4, 26)) == 0  # within the week
    assert services.overdue_reminders_send(day=date(2025, 4, 27)) == 1  # a week later
    assert len(mail.outbox) == 2 and TaskReminder.objects.count() == 2
    assert Notice.objects.filter(kind=Notice.Kind.TASK, member=cell.plain).count() == 2


def test_the_daily_celery_task_sends_the_reminders(cell: Cell) -> None:
    m = hold(cell.org, date(2025, 4, 5))
    _give(cell, m, cell.plain, cell.farmer, due_in=10)
    assert remind_overdue.delay().get() == 2
    assert TaskReminder.objects.count() == 2


# --- the minutes and the resolution -------------------------------------------------------------------------


def test_a_task_shared_by_two_members_is_reviewed_once_in_the_minutes(cell: Cell) -> None:
    april, may = hold(cell.org, date(2025, 4, 5)), hold(cell.org, date(2025, 5, 5))
    task = _give(cell, april, cell.mobiliser, cell.plain, text="Dọn vệ sinh tuyến đường ấp")
    for a in task.assignments.all():
        _review(may, a)
    lines = selectors.minutes_review_lines(may)
    assert len(lines) == 2 and sum("Dọn vệ sinh tuyến đường ấp" in line for line in lines) == 1
    assert lines[1].count("đã hoàn thành đúng hạn, được biểu dương.") == 2


def test_the_minutes_print_the_review_and_the_resolution_its_tasks(cell: Cell) -> None:
    april, may = hold(cell.org, date(2025, 4, 5)), hold(cell.org, date(2025, 5, 5))
    good = _give(cell, april, cell.mobiliser, text="Vận động 10 hộ tham gia bảo hiểm y tế").assignments.get()
    bad = _give(cell, april, cell.plain, text="Lập danh sách hộ nghèo", due_in=20).assignments.get()
    _review(may, good, comment="Vượt chỉ tiêu.")
    _review(
        may,
        bad,
        outcome=Out.NOT_DONE,
        evaluation=Ev.REMINDED,
        cause="Đi làm xa",
        support_measure="Tổ trưởng hỗ trợ",
        reminder="Nộp trước 25/5.",
    )
    lines = selectors.minutes_review_lines(may)
    assert lines[0] == (
        "Kiểm điểm 2 phần việc được giao tại nghị quyết kỳ trước: hoàn thành 1, chưa hoàn thành 1; "
        "biểu dương 1, nhắc nhở 1."
    )
    assert lines[2] == (
        "- Nhiệm vụ “Lập danh sách hộ nghèo” (hạn 25/04/2025): Đồng chí Nguyễn Thị Thường không thực hiện, "
        "bị nhắc nhở. Nguyên nhân: Đi làm xa. Biện pháp giúp đỡ: Tổ trưởng hỗ trợ. Nhắc nhở: Nộp trước 25/5. "
        "Nhiệm vụ chuyển tiếp sang nghị quyết kỳ này, hạn 25/05/2025."
    )
    assert lines[1] == (
        "- Nhiệm vụ “Vận động 10 hộ tham gia bảo hiểm y tế” (hạn 30/04/2025): Đồng chí Lê Văn Vận đã hoàn thành "
        "đúng hạn, được biểu dương. Vượt chỉ tiêu."
    )
    assert selectors.resolution_task_lines(may) == [
        "Lập danh sách hộ nghèo (chuyển tiếp từ kỳ trước): đồng chí Nguyễn Thị Thường; hạn hoàn thành 25/05/2025."
    ]
    assert selectors.minutes_review_lines(april) == []

    # The composed minutes carry the review in their discussion; the resolution, its tasks as clauses.
    minutes = document_services.document_compose(actor=None, meeting=may, kind="minutes")
    assert lines[0] in minutes.sections["discussion"]
    resolution_clauses = compose.resolution_clauses(may)
    assert resolution_clauses[-1].startswith("Lập danh sách hộ nghèo (chuyển tiếp từ kỳ trước)")


def test_absences_do_not_matter_to_tasks_but_the_roll_does(cell: Cell) -> None:
    # A member absent from the meeting may still be given a task (the resolution names them).
    m = hold(cell.org, months_ago(1), statuses={cell.lawyer.pk: Attendance.Status.UNEXCUSED})
    assert _give(cell, m, cell.lawyer).assignments.get().member == cell.lawyer
