"""Every write to tasks (C8): giving a task, reporting progress, reviewing it at the next meeting (with
the carry-over of what is unfinished and amendments after the minutes are locked), and the overdue
reminders. Pages, the API, the Celery task, the demo and tests call these functions and nothing else."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.meetings.models import Meeting
from chibo.members.models import Exemption, Member
from chibo.tasks.models import ProgressReport, ReviewAmendment, Task, TaskAssignment, TaskReminder, TaskReview
from chibo.tasks.selectors import held_on, open_assignments, record_locked

Out = TaskReview.Outcome


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)


def _check_assignees(meeting: Meeting, members: list[Member], day: date) -> None:
    """Assignees must be on the cell's roll and not exempt from work on the meeting day."""
    if not members:
        raise ChiboError(_("Chọn ít nhất một đảng viên thực hiện."), field="assignees")
    strangers = [m.full_name for m in members if m.org_id != meeting.org_id or m.left_on is not None]
    if strangers:
        raise ChiboError(
            _("Không thuộc danh sách đảng viên của chi bộ: %(names)s.") % {"names": ", ".join(strangers)},
            field="assignees",
        )
    exempt = (
        Exemption.objects.filter(member__in=members, started_on__lte=day)
        .exclude(ended_on__lte=day)
        .values_list("member__full_name", flat=True)
        .distinct()
    )
    if exempt:
        raise ChiboError(
            _("Đảng viên đang được miễn công tác, không giao nhiệm vụ: %(names)s.") % {"names": ", ".join(exempt)},
            field="assignees",
        )


