"""Reads of tasks worth naming: scope, the review list of a meeting, a member's tasks, and the lines the
minutes and the resolution print (hooks for chibo.documents)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.accounts.scope import AnyUser, Perm, has_perm_on, orgs_with
from chibo.meetings.models import Meeting
from chibo.members.models import Exemption, Member
from chibo.members.selectors import vietnamese_order
from chibo.tasks.models import Task, TaskAssignment, TaskReview

# --- scope -------------------------------------------------------------------------------------------


def tasks_with(user: AnyUser, perm: Perm = Perm.ATTEND_MEETINGS) -> QuerySet[Task]:
    """Tasks of the cells whose meetings the user may see (the resolution is read to every member)."""
    return Task.objects.filter(org__in=orgs_with(user, perm))


def get_task_for_user(user: AnyUser, pk: int | str, perm: Perm = Perm.ATTEND_MEETINGS) -> Task:
    try:
        return tasks_with(user, perm).select_related("org", "meeting", "carried_from").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_report(user: AnyUser, assignment: TaskAssignment) -> bool:
    """The assignee reports on their own task; the cell committee and officers may record it for them."""
    own = getattr(user, "member_id", None)
    return (own is not None and own == assignment.member_id) or has_perm_on(
        user, assignment.task.org, Perm.RUN_MEETINGS
    )


def get_assignment_to_report(user: AnyUser, task_pk: int | str, member_pk: int | str | None) -> TaskAssignment:
    """The assignment the user reports on: 404 outside scope, 403 for someone who sees the task but may not
    report on it. Without `member_pk`, the user's own assignment."""
    task = get_task_for_user(user, task_pk)
    wanted = member_pk if member_pk not in (None, "") else getattr(user, "member_id", None)
    assignment = (
        TaskAssignment.objects.filter(task=task, member_id=wanted).select_related("task", "member").first()
        if wanted
        else None
    )
    if assignment is None:
        if has_perm_on(user, task.org, Perm.RUN_MEETINGS):
            raise Http404
        raise PermissionDenied(_("Đồng chí không được giao nhiệm vụ này."))
    if not may_report(user, assignment):
        raise PermissionDenied(_("Chỉ đảng viên được giao hoặc chi ủy mới báo cáo tiến độ."))
    assignment.task = task
    return assignment


# --- dates and locks -----------------------------------------------------------------------------------


def held_on(meeting: Meeting) -> date:
    """The day the meeting was held (opened), else the day it is planned for."""
    return timezone.localdate(meeting.started_at) if meeting.started_at else meeting.scheduled_date


def record_locked(meeting: Meeting) -> bool:
    """The meeting's record may no longer change: its minutes are signed by all and locked (C7)."""
    return meeting.minutes_locked


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The cell's last meeting held before this one (the one whose resolution this one reviews)."""
    return (
        Meeting.objects.filter(org_id=meeting.org_id, status=Meeting.Status.CLOSED)
        .filter(
            Q(scheduled_date__lt=meeting.scheduled_date)
            | Q(scheduled_date=meeting.scheduled_date, scheduled_time__lt=meeting.scheduled_time)
        )
        .exclude(pk=meeting.pk)
        .order_by("-scheduled_date", "-scheduled_time", "-pk")
        .first()
    )


def exempt_now(day: date) -> Exists:
    """Annotation: the member is exempt (from work, or work and meetings) on `day`."""
    return Exists(
        Exemption.objects.filter(member=OuterRef("pk"), started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )
    )


def open_assignments(prefix: str = "") -> Q:
    """An assignment still on the member's plate: not reported done, not yet reviewed."""
    return Q(**{f"{prefix}review__isnull": True}) & ~Q(**{f"{prefix}status": TaskAssignment.Status.DONE})


# --- lists ---------------------------------------------------------------------------------------------


def _with_parts(qs: QuerySet[TaskAssignment]) -> QuerySet[TaskAssignment]:
    return qs.select_related("task", "task__meeting", "member", "review", "review__meeting", "review__carried_to")


def review_list(meeting: Meeting) -> QuerySet[TaskAssignment]:
    """What the meeting's "review of last month" lists, automatically: every assignment of the previous
    meeting's resolution, every earlier one still unreviewed and due by this meeting's day, and those
    already reviewed here. Three queries at most, whatever the history (one for the previous meeting)."""
    prev = previous_meeting(meeting)
    earlier = Q(task__org_id=meeting.org_id) & (
        Q(task__meeting__scheduled_date__lt=meeting.scheduled_date) & ~Q(task__meeting_id=meeting.pk)
    )
    waiting = Q(review__isnull=True) & (
        Q(task__due_on__lte=held_on(meeting)) | Q(task__meeting_id=getattr(prev, "pk", None))
    )
    qs = TaskAssignment.objects.filter((earlier & waiting) | Q(review__meeting_id=meeting.pk))
    return _with_parts(qs).order_by("task__meeting__scheduled_date", "task_id", *vietnamese_order("member__"))


def tasks_of_meeting(meeting: Meeting) -> QuerySet[Task]:
    """The tasks the meeting's resolution gives, with their assignees (two queries)."""
    return (
        Task.objects.filter(meeting=meeting)
        .select_related("carried_from")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("member", "review").order_by(
                    *vietnamese_order("member__")
                ),
            )
        )
        .order_by("pk")
    )


