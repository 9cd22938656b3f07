"""Writes to the calendar (C4): plan a meeting, generate the regular ones, move or cancel one, invite
guests, and the member's iCalendar link. Notices go out after commit (chibo.notices)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.notices.models import Notice
from chibo.notices.services import notify_after_commit
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion
from chibo.rules.selectors import RulesetResolver, ruleset_for
from chibo.scheduling.calendar import month_start, next_month, regular_meeting_date
from chibo.scheduling.models import CalendarFeed, MeetingGuest, ScheduleChange, new_feed_token

Kind = Meeting.Kind
Status = Meeting.Status


def meeting_starts_at(meeting: Meeting) -> datetime:
    """The meeting's start as an aware datetime in Việt Nam's time zone."""
    return timezone.make_aware(datetime.combine(meeting.scheduled_date, meeting.scheduled_time))


def _is_upcoming(meeting: Meeting) -> bool:
    return meeting_starts_at(meeting) > timezone.now()


def _check_cell_on(org: Organization, day: date) -> None:
    if not org.is_cell:
        raise ChiboError(_("Buổi sinh hoạt phải thuộc một chi bộ."), field="org")
    if not org.existed_on(day):
        raise ChiboError(
            _("%(org)s không hoạt động vào ngày %(day)s.") % {"org": org.name, "day": format(day, "%d/%m/%Y")},
            field="scheduled_date",
        )


def _check_regular_near_period(period: date, day: date) -> None:
    """A regular meeting may move a little across the month's edge (a holiday shift), not further."""
    if not period - timedelta(days=15) <= day < next_month(period) + timedelta(days=15):
        raise ChiboError(
            _(
                "Buổi sinh hoạt thường kỳ tháng %(period)s phải họp trong tháng đó "
                "hoặc được dời sang không quá nửa tháng."
            )
            % {"period": format(period, "%m/%Y")},
            field="scheduled_date",
        )


