"""Sending notices of meetings: rows first (unique per recipient, meeting, kind and revision), then email
and SMS, each claimed by a conditional update so that two workers never deliver the same notice twice.
Calendar services call `notify_after_commit`; the Celery tasks call the rest."""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from chibo.accounts.models import User
from chibo.core.history import records_actor
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.notices.models import Notice
from chibo.notices.selectors import Recipient, meeting_recipients, notices_of
from chibo.notices.sms import get_sms_sender
from chibo.rules.models import RuleSetVersion
from chibo.scheduling.models import ScheduleChange

logger = logging.getLogger("chibo.notices")

# How far ahead the periodic task looks: the longest notice lead time a rule set allows (30 days).


def notify_after_commit(meeting: Meeting, kind: str, revision: int = 0) -> None:
    from chibo.notices.jobs import send_meeting_notices

    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_meeting_notices.delay(meeting_id, kind, revision))


def _starts_at(meeting: Meeting) -> datetime:
    return timezone.make_aware(datetime.combine(meeting.scheduled_date, meeting.scheduled_time))


def _when(meeting: Meeting) -> str:
    return f"{meeting.scheduled_time:%H:%M} ngày {meeting.scheduled_date:%d/%m/%Y}"


def _compose(meeting: Meeting, kind: str, revision: int, name: str) -> tuple[str, str]:
    what = f"{meeting.get_kind_display().lower()} {meeting.org.name}"
    where = f" tại {meeting.place}" if meeting.place else ""
    topic = f" Chủ đề: {meeting.thematic_topic}." if meeting.thematic_topic else ""
    change = ScheduleChange.objects.filter(pk=revision).first() if revision else None
    reason = f" Lý do: {change.reason}." if change else ""
    if kind == Notice.Kind.CHANGED:
        subject = f"Thay đổi lịch: {what} — {_when(meeting)}"
        old = f" (thay cho {change.old_time:%H:%M} ngày {change.old_date:%d/%m/%Y})" if change else ""
        body = f"Kính gửi đồng chí {name}: {what} chuyển sang {_when(meeting)}{where}{old}.{reason}"
    elif kind == Notice.Kind.CANCELLED:
        subject = f"Hủy {what} ngày {meeting.scheduled_date:%d/%m/%Y}"
        body = f"Kính gửi đồng chí {name}: {what} dự kiến {_when(meeting)} đã được hủy.{reason}"
    elif kind == Notice.Kind.REMINDER:
        subject = f"Nhắc lịch: {what} — {_when(meeting)}"
        body = f"Kính gửi đồng chí {name}: nhắc lịch {what} lúc {_when(meeting)}{where}.{topic}"
    else:
        subject = f"Thông báo: {what} — {_when(meeting)}"
        body = f"Kính mời đồng chí {name} dự {what} lúc {_when(meeting)}{where}.{topic}"
    return subject[:255], body


def _reminded_already(meeting: Meeting) -> set[str]:
    """Recipients told of the current schedule within the reminder window need no reminder on top."""
    window_start = _starts_at(meeting) - timedelta(hours=meeting.ruleset.reminder_hours_before)
    return set(
        Notice.objects.filter(
            meeting=meeting, kind__in=[Notice.Kind.INVITATION, Notice.Kind.CHANGED], created_at__gte=window_start
        ).values_list("recipient_key", flat=True)
    )


def meeting_notices_send(*, meeting_id: int, kind: str, revision: int = 0) -> int:
    """Create the notices of one event for everyone concerned and deliver them; returns how many were new.
    Safe to run any number of times."""
    meeting = Meeting.objects.select_related("org", "ruleset").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    if kind != Notice.Kind.CANCELLED and meeting.status != Meeting.Status.PLANNED:
        return 0  # nobody is invited to, or reminded of, a meeting cancelled or already held
    recipients = meeting_recipients(meeting)
    if kind == Notice.Kind.REMINDER:
        skip = _reminded_already(meeting)
        recipients = [r for r in recipients if r.key not in skip]
    existing = set(
        Notice.objects.filter(meeting=meeting, kind=kind, revision=revision).values_list("recipient_key", flat=True)
    )
    new = [_notice(meeting, kind, revision, r) for r in recipients if r.key not in existing]
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    _deliver_pending(meeting, kind, revision)
    return len(new)


def _notice(meeting: Meeting, kind: str, revision: int, r: Recipient) -> Notice:
    subject, body = _compose(meeting, kind, revision, r.name)
    return Notice(
        meeting=meeting,
        kind=kind,
        revision=revision,
        recipient_key=r.key,
        audience=r.audience,
        user=r.user,
        member=r.member,
        guest=r.guest,
        email=r.email,
        phone=r.phone,
        subject=subject,
        body=body,
    )


def _claim(notice: Notice, field: str) -> bool:
    """Mark the notice as being delivered on a channel; False if another worker got there first."""
    return Notice.objects.filter(pk=notice.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}) == 1


def _release(notice: Notice, field: str) -> None:
    Notice.objects.filter(pk=notice.pk).update(**{field: None})


