"""C10: each member's yearly commitments to follow Hồ Chí Minh's example (đăng ký học tập và làm theo tư
tưởng, đạo đức, phong cách Hồ Chí Minh): registered at the start of the year, progress noted during it,
reviewed by the cell committee at the year's end (an evaluation level and a comment)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.organizations.models import Organization


class Commitment(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã đăng ký")
        REVIEWED = "reviewed", _("Đã đánh giá")

    class Level(models.TextChoices):
        EXCELLENT = "excellent", _("Thực hiện tốt")
        GOOD = "good", _("Thực hiện khá")
        FAIR = "fair", _("Thực hiện đạt")
        POOR = "poor", _("Chưa đạt")

    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="commitments"
    )
    # The cell the member registered in (the summary counts by it).
    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    # The concrete commitments, one a line.
    content = models.TextField(_("nội dung đăng ký"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    level = models.CharField(_("mức đánh giá"), max_length=10, choices=Level.choices, blank=True)
    review_comment = models.TextField(_("nhận xét của chi ủy"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản đăng ký làm theo Bác")
        verbose_name_plural = _("bản đăng ký làm theo Bác")
        ordering = ["-year", "member__name_sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="commitment_once_a_year"),
            models.CheckConstraint(
                condition=Q(status="registered", level="") | Q(status="reviewed") & ~Q(level=""),
                name="commitment_level_when_reviewed",
            ),
        ]
        indexes = [
            # Serves the cell's summary of a year.
            models.Index(fields=["org", "year"], name="commitment_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", args=[self.pk])

    @property
    def items(self) -> list[str]:
        return [line.strip() for line in self.content.splitlines() if line.strip()]

    @property
    def is_reviewed(self) -> bool:
        return self.status == self.Status.REVIEWED


class ProgressNote(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("kết quả thực hiện"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi nhận tiến độ")
        verbose_name_plural = _("ghi nhận tiến độ")
        ordering = ["commitment_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
