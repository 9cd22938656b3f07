"""Meetings held on past days, and minutes locked, for the tests and scope cases of tasks, criticism and
commitments."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from chibo.core.dates import today
from chibo.documents import services as document_services
from chibo.documents.models import MeetingDocument
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance, Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.selectors import member_ids_on_roll
from chibo.rules.selectors import ruleset_for
from chibo.testing.factories import MemberFactory


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def plan(org: Organization, day: date, kind: str = Meeting.Kind.REGULAR) -> Meeting:
    return Meeting.objects.create(
        org=org,
        kind=kind,
        period=day.replace(day=1) if kind == Meeting.Kind.REGULAR else None,
        scheduled_date=day,
        scheduled_time=time(19, 0),
        ruleset=ruleset_for(org, day),
    )


def hold(
    org: Organization,
    day: date,
    *,
    chair: Member | None = None,
    recorder: Member | None = None,
    statuses: dict[int, str] | None = None,
    close: bool = True,
) -> Meeting:
    """A meeting held on `day`: opened at 19:00 (chair and recorder: the first two members on the roll
    unless named), everyone present unless `statuses` says otherwise (member pk → Attendance status;
    excused ones get a reason), closed at 21:00."""
    if chair is None or recorder is None:
        roll = list(
            Member.objects.filter(pk__in=member_ids_on_roll([org.pk], day).values("member_id")).order_by("pk")[:3]
        )
        if len(roll) < 2:  # a cell of one in the test world: a second member records
            roll.append(MemberFactory(org=org, joined_on=date(2000, 3, 1), official_on=date(2001, 3, 1)))
        chair = chair or roll[0]
        recorder = recorder or next(m for m in roll if m.pk != chair.pk)
    meeting = meeting_services.meeting_open(
        actor=None, meeting=plan(org, day), chair=chair, recorder=recorder, started_at=at(day, 19)
    )
    statuses = statuses or {}
    for row in meeting.attendances.filter(is_exempt=False).select_related("member"):
        status = statuses.get(row.member_id, Attendance.Status.PRESENT)
        reason = "Ốm" if status == Attendance.Status.EXCUSED else ""
        meeting_services.attendance_record(actor=None, meeting=meeting, member=row.member, status=status, reason=reason)
    if close:
        meeting = meeting_services.meeting_close(actor=None, meeting=meeting, ended_at=at(day, 21))
    return meeting


def lock_minutes(meeting: Meeting, secretary_user) -> MeetingDocument:  # type: ignore[no-untyped-def]
    """Compose the minutes and sign them as chair (the secretary) and, on paper, for the recorder."""
    from chibo.documents.models import Signature

    doc = document_services.document_compose(actor=secretary_user, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    document_services.document_sign(actor=secretary_user, document=doc, role=Signature.Role.CHAIR)
    document_services.document_sign(actor=secretary_user, document=doc, role=Signature.Role.RECORDER)
    doc.refresh_from_db()
    assert doc.is_locked
    return doc


def months_ago(n: int) -> date:
    """The 5th of the month n months before this one (An Hòa meets on the 5th)."""
    first = today().replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first.replace(day=5)