def _deliver_pending(meeting: Meeting, kind: str, revision: int) -> None:
    _deliver(Notice.objects.filter(meeting=meeting, kind=kind, revision=revision))


def _deliver(notices: QuerySet[Notice]) -> None:
    pending = notices.filter(Q(emailed_at__isnull=True) & ~Q(email="") | Q(sms_at__isnull=True) & ~Q(phone=""))
    sms = get_sms_sender()
    for notice in pending:
        if notice.email and notice.emailed_at is None and _claim(notice, "emailed_at"):
            try:
                send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.email])
            except Exception:  # the next run retries; the log names the notice, not the person
                logger.exception("email of notice %s failed", notice.pk)
                _release(notice, "emailed_at")
        if sms is not None and notice.phone and notice.sms_at is None and _claim(notice, "sms_at"):
            try:
                sms.send(phone=notice.phone, text=notice.subject[:160])
            except Exception:
                logger.exception("SMS of notice %s failed", notice.pk)
                _release(notice, "sms_at")


def user_recipient(user: User) -> Recipient:
    """An account as the recipient of a notice that is not about one meeting (reminders to cadres, committees)."""
    member = user.member
    return Recipient(
        f"u{user.pk}",
        Notice.Audience.SUPERVISOR,
        user.get_full_name() or user.username,
        user.email or (member.email if member else ""),
        member.phone if member else "",
        user=user,
    )


def member_recipient(member: Member) -> Recipient:
    """A party member as the recipient of a notice that is not about one meeting (their task, their household)."""
    return Recipient(
        f"m{member.pk}",
        Notice.Audience.MEMBER,
        member.full_name,
        member.email,
        member.phone,
        user=getattr(member, "user", None),  # the reverse one-to-one raises when there is no account
        member=member,
    )


def topic_notices_send(*, kind: str, topic: str, recipients: list[Recipient], subject: str, body: str) -> int:
    """Notices about something other than one meeting (a cell left without an upper-level attendee, a
    directive's deadline coming): one per recipient and topic, ever; safe to run any number of times.
    Returns how many were new."""
    existing = set(
        Notice.objects.filter(meeting__isnull=True, kind=kind, topic=topic).values_list("recipient_key", flat=True)
    )
    new = [
        Notice(
            kind=kind,
            topic=topic[:64],
            recipient_key=r.key,
            audience=r.audience,
            user=r.user,
            member=r.member,
            email=r.email,
            phone=r.phone,
            subject=subject[:255],
            body=body,
        )
        for r in {r.key: r for r in recipients}.values()
        if r.key not in existing
    ]
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    _deliver(Notice.objects.filter(meeting__isnull=True, kind=kind, topic=topic))
    return len(new)


def _current_revision() -> Subquery:
    latest = ScheduleChange.objects.filter(meeting=OuterRef("pk"), kind=ScheduleChange.Kind.RESCHEDULE).order_by("-pk")
    return Subquery(latest.values("pk")[:1])


def due_notices_send(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic task's work: invitations of meetings coming within their notice lead time that have
    none yet (regular meetings generated in advance), and reminders within reminder_hours_before."""
    now = now or timezone.now()
    first_day: date = timezone.localdate(now)
    # Each meeting's own rule set says how far ahead it is looked at (notice_horizon_days); the query
    # reads up to the widest of them and each meeting is then held to its own.
    widest = RuleSetVersion.objects.aggregate(m=Max("notice_horizon_days"))["m"] or 31
    upcoming = (
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED,
            scheduled_date__gte=first_day,
            scheduled_date__lte=first_day + timedelta(days=widest),
        )
        .select_related("ruleset")
        .annotate(
            invited=Exists(Notice.objects.filter(meeting=OuterRef("pk"), kind=Notice.Kind.INVITATION)),
            revision=_current_revision(),
        )
        .order_by("scheduled_date", "scheduled_time")
    )
    sent = {"invitations": 0, "reminders": 0}
    for meeting in upcoming:
        starts = _starts_at(meeting)
        if starts <= now or meeting.scheduled_date > first_day + timedelta(days=meeting.ruleset.notice_horizon_days):
            continue
        revision = meeting.revision or 0  # type: ignore[attr-defined]
        lead = timedelta(days=meeting.ruleset.notice_lead_days)
        if not meeting.invited and meeting.scheduled_date - lead <= first_day:  # type: ignore[attr-defined]
            sent["invitations"] += meeting_notices_send(meeting_id=meeting.pk, kind=Notice.Kind.INVITATION)
        if starts - timedelta(hours=meeting.ruleset.reminder_hours_before) <= now:
            reminded = Notice.objects.filter(meeting=meeting, kind=Notice.Kind.REMINDER, revision=revision)
            if not reminded.exists():
                sent["reminders"] += meeting_notices_send(
                    meeting_id=meeting.pk, kind=Notice.Kind.REMINDER, revision=revision
                )
    return sent


@records_actor
@transaction.atomic
def notice_mark_read(*, actor: User, notice: Notice) -> None:
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])


@records_actor
@transaction.atomic
def notices_mark_all_read(*, actor: User) -> int:
    return notices_of(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
