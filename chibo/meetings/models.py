"""Cell meetings (C4–C7). This module starts with the meeting itself; what is recorded during a meeting
(attendance, speaking turns, votes, documents) hangs off it.

A regular meeting (sinh hoạt thường kỳ) is one per cell per month; thematic (chuyên đề) at least once a
quarter and never instead of the monthly one; extraordinary (bất thường) whenever needed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Sinh hoạt thường kỳ")
        THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
        EXTRAORDINARY = "extraordinary", _("Sinh hoạt bất thường")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên lịch")
        OPEN = "open", _("Đang họp")
        CLOSED = "closed", _("Đã kết thúc")
        CANCELLED = "cancelled", _("Đã hủy")

    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    # The month a regular meeting belongs to (first day of the month); a meeting moved by a holiday to
    # the next month still belongs to its own month.
    period = models.DateField(_("tháng"), null=True, blank=True)
    # A regular meeting that also holds the quarter's thematic session (longer minimum duration).
    with_thematic = models.BooleanField(_("kết hợp sinh hoạt chuyên đề"), default=False)
    thematic_topic = models.CharField(_("chủ đề chuyên đề"), max_length=255, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    scheduled_date = models.DateField(_("ngày họp"))
    scheduled_time = models.TimeField(_("giờ họp"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    # The rules the meeting is held and scored under, fixed when it is planned (C20).
    ruleset = models.ForeignKey(RuleSetVersion, verbose_name=_("bộ quy định"), on_delete=models.PROTECT)

    chair = models.ForeignKey(
        Member, verbose_name=_("chủ trì"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorder = models.ForeignKey(
        Member, verbose_name=_("thư ký"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    cancelled_reason = models.CharField(_("lý do hủy"), max_length=255, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["-scheduled_date", "-scheduled_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "period"],
                condition=Q(kind="regular") & ~Q(status="cancelled"),
                name="meeting_one_regular_per_month",
            ),
            models.CheckConstraint(
                condition=~Q(kind="regular") | Q(period__isnull=False), name="meeting_regular_has_period"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False, ended_at__gte=models.F("started_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [
            # Serves the calendar: a committee's cells' meetings in a date range.
            models.Index(fields=["org", "scheduled_date"], name="meeting_org_date"),
            models.Index(fields=["scheduled_date", "status"], name="meeting_date_status"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.scheduled_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def min_duration_minutes(self) -> int:
        if self.kind == self.Kind.THEMATIC or self.with_thematic:
            return self.ruleset.min_duration_thematic_minutes
        return self.ruleset.min_duration_minutes
