"""Notices of meetings (C4): one row per recipient and event, read in the app's inbox and delivered by
email and SMS. The unique key makes every send idempotent: a task retried, run twice or raced by the
periodic reminder never gives anyone the same notice twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.members.models import Member


class Notice(models.Model):
    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Thông báo lịch sinh hoạt")
        CHANGED = "changed", _("Thay đổi lịch sinh hoạt")
        CANCELLED = "cancelled", _("Hủy buổi sinh hoạt")
        REMINDER = "reminder", _("Nhắc lịch sinh hoạt")
        # Not about one meeting (meeting is empty; `topic` keys them): chibo.supervision and chibo.directives.
        SUPERVISION = "supervision", _("Nhắc dự sinh hoạt chi bộ")
        DIRECTIVE = "directive", _("Nhắc quán triệt văn bản cấp trên")
        FOLLOW_UP = "follow_up", _("Nhắc theo dõi hộ dân")  # chibo.households' liaison log
        TASK = "task", _("Nhắc việc quá hạn")  # chibo.tasks' overdue reminders

    class Audience(models.TextChoices):
        MEMBER = "member", _("Đảng viên")
        GUEST = "guest", _("Khách mời")
        SUPERVISOR = "supervisor", _("Cấp ủy viên phụ trách, cán bộ dự sinh hoạt")

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    # What a notice without a meeting is about, for its uniqueness ("gap:<cell>:<quarter>", "directive:<target>").
    topic = models.CharField(max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    # 0 for the first invitation and reminders of the original schedule; the ScheduleChange id after a change.
    revision = models.PositiveIntegerField(default=0)
    # "m<member id>", "g<guest id>" or "u<user id>": who, for the uniqueness of a notice.
    recipient_key = models.CharField(max_length=24)
    audience = models.CharField(_("người nhận"), max_length=12, choices=Audience.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    guest = models.ForeignKey(
        "scheduling.MeetingGuest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    # Where it was delivered, as it was when sent.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    sms_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "revision", "recipient_key"], name="notice_once_per_recipient"
            ),
            models.UniqueConstraint(
                fields=["kind", "topic", "recipient_key"],
                condition=Q(meeting__isnull=True),
                name="notice_topic_once_per_recipient",
            ),
        ]
        indexes = [
            # Serves the inbox of a user and its unread count.
            models.Index(fields=["user", "read_at"], name="notice_user_unread"),
            # Serves the inbox of a member whose account came after the notice.
            models.Index(fields=["member", "read_at"], name="notice_member_unread"),
        ]

    def __str__(self) -> str:
        return self.subject