def my_tasks(member_id: int | None) -> QuerySet[TaskAssignment]:
    """ "My tasks", the one list the page and the API read: open ones first by due date, then those reviewed,
    newest review first."""
    if member_id is None:
        return TaskAssignment.objects.none()
    is_open = Q(review__isnull=True)
    return _with_parts(TaskAssignment.objects.filter(member_id=member_id)).order_by(
        Case(When(is_open, then=Value(0)), default=Value(1)),
        Case(When(is_open, then=F("task__due_on"))).asc(nulls_last=True),
        F("review__meeting__scheduled_date").desc(nulls_last=True),
        Case(When(is_open, then=F("pk")), default=-F("pk")),
    )


def my_open_and_recent(member: Member) -> tuple[QuerySet[TaskAssignment], QuerySet[TaskAssignment]]:
    """ "My tasks" split for the page: the open ones and those reviewed, in my_tasks' order."""
    mine = my_tasks(member.pk)
    return mine.filter(review__isnull=True), mine.filter(review__isnull=False)


def review_counts(meeting: Meeting) -> dict[str, int]:
    """Counts of the review list by outcome and evaluation, in one query."""
    return review_list(meeting).aggregate(
        total=Count("pk"),
        reviewed=Count("pk", filter=Q(review__meeting_id=meeting.pk)),
        commended=Count("pk", filter=Q(review__evaluation=TaskReview.Evaluation.COMMENDED)),
        reminded=Count("pk", filter=Q(review__evaluation=TaskReview.Evaluation.REMINDED)),
        unfinished=Count("pk", filter=Q(review__outcome__in=TaskReview.UNFINISHED_OUTCOMES)),
    )


# --- for the minutes and the resolution (C7; called by chibo.documents.compose) -------------------------


def _name(member: Member) -> str:
    return f"đồng chí {member.full_name}"


_OUTCOME_WORDS: dict[str, str] = {
    TaskReview.Outcome.DONE: "đã hoàn thành đúng hạn",
    TaskReview.Outcome.DONE_LATE: "đã hoàn thành nhưng chậm",
    TaskReview.Outcome.UNFINISHED: "đang thực hiện, chưa xong",
    TaskReview.Outcome.NOT_DONE: "không thực hiện",
}
_EVALUATION_WORDS: dict[str, str] = {
    TaskReview.Evaluation.COMMENDED: "được biểu dương",
    TaskReview.Evaluation.ACCEPTED: "đạt yêu cầu",
    TaskReview.Evaluation.REMINDED: "bị nhắc nhở",
}


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text}." if text else ""


def _task_review_sentence(shares: list[TaskAssignment]) -> str:
    """One task, once, in full sentences: what it was and its deadline, then each member's share."""
    task = shares[0].task
    parts = [f"- Nhiệm vụ “{task.description.strip().rstrip('.')}” (hạn {task.due_on:%d/%m/%Y}):"]
    for a in shares:
        r = a.review
        words = f"Đồng chí {a.member.full_name} {_OUTCOME_WORDS.get(r.outcome, r.get_outcome_display().lower())}"
        words += f", {_EVALUATION_WORDS.get(r.evaluation, r.get_evaluation_display().lower())}."
        if r.comment.strip():
            words += f" {_sentence(r.comment)}"
        if r.is_unfinished:
            words += f" Nguyên nhân: {_sentence(r.cause)} Biện pháp giúp đỡ: {_sentence(r.support_measure)}"
            if r.reminder.strip():
                words += f" Nhắc nhở: {_sentence(r.reminder)}"
            if r.carried_to_id:
                words += f" Nhiệm vụ chuyển tiếp sang nghị quyết kỳ này, hạn {r.carried_to.due_on:%d/%m/%Y}."  # type: ignore[union-attr]
        parts.append(words)
    return " ".join(parts)


def minutes_review_lines(meeting: Meeting) -> list[str]:
    """The review of last month's tasks as the minutes print it: a summary, then each task once, in full
    sentences, with each assignee's outcome and evaluation; cause, support measure and reminder for what
    was not done; where an unfinished task went. Empty when nothing was reviewed. A fixed number of
    queries."""
    reviewed = [a for a in review_list(meeting) if getattr(a, "review", None) and a.review.meeting_id == meeting.pk]
    if not reviewed:
        return []
    commended = sum(1 for a in reviewed if a.review.evaluation == TaskReview.Evaluation.COMMENDED)
    reminded = sum(1 for a in reviewed if a.review.evaluation == TaskReview.Evaluation.REMINDED)
    done = sum(1 for a in reviewed if a.review.outcome in (TaskReview.Outcome.DONE, TaskReview.Outcome.DONE_LATE))
    lines = [
        f"Kiểm điểm {len(reviewed)} phần việc được giao tại nghị quyết kỳ trước: hoàn thành {done}, "
        f"chưa hoàn thành {len(reviewed) - done}; biểu dương {commended}, nhắc nhở {reminded}."
    ]
    by_task: dict[int, list[TaskAssignment]] = {}
    for a in reviewed:
        by_task.setdefault(a.task_id, []).append(a)
    for shares in by_task.values():
        lines.append(_task_review_sentence(shares))
    return lines


def resolution_task_lines(meeting: Meeting) -> list[str]:
    """The concrete tasks the resolution assigns, one clause each: "<task>: đồng chí A, đồng chí B; hạn
    dd/mm/yyyy" (carried-over tasks say so). Two queries."""
    lines = []
    for task in tasks_of_meeting(meeting):
        who = ", ".join(_name(a.member) for a in task.assignments.all())
        carried = " (chuyển tiếp từ kỳ trước)" if task.carried_from_id else ""
        lines.append(f"{task.description.strip()}{carried}: {who}; hạn hoàn thành {task.due_on:%d/%m/%Y}.")
    return lines
