"""Meetings with attendance and speakers on chosen days, for the dashboards' tests."""

from datetime import date

from chibo.dashboards.services import summary_refresh
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance, Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.tasks.tests.builders import at, hold, plan

A = Attendance.Status


def held(
    org: Organization,
    day: date,
    *,
    absent: list[Member] = (),  # type: ignore[assignment]
    speakers: list[Member] = (),  # type: ignore[assignment]
    draft: str = "",
) -> Meeting:
    """A regular meeting held on `day` (opened on the day), `absent` excused, `speakers` taking the floor."""
    meeting = hold(org, day, statuses={m.pk: A.EXCUSED for m in absent}, close=False)
    if draft:
        Meeting.objects.filter(pk=meeting.pk).update(draft_resolution=draft)
    for member in speakers:
        turn = meeting_services.speaker_add(actor=None, meeting=meeting, member=member)
        meeting_services.turn_start(actor=None, turn=turn)
        meeting_services.turn_finish(actor=None, turn=turn, summary="Ý kiến")
    return meeting_services.meeting_close(actor=None, meeting=meeting, ended_at=at(day, 21))


def planned(org: Organization, day: date, draft: str = "") -> Meeting:
    meeting = plan(org, day)
    if draft:
        Meeting.objects.filter(pk=meeting.pk).update(draft_resolution=draft)
    return meeting


def refresh(first: date, last: date) -> int:
    return summary_refresh(by="test", first=first, last=last)
