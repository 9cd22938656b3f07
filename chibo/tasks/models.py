"""From resolution to member (C8): the tasks a meeting's resolution gives named members, what they report,
and how the next meeting reviews them.

A Task belongs to the meeting whose resolution gave it (its cell kept beside it for scope and lists) and
is shared by one or more assignees; each assignee has a TaskAssignment, because the cell evaluates each
member on their own (the article: "chi ủy đánh giá việc thực hiện nhiệm vụ của từng đảng viên").

- The member reports progress (ProgressReport; the latest status kept on the assignment for lists).
- At a later meeting the cell reviews the assignment once (TaskReview): the outcome and the evaluation:
  done well → commended (biểu dương); not done → the cause, the support measure and a reminder (nhắc
  nhở) recorded. An unfinished assignment carries over into the reviewing meeting's resolution as a new
  Task linked to the original (`carried_from`).
- After the reviewing meeting's minutes are locked, a review changes only as an amendment
  (ReviewAmendment: who, when, why, before and after).
- Overdue assignments are reminded (TaskReminder), at most once a week each.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization


class Task(models.Model):
    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="tasks")
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("buổi sinh hoạt giao nhiệm vụ"), on_delete=models.PROTECT, related_name="tasks"
    )
    description = models.TextField(_("nội dung nhiệm vụ"))
    due_on = models.DateField(_("hạn hoàn thành"))
    # The unfinished task this one carries over (chuyển tiếp) from an earlier resolution.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("chuyển tiếp từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["meeting_id", "id"]
        constraints = [
            # A task carries over once into a given meeting; later assignees join that same task.
            models.UniqueConstraint(
                fields=["carried_from", "meeting"],
                condition=Q(carried_from__isnull=False),
                name="task_carried_once_per_meeting",
            ),
        ]
        indexes = [
            # Serves a cell's open and overdue tasks (the review list, dashboards' "overdue tasks").
            models.Index(fields=["org", "due_on"], name="task_org_due"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])


class TaskAssignment(models.Model):
    """One member's share of a task, with the status they last reported."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa báo cáo")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="task_assignments"
    )
    status = models.CharField(_("tiến độ"), max_length=12, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    last_note = models.TextField(_("báo cáo gần nhất"), blank=True)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        verbose_name_plural = _("phân công nhiệm vụ")
        ordering = ["task_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "member"], name="assignment_once_per_member"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="assignment_done_dated"
            ),
        ]
        indexes = [
            # Serves "my tasks", a member's load (open tasks) and a member's record (C9).
            models.Index(fields=["member", "status"], name="assignment_member_status"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.task}"


class ProgressReport(models.Model):
    """What the member (or the committee on their behalf) reported before the next meeting."""

    assignment = models.ForeignKey(TaskAssignment, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("tiến độ"), max_length=12, choices=TaskAssignment.Status.choices)
    note = models.TextField(_("kết quả, khó khăn"), blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["assignment_id", "reported_at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.get_status_display()}"


class TaskReview(models.Model):
    """The cell's review of one assignment at a later meeting (kiểm điểm việc thực hiện nhiệm vụ)."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Hoàn thành đúng hạn")
        DONE_LATE = "done_late", _("Hoàn thành nhưng chậm")
        UNFINISHED = "unfinished", _("Đang thực hiện, chưa xong")
        NOT_DONE = "not_done", _("Không thực hiện")

    class Evaluation(models.TextChoices):
        COMMENDED = "commended", _("Biểu dương")
        ACCEPTED = "accepted", _("Đạt yêu cầu")
        REMINDED = "reminded", _("Nhắc nhở")

    UNFINISHED_OUTCOMES = (Outcome.UNFINISHED, Outcome.NOT_DONE)

    assignment = models.OneToOneField(TaskAssignment, on_delete=models.CASCADE, related_name="review")
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("kiểm điểm tại buổi họp"), on_delete=models.PROTECT, related_name="task_reviews"
    )
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices)
    evaluation = models.CharField(_("đánh giá của chi bộ"), max_length=12, choices=Evaluation.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    cause = models.TextField(_("nguyên nhân"), blank=True)
    support_measure = models.TextField(_("biện pháp giúp đỡ"), blank=True)
    reminder = models.TextField(_("nội dung nhắc nhở"), blank=True)
    # The task it was carried over into, when unfinished.
    carried_to = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chuyển tiếp sang")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kiểm điểm nhiệm vụ")
        verbose_name_plural = _("kiểm điểm nhiệm vụ")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(evaluation="commended") | Q(outcome="done"), name="review_commend_only_done_well"
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["unfinished", "not_done"])
                | (Q(evaluation="reminded") & ~Q(cause="") & ~Q(support_measure="")),
                name="review_unfinished_has_cause_and_support",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.get_outcome_display()}"

    @property
    def is_unfinished(self) -> bool:
        return self.outcome in self.UNFINISHED_OUTCOMES


def assignment_outcome_counts() -> dict[str, Count]:
    """A group of task assignments counted by how their review judged them, for `.annotate(**…)`: the one
    count the member's record (chibo.tasks.record) and the year-end evidence (chibo.reviews) both read."""
    out, judged = TaskReview.Outcome, TaskReview.Evaluation
    return {
        "tasks": Count("pk"),
        "done": Count("pk", filter=Q(review__outcome=out.DONE)),
        "late": Count("pk", filter=Q(review__outcome=out.DONE_LATE)),
        "not_done": Count("pk", filter=Q(review__outcome__in=TaskReview.UNFINISHED_OUTCOMES)),
        "open": Count("pk", filter=Q(review__isnull=True)),
        "commended": Count("pk", filter=Q(review__evaluation=judged.COMMENDED)),
        "reminded": Count("pk", filter=Q(review__evaluation=judged.REMINDED)),
    }


class ReviewAmendment(models.Model):
    """A change to a review after the reviewing meeting's minutes were locked (đính chính)."""

    review = models.ForeignKey(TaskReview, on_delete=models.PROTECT, related_name="amendments")
    before = models.JSONField(_("trước khi đính chính"))
    after = models.JSONField(_("sau khi đính chính"))
    reason = models.TextField(_("lý do"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đính chính kiểm điểm")
        verbose_name_plural = _("đính chính kiểm điểm")
        ordering = ["review_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.review} ({self.created_at:%d/%m/%Y})"


class TaskReminder(models.Model):
    """An overdue assignment reminded on a day; it reaches the member as a notice (chibo.notices: in the app,
    by email and SMS where they have them)."""

    assignment = models.ForeignKey(TaskAssignment, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(_("ngày nhắc"))
    text = models.CharField(_("nội dung"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc việc quá hạn")
        verbose_name_plural = _("nhắc việc quá hạn")
        ordering = ["-sent_on", "-id"]
        constraints = [
            # The periodic task may run any number of times a day: one reminder a day at most.
            models.UniqueConstraint(fields=["assignment", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return self.text