def _plan(
    *,
    actor: User | None,
    org: Organization,
    kind: str,
    scheduled_date: date,
    rules: RuleSetVersion,
    scheduled_time: time | None = None,
    period: date | None = None,
    place: str = "",
    title: str = "",
    thematic_topic: str = "",
    with_thematic: bool = False,
) -> Meeting:
    if kind not in Kind.values:
        raise ChiboError(_("Loại buổi sinh hoạt không hợp lệ."), field="kind")
    _check_cell_on(org, scheduled_date)
    if (kind == Kind.THEMATIC or with_thematic) and not thematic_topic.strip():
        raise ChiboError(_("Hãy nhập chủ đề sinh hoạt chuyên đề."), field="thematic_topic")
    if kind == Kind.REGULAR:
        period = month_start(period or scheduled_date)
        _check_regular_near_period(period, scheduled_date)
        taken = Meeting.objects.filter(org=org, kind=Kind.REGULAR, period=period).exclude(status=Status.CANCELLED)
        if taken.exists():
            raise ChiboError(
                _("%(org)s đã có buổi sinh hoạt thường kỳ tháng %(period)s.")
                % {"org": org.name, "period": format(period, "%m/%Y")},
                field="scheduled_date",
            )
    else:
        # Thematic and extraordinary meetings belong to the month they are held in.
        period, with_thematic = None, False
    meeting = Meeting(
        org=org,
        kind=kind,
        period=period,
        with_thematic=with_thematic,
        thematic_topic=thematic_topic.strip(),
        title=title.strip(),
        scheduled_date=scheduled_date,
        scheduled_time=scheduled_time or rules.default_start_time,
        place=place.strip(),
        ruleset=rules,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as exc:  # a concurrent plan of the same month's regular meeting
        raise ChiboError(
            _("%(org)s đã có buổi sinh hoạt thường kỳ tháng này.") % {"org": org.name}, field="scheduled_date"
        ) from exc
    return meeting


@records_actor
@transaction.atomic
def meeting_plan(
    *,
    actor: User | None,
    org: Organization,
    kind: str,
    scheduled_date: date,
    scheduled_time: time | None = None,
    period: date | None = None,
    place: str = "",
    title: str = "",
    thematic_topic: str = "",
    with_thematic: bool = False,
    notify: bool = True,
) -> Meeting:
    """Plan a regular, thematic or extraordinary meeting under the rule-set version in force on its date.
    Members, guests and supervisors are notified after commit if the meeting is still to come."""
    meeting = _plan(
        actor=actor,
        org=org,
        kind=kind,
        scheduled_date=scheduled_date,
        rules=ruleset_for(org, scheduled_date),
        scheduled_time=scheduled_time,
        period=period,
        place=place,
        title=title,
        thematic_topic=thematic_topic,
        with_thematic=with_thematic,
    )
    if notify and _is_upcoming(meeting):
        notify_after_commit(meeting, Notice.Kind.INVITATION)
    return meeting


def _months(year: int, months: int | Iterable[int] | None) -> list[date]:
    if months is None:
        numbers = list(range(1, 13))
    elif isinstance(months, int):
        numbers = [months]
    else:
        numbers = sorted(set(months))
    if not 2000 <= year <= 2100 or any(not 1 <= m <= 12 for m in numbers):
        raise ChiboError(_("Tháng hoặc năm không hợp lệ."), field="month")
    return [date(year, m, 1) for m in numbers]


@records_actor
@transaction.atomic
def regular_meetings_generate(
    *,
    actor: User | None,
    org: Organization,
    year: int,
    months: int | Iterable[int] | None = None,
) -> list[Meeting]:
    """Plan the regular meeting of every cell at or under `org` for each month (all of `year` by default)
    on its fixed day, shifted off weekends and public holidays by the rule set. A month that already has a
    regular meeting is left alone, so running it twice creates nothing the second time.

    Members are not notified of a whole year at once: the periodic task sends each invitation when the
    meeting comes within the rule set's notice lead time."""
    periods = _months(year, months)
    if org.is_cell:
        cells = [org]
    else:
        cells = list(
            Organization.objects.filter(path__startswith=org.path, kind__in=Organization.CELL_KINDS).order_by("path")
        )
    taken = set(
        Meeting.objects.filter(org__in=cells, kind=Kind.REGULAR, period__in=periods)
        .exclude(status=Status.CANCELLED)
        .values_list("org_id", "period")
    )
    resolver = RulesetResolver(cells)
    created: list[Meeting] = []
    for cell in cells:
        for period in periods:
            if (cell.pk, period) in taken:
                continue
            day = regular_meeting_date(cell, resolver.for_org(cell, period), period)
            if not cell.existed_on(day):
                continue
            try:
                meeting = _plan(
                    actor=actor,
                    org=cell,
                    kind=Kind.REGULAR,
                    scheduled_date=day,
                    period=period,
                    rules=resolver.for_org(cell, day),
                )
            except ChiboError:  # planned meanwhile by someone else: leave theirs
                continue
            created.append(meeting)
    return created


def _get_locked_planned(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    if locked.status != Status.PLANNED:
        raise ChiboError(
            _("Buổi sinh hoạt đang ở trạng thái “%(locked)s”, không thể thay đổi lịch.")
            % {"locked": locked.get_status_display()}
        )
    return locked


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ChiboError(_("Hãy nêu lý do."), field="reason")
    return reason[:255]


@records_actor
@transaction.atomic
def meeting_reschedule(
    *,
    actor: User | None,
    meeting: Meeting,
    scheduled_date: date,
    scheduled_time: time,
    place: str,
    reason: str,
) -> Meeting:
    """Move a planned meeting; a regular meeting keeps its month. The rule set stays the one it was
    planned under. Everyone invited is told the new time and the reason."""
    locked = _get_locked_planned(meeting)
    reason = _clean_reason(reason)
    place = (place or "").strip()
    if (scheduled_date, scheduled_time, place) == (locked.scheduled_date, locked.scheduled_time, locked.place):
        raise ChiboError(_("Ngày, giờ và địa điểm không thay đổi."), field="scheduled_date")
    _check_cell_on(locked.org, scheduled_date)
    if locked.kind == Kind.REGULAR:
        assert locked.period is not None
        _check_regular_near_period(locked.period, scheduled_date)
    change = ScheduleChange.objects.create(
        meeting=locked,
        kind=ScheduleChange.Kind.RESCHEDULE,
        old_date=locked.scheduled_date,
        old_time=locked.scheduled_time,
        old_place=locked.place,
        new_date=scheduled_date,
        new_time=scheduled_time,
        new_place=place,
        reason=reason,
        actor=actor,
    )
    locked.scheduled_date, locked.scheduled_time, locked.place = scheduled_date, scheduled_time, place
    locked.save(update_fields=["scheduled_date", "scheduled_time", "place", "updated_at"])
    if _is_upcoming(locked):
        notify_after_commit(locked, Notice.Kind.CHANGED, revision=change.pk)
    return locked


@records_actor
@transaction.atomic
def meeting_cancel(*, actor: User | None, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting. A cancelled regular meeting frees its month: another can be planned."""
    locked = _get_locked_planned(meeting)
    reason = _clean_reason(reason)
    change = ScheduleChange.objects.create(
        meeting=locked,
        kind=ScheduleChange.Kind.CANCEL,
        old_date=locked.scheduled_date,
        old_time=locked.scheduled_time,
        old_place=locked.place,
        reason=reason,
        actor=actor,
    )
    locked.status, locked.cancelled_reason = Status.CANCELLED, reason
    locked.save(update_fields=["status", "cancelled_reason", "updated_at"])
    if _is_upcoming(locked):
        notify_after_commit(locked, Notice.Kind.CANCELLED, revision=change.pk)
    return locked


@records_actor
@transaction.atomic
def guest_invite(
    *,
    actor: User | None,
    meeting: Meeting,
    name: str,
    affiliation: str = "",
    email: str = "",
    phone: str = "",
    user: User | None = None,
) -> MeetingGuest:
    """Invite a guest; if the meeting's invitation has gone out, the guest gets theirs after commit."""
    if meeting.status != Status.PLANNED:
        raise ChiboError(_("Chỉ mời khách cho buổi sinh hoạt chưa diễn ra."))
    name = (name or "").strip()
    if not name:
        raise ChiboError(_("Hãy nhập họ và tên khách mời."), field="name")
    email, phone = (email or "").strip(), (phone or "").strip()
    if not (email or phone or user):
        raise ChiboError(_("Hãy nhập thư điện tử hoặc số điện thoại để gửi giấy mời."), field="email")
    guest = MeetingGuest.objects.create(
        meeting=meeting,
        name=name,
        affiliation=(affiliation or "").strip(),
        email=email,
        phone=phone,
        user=user,
        added_by=actor,
    )
    if _is_upcoming(meeting) and Notice.objects.filter(meeting=meeting, kind=Notice.Kind.INVITATION).exists():
        notify_after_commit(meeting, Notice.Kind.INVITATION)
    return guest


@records_actor
@transaction.atomic
def guest_remove(*, actor: User | None, guest: MeetingGuest) -> None:
    if guest.meeting.status != Status.PLANNED:
        raise ChiboError(_("Chỉ sửa danh sách khách mời của buổi sinh hoạt chưa diễn ra."))
    guest.delete()


def feed_for(member: Member) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(member=member)
    return feed


@records_actor
@transaction.atomic
def feed_regenerate(*, actor: User | None, member: Member) -> CalendarFeed:
    """A new secret link; the old one answers 404 from now on."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(member=member)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed
