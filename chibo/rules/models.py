"""Rule sets (C20): every threshold a regulation or a local committee sets, versioned and effective-dated,
attached to a node and inherited down the tree. The defaults are those of DOMAIN.md.

A version is complete (it carries every setting), so "which rules applied to this meeting" is one row,
and results keep the version they were computed under: last year's scores do not move when this year's
rules change. A node without versions of its own inherits its nearest ancestor's; the system default
(org = NULL) is the root of inheritance.
"""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.organizations.models import Organization


def default_scoring() -> dict:
    """Meeting score (C14): the Phú Thọ scheme (chibo.rules.scoring), editable per version."""
    from chibo.rules.scoring import default_scheme

    return default_scheme()


def classification_qd366() -> dict:
    """Year-end classification of members (C15) under QĐ 366-QĐ/TW (30/8/2025) and HD 43-HD/BTCTW (31/10/2025):
    100 points, HTXSNV ≥ 90 with every task on time and ≥ 30 % above requirement, HTTNV ≥ 70 with every task
    on time, HTNV ≥ 50 with every task done, KHTNV below (the last cut-off inferred, DOMAIN.md).

    `weights` turn the year's evidence into the proposed points: a starting formula of ours (local practice),
    editable per version. `above_requirement_pct`: the share of the year's tasks the cell commended
    (biểu dương), our measure of "vượt yêu cầu"."""
    return {
        "basis": "QĐ 366-QĐ/TW (30/8/2025), HD 43-HD/BTCTW (31/10/2025)",
        "cutoffs": {"excellent": 90, "good": 70, "fair": 50},
        "excellent_all_on_time": True,
        "above_requirement_pct": 30,
        "good_all_on_time": True,
        "fair_all_done": True,
        "discipline_means_not_completed": True,
        # QĐ 124 and after: not when the member found and fixed the fault themselves (recorded by the cell).
        "discipline_exception_allowed": True,
        "poor_criterion_means_not_completed": True,
        "admitted_months_before_rating": 6,
        "sick_leave_months_cap": 3,
        "weights": {"attendance": 30, "tasks": 40, "speaking": 10, "commitment": 10, "criticism": 10},
        "unexcused_penalty": 5,
        "reminder_penalty": 2,
        # Organizations' yearly points (chibo.reviews.org_rating), ours: a part without data weighs nothing.
        "org_weights": {"members": 30, "tasks": 20, "meetings": 20, "quality": 10, "supervision": 10, "directives": 10},
    }


def classification_qd124() -> dict:
    """QĐ 124-QĐ/TW (04/10/2023) with HD 25-HD/BTCTW (10/11/2023): four levels, KHTNV for any criterion "Kém"
    or a discipline in the year unless found and fixed internally. Points are ours (no national scale)."""
    return classification_qd366() | {
        "basis": "QĐ 124-QĐ/TW (04/10/2023), HD 25-HD/BTCTW (10/11/2023)",
        "above_requirement_pct": 0,
        "good_all_on_time": False,
        "fair_all_done": False,
    }


def classification_qd132() -> dict:
    """QĐ 132-QĐ/TW (08/3/2018) with HD 16 (24/9/2018) and HD 21-HD/BTCTW (18/10/2019), the 2021 review:
    HTXSNV needs "Xuất sắc" political tasks (our measure: every task on time), a discipline in the year is
    KHTNV without exception; HTTNV/HTNV conditions unconfirmed (none)."""
    return classification_qd366() | {
        "basis": "QĐ 132-QĐ/TW (08/3/2018), HD 21-HD/BTCTW (18/10/2019)",
        "above_requirement_pct": 0,
        "good_all_on_time": False,
        "fair_all_done": False,
        "discipline_exception_allowed": False,
        "poor_criterion_means_not_completed": False,
    }


def default_classification() -> dict:
    return classification_qd366()


def default_households() -> dict:
    """Who takes households (C13): members exempt from party work left out ("exclude") or given a lighter
    load ("lighter"); members of `old_age` and over take `lighter_pct` % of the upper bound; a household
    assigned outside its own hamlet counts `apart_pct` % more distance (local practice, editable)."""
    return {"exempt": "exclude", "old_age": 75, "lighter_pct": 50, "apart_pct": 5}


