"""The calendar around meetings (C4): who is invited besides the cell's members, each change of date or
cancellation with its reason, and each member's secret iCalendar link. The meeting itself is
`chibo.meetings.models.Meeting`."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.members.models import Member


class MeetingGuest(models.Model):
    """An invited guest (khách mời): a cadre from above, a mass organization, a resident's representative."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invited_guests")
    name = models.CharField(_("họ và tên"), max_length=120)
    affiliation = models.CharField(_("chức vụ, đơn vị"), max_length=200, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # A guest with an account also sees the notice in the app.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), null=True, blank=True, on_delete=models.SET_NULL
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khách mời")
        verbose_name_plural = _("khách mời")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(email="", phone="", user__isnull=True), name="guest_has_a_contact"),
        ]

    def __str__(self) -> str:
        return self.name


class ScheduleChange(models.Model):
    """A planned meeting moved or cancelled, with the reason the members are told."""

    class Kind(models.TextChoices):
        RESCHEDULE = "reschedule", _("Dời lịch")
        CANCEL = "cancel", _("Hủy")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="schedule_changes")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    old_date = models.DateField(_("ngày cũ"))
    old_time = models.TimeField(_("giờ cũ"))
    old_place = models.CharField(_("địa điểm cũ"), max_length=255, blank=True)
    new_date = models.DateField(_("ngày mới"), null=True, blank=True)
    new_time = models.TimeField(_("giờ mới"), null=True, blank=True)
    new_place = models.CharField(_("địa điểm mới"), max_length=255, blank=True)
    reason = models.CharField(_("lý do"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi lịch")
        verbose_name_plural = _("thay đổi lịch")
        ordering = ["meeting_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting} — {self.reason}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A member's iCalendar link. Whoever holds the token reads that member's meetings, so it can be
    replaced at any time; the old link stops working at once."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch iCalendar")
        verbose_name_plural = _("lịch iCalendar")

    def __str__(self) -> str:
        return f"iCalendar {self.member}"
