"""The quality score of a meeting (C14): proposed from the record after the close, with every criterion's
points and the evidence behind it; changed by the cell committee only with a written reason; voted by the
members; confirmed by the cadre who attended from above; locked with the minutes, after which a change is
an amendment (who, when, why, before and after).

A score keeps the rule-set version and the scheme it was computed under (a copy), so later rules never
move it. The scheme and its checks: chibo.rules.scoring and chibo.quality.checks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.rules.models import RuleSetVersion


class Level(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Kém")


# Best first; a level "at least X" is any level up to X in this order.
LEVEL_ORDER = (Level.GOOD, Level.FAIR, Level.AVERAGE, Level.POOR)


class MeetingScore(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="score")
    ruleset = models.ForeignKey(RuleSetVersion, verbose_name=_("bộ quy định"), on_delete=models.PROTECT)
    scheme = models.JSONField(_("cách chấm điểm"))
    total = models.PositiveSmallIntegerField(_("tổng điểm"))
    max_total = models.PositiveSmallIntegerField(_("điểm tối đa"))
    level = models.CharField(_("xếp loại"), max_length=8, choices=Level.choices)
    proposed_at = models.DateTimeField(_("đề xuất lúc"))
    # The members' vote on the score (biểu quyết kết quả chấm điểm).
    votes_for = models.PositiveSmallIntegerField(_("tán thành"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("không tán thành"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("không biểu quyết"), null=True, blank=True)
    voted_at = models.DateTimeField(_("biểu quyết lúc"), null=True, blank=True)
    vote_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The cadre who attended from above and confirmed the score.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cấp trên xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by_name = models.CharField(_("người xác nhận"), max_length=160, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả chấm điểm buổi sinh hoạt")
        verbose_name_plural = _("kết quả chấm điểm buổi sinh hoạt")
        constraints = [
            models.CheckConstraint(condition=Q(total__lte=models.F("max_total")), name="score_total_within_max"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="score_confirmed_by_someone",
            ),
        ]
        indexes = [
            # Serves a cell's level for a quarter or a year: its meetings' scores by date.
            models.Index(fields=["level"], name="score_level"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.total}/{self.max_total} ({self.get_level_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_voted(self) -> bool:
        return self.voted_at is not None

    @property
    def state(self) -> str:
        """proposed → voted → confirmed; locked once the minutes are (the API's confirmation state)."""
        if self.is_locked:
            return "locked"
        if self.is_confirmed:
            return "confirmed"
        return "voted" if self.is_voted else "proposed"


class ScoreItem(models.Model):
    """One criterion of the scheme: its points as measured from the record, the points given (equal unless
    the committee changed them, with its written reason), and the evidence, linked to the record."""

    score = models.ForeignKey(MeetingScore, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    group = models.CharField(max_length=40)
    group_label = models.CharField(max_length=80)
    label = models.CharField(_("tiêu chí"), max_length=160)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"))
    measured_points = models.PositiveSmallIntegerField(_("điểm theo hồ sơ"))
    points = models.PositiveSmallIntegerField(_("điểm"))
    met = models.BooleanField(_("đạt"))
    evidence = models.TextField(_("căn cứ"))
    evidence_url = models.CharField(max_length=255, blank=True)
    reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")
        ordering = ["score_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["score", "key"], name="score_item_once"),
            models.CheckConstraint(condition=Q(points__lte=models.F("max_points")), name="score_item_within_max"),
            # A change from what the record measured always carries its reason.
            models.CheckConstraint(
                condition=Q(points=models.F("measured_points")) | ~Q(reason=""), name="score_item_change_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.points}/{self.max_points}"

    @property
    def adjusted(self) -> bool:
        return self.points != self.measured_points

    @property
    def full(self) -> bool:
        return self.points == self.max_points


class ScoreAmendment(models.Model):
    """A change to a criterion after the score locked with the minutes (đính chính)."""

    score = models.ForeignKey(MeetingScore, on_delete=models.PROTECT, related_name="amendments")
    key = models.CharField(max_length=40)
    label = models.CharField(_("tiêu chí"), max_length=160)
    before = models.PositiveSmallIntegerField(_("trước"))
    after = models.PositiveSmallIntegerField(_("sau"))
    reason = models.TextField(_("lý do"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người đính chính"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đính chính kết quả chấm điểm")
        verbose_name_plural = _("đính chính kết quả chấm điểm")
        ordering = ["score_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.before} → {self.after}"
