"""Audit and personal data (C19).

Who changed what is django-auditlog's `LogEntry` (registered in `AuditConfig.ready()`); this app adds
who *looked at* a member's personal record or exported a list (`AccessLog`), and an index from a
member to every change of their record and history (`MemberChange`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One reading of personal data: a member's record viewed, a list exported, one's own data downloaded."""

    class Action(models.TextChoices):
        VIEW = "view", _("Xem hồ sơ")
        API_VIEW = "api_view", _("Xem hồ sơ qua API")
        EXPORT = "export", _("Xuất danh sách")
        HISTORY = "history", _("Xem lịch sử thay đổi")
        OWN_DATA = "own_data", _("Tải dữ liệu của mình")

    at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)  # the retention purge's range
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("đảng viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The node whose data it was (the member's cell then, the exported list's node): scopes who sees the row.
    org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=12, choices=Action.choices)
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [
            # Serves "who viewed this member's record", newest first.
            models.Index(fields=["member", "-at"], name="accesslog_member_at"),
            # Serves the access log of a subtree (joined on org path), newest first.
            models.Index(fields=["org", "-at"], name="accesslog_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_action_display()} — {self.member or self.detail}"


class MemberChange(models.Model):
    """Links a change-history entry to the member it concerns (their record, rolls, positions, exemptions).

    auditlog keys an entry by the changed row; a member's history spans four tables, so this index lets
    one query answer "what changed about this member". `member_id` is a plain column, not a foreign key:
    the history outlives a deleted member.
    """

    log_entry = models.OneToOneField("auditlog.LogEntry", on_delete=models.CASCADE, related_name="member_change")
    member_id = models.BigIntegerField(db_index=True)  # serves a member's change history

    class Meta:
        verbose_name = _("thay đổi hồ sơ đảng viên")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.log_entry_id}"