@records_actor
@transaction.atomic
def task_create(
    *,
    actor: User | None,
    meeting: Meeting,
    description: str,
    assignees: Iterable[Member],
    due_on: date | None,
    carried_from: Task | None = None,
) -> Task:
    """A concrete task of the meeting's resolution, for one or more members of the cell."""
    meeting = _lock_meeting(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ChiboError(_("Buổi sinh hoạt đã bị hủy."))
    if record_locked(meeting):
        raise ChiboError(_("Biên bản buổi họp đã ký và khóa: không thêm nhiệm vụ vào nghị quyết được nữa."))
    description = (description or "").strip()
    if not description:
        raise ChiboError(_("Nhập nội dung nhiệm vụ."), field="description")
    day = held_on(meeting)
    if due_on is None:
        raise ChiboError(_("Nhập hạn hoàn thành."), field="due_on")
    if due_on < day:
        raise ChiboError(
            _("Hạn hoàn thành (%(due)s) không được trước ngày họp (%(day)s).")
            % {"due": _fmt(due_on), "day": _fmt(day)},
            field="due_on",
        )
    members = list({m.pk: m for m in assignees}.values())
    _check_assignees(meeting, members, day)
    task = Task.objects.create(
        org_id=meeting.org_id,
        meeting=meeting,
        description=description,
        due_on=due_on,
        carried_from=carried_from,
        created_by=actor,
    )
    TaskAssignment.objects.bulk_create([TaskAssignment(task=task, member=m) for m in members])
    return task


@records_actor
@transaction.atomic
def task_delete(*, actor: User | None, task: Task) -> None:
    """Take back a task given by mistake, while the resolution is open and nobody has reported on it."""
    task = Task.objects.select_for_update().select_related("meeting").get(pk=task.pk)
    if record_locked(task.meeting):
        raise ChiboError(_("Biên bản buổi họp đã ký và khóa: không xóa nhiệm vụ được."))
    if (
        ProgressReport.objects.filter(assignment__task=task).exists()
        or TaskReview.objects.filter(assignment__task=task).exists()
    ):
        raise ChiboError(_("Nhiệm vụ đã có báo cáo hoặc đã được kiểm điểm, không xóa được."))
    if task.carried_from_id:
        TaskReview.objects.filter(carried_to=task).update(carried_to=None)
    task.delete()


@records_actor
@transaction.atomic
def progress_report(
    *,
    actor: User | None,
    assignment: TaskAssignment,
    status: str | None,
    note: str = "",
    done_on: date | None = None,
) -> ProgressReport:
    """The member's report before the next meeting: in progress (with what was done and what is in the
    way) or done (with the day). Closed once the cell has reviewed the task."""
    assignment = (
        TaskAssignment.objects.select_for_update().select_related("task", "task__meeting").get(pk=assignment.pk)
    )
    if TaskReview.objects.filter(assignment=assignment).exists():
        raise ChiboError(_("Nhiệm vụ đã được chi bộ kiểm điểm, không báo cáo thêm."))
    if status not in (TaskAssignment.Status.IN_PROGRESS, TaskAssignment.Status.DONE):
        raise ChiboError(_("Chọn tiến độ: đang thực hiện hoặc đã hoàn thành."), field="status")
    note = (note or "").strip()
    if status == TaskAssignment.Status.DONE:
        done_on = done_on or today()
        if done_on > today():
            raise ChiboError(_("Ngày hoàn thành không được ở tương lai."), field="done_on")
        if done_on < held_on(assignment.task.meeting):
            raise ChiboError(_("Ngày hoàn thành không được trước ngày giao nhiệm vụ."), field="done_on")
    else:
        done_on = None
        if not note:
            raise ChiboError(_("Ghi kết quả đã làm được hoặc khó khăn đang gặp."), field="note")
    report = ProgressReport.objects.create(
        assignment=assignment, status=status, note=note, done_on=done_on, reported_by=actor
    )
    assignment.status, assignment.done_on, assignment.last_note = status, done_on, note
    assignment.reported_at = report.reported_at
    assignment.save(update_fields=["status", "done_on", "last_note", "reported_at"])
    return report


# --- review at the next meeting ---------------------------------------------------------------------------


def _check_review(
    assignment: TaskAssignment, outcome: str | None, evaluation: str | None, texts: dict[str, str]
) -> None:
    if outcome not in Out.values:
        raise ChiboError(_("Chọn kết quả thực hiện."), field="outcome")
    if evaluation not in TaskReview.Evaluation.values:
        raise ChiboError(_("Chọn đánh giá của chi bộ."), field="evaluation")
    if evaluation == TaskReview.Evaluation.COMMENDED and outcome != Out.DONE:
        raise ChiboError(_("Chỉ biểu dương khi nhiệm vụ hoàn thành tốt, đúng hạn."), field="evaluation")
    if outcome in TaskReview.UNFINISHED_OUTCOMES:
        if evaluation != TaskReview.Evaluation.REMINDED:
            raise ChiboError(_("Nhiệm vụ chưa hoàn thành: chi bộ nhắc nhở đảng viên."), field="evaluation")
        if not texts["cause"]:
            raise ChiboError(_("Ghi nguyên nhân chưa hoàn thành."), field="cause")
        if not texts["support_measure"]:
            raise ChiboError(_("Ghi biện pháp chi bộ giúp đỡ đảng viên."), field="support_measure")
    if evaluation == TaskReview.Evaluation.REMINDED and not (texts["reminder"] or texts["cause"]):
        raise ChiboError(_("Ghi nội dung nhắc nhở."), field="reminder")
    if outcome == Out.DONE and assignment.done_on and assignment.done_on > assignment.task.due_on:
        raise ChiboError(
            _("Đảng viên báo hoàn thành ngày %(d)s, sau hạn %(due)s: chọn “hoàn thành nhưng chậm”.")
            % {"d": _fmt(assignment.done_on), "due": _fmt(assignment.task.due_on)},
            field="outcome",
        )


def _default_carry_over_due(task: Task, meeting: Meeting) -> date:
    """As long again as the task first had, counted from the reviewing meeting; at least the reviewing
    meeting's rule set's minimum (task_carry_over_min_days, a week by default)."""
    span = max((task.due_on - held_on(task.meeting)).days, meeting.ruleset.task_carry_over_min_days)
    return held_on(meeting) + timedelta(days=span)


def _carry_over(actor: User | None, assignment: TaskAssignment, meeting: Meeting, due_on: date | None) -> Task:
    """The unfinished assignment joins the task carried into the reviewing meeting's resolution."""
    original = assignment.task
    day = held_on(meeting)
    if due_on is not None and due_on < day:
        raise ChiboError(
            _("Hạn mới (%(due)s) không được trước ngày họp (%(day)s).") % {"due": _fmt(due_on), "day": _fmt(day)},
            field="carry_over_due_on",
        )
    carried, created = Task.objects.get_or_create(
        carried_from=original,
        meeting=meeting,
        defaults={
            "org_id": meeting.org_id,
            "description": original.description,
            "due_on": due_on or _default_carry_over_due(original, meeting),
            "created_by": actor,
        },
    )
    if not created and due_on is not None and due_on != carried.due_on:
        carried.due_on = due_on
        carried.save(update_fields=["due_on"])
    TaskAssignment.objects.get_or_create(task=carried, member_id=assignment.member_id)
    return carried


def _uncarry(review: TaskReview) -> None:
    """The review no longer says "unfinished": the member leaves the carried task (if untouched)."""
    carried = review.carried_to
    if carried is None:
        return
    share = TaskAssignment.objects.filter(task=carried, member_id=review.assignment.member_id).first()
    if share is not None and not share.reports.exists() and not hasattr(share, "review"):
        share.delete()
    if not carried.assignments.exists():
        carried.delete()


def _snapshot(review: TaskReview) -> dict[str, Any]:
    fields = ("outcome", "evaluation", "comment", "cause", "support_measure", "reminder")
    return {f: getattr(review, f) for f in fields} | {"carried_to": review.carried_to_id}


@records_actor
@transaction.atomic
def task_review_record(
    *,
    actor: User | None,
    meeting: Meeting,
    assignment: TaskAssignment,
    outcome: str | None,
    evaluation: str | None,
    comment: str = "",
    cause: str = "",
    support_measure: str = "",
    reminder: str = "",
    carry_over_due_on: date | None = None,
    amendment_reason: str = "",
) -> TaskReview:
    """Kiểm điểm: the cell's evaluation of one member's task at a later meeting. Done well → commended;
    not done → cause, support measure and reminder recorded, and the task carried into this meeting's
    resolution. Once this meeting's minutes are locked, only as an amendment with its reason."""
    meeting = _lock_meeting(meeting)
    assignment = (
        TaskAssignment.objects.select_for_update()
        .select_related("task", "task__meeting", "member")
        .get(pk=assignment.pk)
    )
    task = assignment.task
    if meeting.status == Meeting.Status.CANCELLED:
        raise ChiboError(_("Buổi sinh hoạt đã bị hủy."))
    if task.org_id != meeting.org_id:
        raise ChiboError(_("Nhiệm vụ không thuộc chi bộ của buổi họp này."))
    if task.meeting.scheduled_date >= meeting.scheduled_date:
        raise ChiboError(_("Nhiệm vụ chỉ được kiểm điểm tại buổi họp sau buổi đã giao."))
    existing = TaskReview.objects.filter(assignment=assignment).select_related("meeting", "carried_to").first()
    if existing is not None and existing.meeting_id != meeting.pk:
        raise ChiboError(
            _("Nhiệm vụ này đã được kiểm điểm tại buổi họp ngày %(d)s.") % {"d": _fmt(held_on(existing.meeting))}
        )
    amendment_reason = (amendment_reason or "").strip()
    locked = record_locked(meeting)
    if locked and not amendment_reason:
        raise ChiboError(
            _("Biên bản buổi họp đã ký và khóa: chỉ sửa kết quả kiểm điểm bằng đính chính, có ghi lý do."),
            field="amendment_reason",
        )
    if locked and actor is None:
        raise ChiboError(_("Đính chính phải ghi người đính chính."))
    texts = {
        "comment": (comment or "").strip(),
        "cause": (cause or "").strip(),
        "support_measure": (support_measure or "").strip(),
        "reminder": (reminder or "").strip(),
    }
    _check_review(assignment, outcome, evaluation, texts)
    before = _snapshot(existing) if existing is not None else None
    review = existing or TaskReview(assignment=assignment, meeting=meeting)
    review.outcome, review.evaluation = outcome, evaluation  # type: ignore[assignment]
    for name, value in texts.items():
        setattr(review, name, value)
    review.reviewed_by = actor
    if review.is_unfinished:
        review.carried_to = _carry_over(actor, assignment, meeting, carry_over_due_on)
    elif existing is not None and existing.carried_to_id:
        _uncarry(existing)
        review.carried_to = None
    review.save()
    if locked:
        assert actor is not None
        ReviewAmendment.objects.create(
            review=review, before=before or {}, after=_snapshot(review), reason=amendment_reason, author=actor
        )
    return review


# --- overdue reminders (Celery beat, chibo.tasks.remind_overdue) ---------------------------------------------


def _reminder_text(assignment: TaskAssignment, day: date) -> str:
    late = (day - assignment.task.due_on).days
    text = _(
        "Nhắc việc: nhiệm vụ “%(task)s” đã quá hạn %(n)s ngày (hạn %(due)s). Đồng chí báo cáo tiến độ trước kỳ họp tới."
    ) % {
        "task": assignment.task.description.strip()[:120],
        "n": late,
        "due": _fmt(assignment.task.due_on),
    }
    return text[:255]


def overdue_reminders_send(*, day: date | None = None) -> int:
    """Remind every member whose task is past due, not reported done and not yet reviewed; again each
    `task_reminder_every_days` of the task's meeting's rule set while it stays so. Idempotent within a day;
    returns how many were new."""
    day = day or today()
    last = TaskReminder.objects.filter(assignment=OuterRef("pk")).order_by("-sent_on").values("sent_on")[:1]
    due = (
        TaskAssignment.objects.filter(open_assignments(), task__due_on__lt=day, member__left_on__isnull=True)
        .annotate(last_sent=Subquery(last), every=F("task__meeting__ruleset__task_reminder_every_days"))
        .select_related("task", "member")
    )
    new = [
        TaskReminder(assignment=a, sent_on=day, text=_reminder_text(a, day))
        for a in due
        if a.last_sent is None or a.last_sent <= day - timedelta(days=a.every)  # type: ignore[attr-defined]
    ]
    TaskReminder.objects.bulk_create(new, ignore_conflicts=True)
    _deliver(day)
    return len(new)


def _deliver(day: date) -> None:
    """The day's reminders go out the way every notice does (chibo.notices: the member's inbox, then email and
    SMS where they have them, each channel claimed and released on failure): one notice per reminder, ever."""
    from chibo.notices.models import Notice
    from chibo.notices.services import member_recipient, topic_notices_send

    for reminder in TaskReminder.objects.filter(sent_on=day).select_related("assignment__member__user"):
        topic_notices_send(
            kind=Notice.Kind.TASK,
            topic=f"task:{reminder.pk}",
            recipients=[member_recipient(reminder.assignment.member)],
            subject=reminder.text,
            body=reminder.text,
        )