class RuleSetVersion(models.Model):
    class HolidayShift(models.TextChoices):
        NEXT_WORKING_DAY = "next", _("Lùi sang ngày làm việc kế tiếp")
        PREVIOUS_WORKING_DAY = "previous", _("Đưa lên ngày làm việc liền trước")
        KEEP = "keep", _("Giữ nguyên ngày")

    class VotePassRule(models.TextChoices):
        MAJORITY_OF_VOTERS = "majority_of_voters", _("Quá nửa số đảng viên chính thức phải dự họp tán thành")
        MAJORITY_OF_PRESENT = "majority_of_present", _("Quá nửa số đảng viên chính thức có mặt tán thành")
        TWO_THIRDS_OF_PRESENT = "two_thirds_of_present", _("Ít nhất hai phần ba số có mặt tán thành")

    org = models.ForeignKey(
        Organization,
        verbose_name=_("áp dụng cho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_versions",
        help_text=_("Để trống: bộ quy định mặc định của hệ thống."),
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    note = models.TextField(_("căn cứ, ghi chú"), blank=True)
    # Per setting: {"field": {"kind": "national" | "local" | "unconfirmed", "source": "..."}}, shown on the
    # rule-set page beside each figure (chibo.rules.catalogue).
    basis = models.JSONField(_("căn cứ từng chỉ tiêu"), default=dict, blank=True)

    # --- Calendar (C4) ---
    meeting_day = models.PositiveSmallIntegerField(
        _("ngày sinh hoạt cố định"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    holiday_shift = models.CharField(
        _("khi trùng ngày nghỉ, lễ"), max_length=10, choices=HolidayShift.choices, default=HolidayShift.NEXT_WORKING_DAY
    )
    default_start_time = models.TimeField(_("giờ bắt đầu mặc định"), default=time(19, 0))
    # --- Conduct (C6) ---
    min_duration_minutes = models.PositiveSmallIntegerField(_("thời lượng tối thiểu (phút)"), default=90)
    min_duration_thematic_minutes = models.PositiveSmallIntegerField(
        _("thời lượng tối thiểu khi kết hợp chuyên đề (phút)"), default=120
    )
    attendance_threshold_pct = models.PositiveSmallIntegerField(
        _("tỷ lệ dự họp tối thiểu (%)"), default=85, validators=[MaxValueValidator(100)]
    )
    speakers_threshold_pct = models.PositiveSmallIntegerField(
        _("tỷ lệ đảng viên phát biểu tối thiểu (% số có mặt)"), default=30, validators=[MaxValueValidator(100)]
    )
    notice_lead_days = models.PositiveSmallIntegerField(_("gửi thông báo, tài liệu trước (ngày)"), default=1)
    reminder_hours_before = models.PositiveSmallIntegerField(_("nhắc lịch trước (giờ)"), default=24)
    thematic_per_quarter = models.PositiveSmallIntegerField(_("số buổi chuyên đề mỗi quý"), default=1)
    vote_pass_rule = models.CharField(
        _("điều kiện thông qua nghị quyết"),
        max_length=24,
        choices=VotePassRule.choices,
        default=VotePassRule.MAJORITY_OF_VOTERS,
    )
    # --- Scoring (C14) and year-end (C15) ---
    scoring = models.JSONField(_("cách chấm điểm buổi sinh hoạt"), default=default_scoring)
    excellent_quota_enabled = models.BooleanField(_("áp dụng giới hạn tỷ lệ HTXSNV"), default=True)
    excellent_quota_pct = models.PositiveSmallIntegerField(
        _("HTXSNV tối đa (% số HTTNV)"), default=20, validators=[MaxValueValidator(100)]
    )
    rate_probationary = models.BooleanField(_("xếp loại cả đảng viên dự bị"), default=True)
    # --- Follow-up (C8) and notices (C4): local practice, once constants in code ---
    task_carry_over_min_days = models.PositiveSmallIntegerField(
        _("hạn tối thiểu khi chuyển nhiệm vụ sang tháng sau (ngày)"), default=7
    )
    task_reminder_every_days = models.PositiveSmallIntegerField(_("nhắc nhiệm vụ quá hạn mỗi (ngày)"), default=7)
    notice_horizon_days = models.PositiveSmallIntegerField(
        _("lập thông báo cho các buổi họp trong (ngày tới)"), default=31
    )
    minutes_sign_within_days = models.PositiveSmallIntegerField(
        _("biên bản ký trong vòng (ngày sau buổi họp)"), default=7
    )
    classification = models.JSONField(_("cách xếp loại cuối năm"), default=default_classification)
    # --- Dashboards and early warnings (C16): local practice, warned about, never a block ---
    dashboard_max_months = models.PositiveSmallIntegerField(
        _("kỳ xem bảng theo dõi dài nhất (tháng)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    warn_attendance_fall_months = models.PositiveSmallIntegerField(
        _("cảnh báo khi tỷ lệ dự họp giảm liên tiếp (tháng)"), default=3, validators=[MinValueValidator(2)]
    )
    warn_absent_run = models.PositiveSmallIntegerField(
        _("cảnh báo đảng viên vắng liên tiếp (buổi)"), default=3, validators=[MinValueValidator(2)]
    )
    warn_silent_months = models.PositiveSmallIntegerField(
        _("cảnh báo đảng viên không phát biểu trong (tháng)"), default=6, validators=[MinValueValidator(1)]
    )
    warn_similarity_pct = models.PositiveSmallIntegerField(
        _("cảnh báo nghị quyết trùng lặp từ (% giống nhau)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    warn_overdue_days = models.PositiveSmallIntegerField(_("cảnh báo nhiệm vụ quá hạn sau (ngày)"), default=0)
    # --- Supervision (C11) and directives (C12): local practice, warned about, never a block ---
    supervision_gap_days = models.PositiveSmallIntegerField(
        _("chi bộ không có cấp trên dự sinh hoạt quá (ngày)"), default=92
    )
    rota_max_visits_per_month = models.PositiveSmallIntegerField(_("mỗi cán bộ dự tối đa (buổi mỗi tháng)"), default=4)
    directive_reminder_days = models.PositiveSmallIntegerField(_("nhắc quán triệt văn bản trước hạn (ngày)"), default=7)
    households = models.JSONField(_("phân công phụ trách hộ dân"), default=default_households)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản bộ quy định")
        verbose_name_plural = _("bộ quy định")
        ordering = ["org_id", "-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["org", "version"], name="ruleset_version_unique"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(org__isnull=True), name="ruleset_default_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(meeting_day__gte=1, meeting_day__lte=28), name="ruleset_meeting_day_1_28"
            ),
        ]

    def __str__(self) -> str:
        where = self.org.name if self.org else _("Mặc định")
        return f"{where} — v{self.version} ({self.effective_from:%d/%m/%Y})"


# Every setting a version carries (all but its identity), in the order the pages show them.
RULE_FIELDS: tuple[str, ...] = (
    "meeting_day",
    "holiday_shift",
    "default_start_time",
    "min_duration_minutes",
    "min_duration_thematic_minutes",
    "attendance_threshold_pct",
    "speakers_threshold_pct",
    "notice_lead_days",
    "reminder_hours_before",
    "thematic_per_quarter",
    "vote_pass_rule",
    "scoring",
    "excellent_quota_enabled",
    "excellent_quota_pct",
    "rate_probationary",
    "task_carry_over_min_days",
    "task_reminder_every_days",
    "notice_horizon_days",
    "minutes_sign_within_days",
    "classification",
    "dashboard_max_months",
    "warn_attendance_fall_months",
    "warn_absent_run",
    "warn_silent_months",
    "warn_similarity_pct",
    "warn_overdue_days",
    "supervision_gap_days",
    "rota_max_visits_per_month",
    "directive_reminder_days",
    "households",
)
