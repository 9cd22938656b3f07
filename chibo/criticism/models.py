"""Criticism and self-criticism (phê bình, tự phê bình) recorded at a meeting, with what the member
committed to and its follow-up at later meetings.

Sensitive: seen by the cell committee and above only (Perm.SEE_SENSITIVE), never by plain members, not
even the member concerned; outside that scope every page and API answer is 404.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting, SpeakingTurn
from chibo.members.models import Member
from chibo.organizations.models import Organization


class CriticismRecord(models.Model):
    class Kind(models.TextChoices):
        CRITICISM = "criticism", _("Phê bình")
        SELF_CRITICISM = "self_criticism", _("Tự phê bình")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang theo dõi")
        RESOLVED = "resolved", _("Đã khắc phục")

    # The meeting's cell, kept here so scope reads one column.
    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("buổi sinh hoạt"), on_delete=models.PROTECT, related_name="criticism_records"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="criticism_records"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    # The turn in the list of speakers where it was said, when recorded live.
    turn = models.ForeignKey(
        SpeakingTurn,
        verbose_name=_("lượt phát biểu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content = models.TextField(_("khuyết điểm, hạn chế được nêu"))
    commitment = models.TextField(_("đảng viên hứa khắc phục"))
    fix_by = models.DateField(_("hạn khắc phục"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phê bình, tự phê bình")
        verbose_name_plural = _("phê bình, tự phê bình")
        ordering = ["-meeting__scheduled_date", "-pk"]
        indexes = [
            # Serves the cell's list (open records first) and a member's record (C9).
            models.Index(fields=["org", "status"], name="criticism_org_status"),
            models.Index(fields=["member", "meeting"], name="criticism_member"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"

    def get_absolute_url(self) -> str:
        return reverse("criticism:detail", args=[self.pk])


class FollowUp(models.Model):
    """At a later meeting: has the member kept what they committed to?"""

    class Progress(models.TextChoices):
        KEPT = "kept", _("Đã khắc phục")
        PARTLY = "partly", _("Có tiến bộ, chưa khắc phục xong")
        NOT_KEPT = "not_kept", _("Chưa khắc phục")

    record = models.ForeignKey(CriticismRecord, on_delete=models.CASCADE, related_name="follow_ups")
    meeting = models.ForeignKey(Meeting, verbose_name=_("buổi sinh hoạt"), on_delete=models.PROTECT, related_name="+")
    progress = models.CharField(_("kết quả"), max_length=10, choices=Progress.choices)
    note = models.TextField(_("nhận xét của chi bộ"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theo dõi khắc phục")
        verbose_name_plural = _("theo dõi khắc phục")
        ordering = ["record_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "meeting"], name="follow_up_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.get_progress_display()}"
