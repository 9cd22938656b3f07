"""Upper-level cadres assigned to cells (C11): who follows which cell when, their remarks' follow-up, the rota.

The article: "Đảng ủy phường phân công các đồng chí trong Ban Thường vụ, Đảng ủy viên trực tiếp tham gia sinh
hoạt định kỳ ở từng chi bộ", and the town's department, Front and mass-organization leaders likewise. A
committee assigns (phân công) a cadre — one of its own members, or a leader of a department or organization
it names — to a cell for a period [valid_from, valid_to). One cadre may follow several cells and one cell may
have several cadres; periods of the same cadre and cell never overlap, and rows are never deleted, so the
history says who followed which cell when. Each assignment carries a SUPERVISOR grant at the cell for its
period (chibo.accounts.scope): that is how the cadre sees the cell and receives its notices.

Who actually attended a meeting from above is the meeting's own record (meetings.Guest, is_supervisor);
`chibo.supervision.selectors.attended_from_above` is the one function that reads it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import RoleGrant
from chibo.meetings.models import SupervisorRemark
from chibo.organizations.models import Organization


class Assignment(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Cấp ủy viên")
        LEADER = "leader", _("Lãnh đạo ban, ngành, Mặt trận, đoàn thể")

    committee = models.ForeignKey(
        Organization, verbose_name=_("cấp ủy phân công"), on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="supervision_assignments",
    )
    cell = models.ForeignKey(
        Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="supervisors_assigned"
    )
    kind = models.CharField(_("thành phần"), max_length=12, choices=Kind.choices, default=Kind.COMMITTEE)
    # "Ủy viên Ban Thường vụ, Phó Bí thư Đảng ủy phường", "Trưởng Phòng Nội vụ thị xã": printed in the minutes.
    title = models.CharField(_("chức vụ, đơn vị"), max_length=255)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    # The grant that gives the cadre sight of the cell for the period; ended with the assignment.
    grant = models.OneToOneField(
        RoleGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignment", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phân công dự sinh hoạt")
        verbose_name_plural = _("phân công dự sinh hoạt")
        ordering = ["cell_id", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [
            # Serves coverage and the rota: a committee's assignments in force in a period.
            models.Index(fields=["committee", "valid_from"], name="assignment_committee"),
            # Serves "who follows this cell" (the meeting's expected attendees from above).
            models.Index(fields=["cell", "valid_from"], name="assignment_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.cell}"


class RemarkFollowUp(models.Model):
    """Whether a remark of the cadre asks the cell to act, and the cell's answer: a reply, or a task given
    through chibo.tasks (its status then says whether it was acted on)."""

    remark = models.OneToOneField(SupervisorRemark, on_delete=models.CASCADE, related_name="follow_up")
    asks_action = models.BooleanField(_("đề nghị chi bộ thực hiện, trả lời"), default=False)
    reply = models.TextField(_("chi bộ trả lời"), blank=True)
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trả lời ý kiến chỉ đạo")
        verbose_name_plural = _("trả lời ý kiến chỉ đạo")

    def __str__(self) -> str:
        return f"{self.remark}"

    @property
    def answered(self) -> bool:
        return bool(self.reply.strip()) or self.task_id is not None


class RotaPlan(models.Model):
    """A proposed rota (lịch phân công dự sinh hoạt) for a committee's cells over a quarter, from the solver;
    the committee edits its visits and accepts it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACCEPTED = "accepted", _("Đã duyệt")

    committee = models.ForeignKey(Organization, verbose_name=_("cấp ủy"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("từ tháng"))  # the first day of the quarter's first month
    months = models.PositiveSmallIntegerField(_("số tháng"), default=3)
    max_per_month = models.PositiveSmallIntegerField(_("mỗi cán bộ tối đa (buổi/tháng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    cost = models.IntegerField(_("chi phí phương án"), null=True, blank=True)
    bound = models.IntegerField(_("cận dưới của bộ giải"), null=True, blank=True)
    solver_status = models.CharField(max_length=16, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch dự sinh hoạt")
        verbose_name_plural = _("lịch dự sinh hoạt")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.committee} — {self.starts_on:%m/%Y}"


class RotaVisit(models.Model):
    plan = models.ForeignKey(RotaPlan, on_delete=models.CASCADE, related_name="visits")
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    cell = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))  # first day of the month whose regular meeting is attended

    class Meta:
        verbose_name = _("buổi dự sinh hoạt theo lịch")
        verbose_name_plural = _("buổi dự sinh hoạt theo lịch")
        ordering = ["plan_id", "month", "cell_id", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "cadre", "cell", "month"], name="rota_visit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.cell} ({self.month:%m/%Y})"
