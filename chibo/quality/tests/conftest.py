"""Meetings to score: built through the services, with the numbers the tests name."""

from datetime import timedelta

from django.utils import timezone

from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.meetings.tests.conftest import Cell, cell, plan_meeting  # noqa: F401  (the cell fixture)
from chibo.testing.factories import World


def closed_meeting(w: World) -> Meeting:
    """An extraordinary meeting of An Hòa today, everyone present, closed at once: short on nearly all."""
    meeting = plan_meeting(w.anhoa, kind=Meeting.Kind.EXTRAORDINARY)
    services.meeting_open(
        actor=None,
        meeting=meeting,
        chair=w.anhoa_secretary.member,
        recorder=w.member_of_anhoa,
        started_at=timezone.now() - timedelta(minutes=30),
    )
    for row in meeting.attendances.filter(is_exempt=False).select_related("member"):
        services.attendance_record(actor=None, meeting=meeting, member=row.member, status=Attendance.Status.PRESENT)
    return services.meeting_close(actor=None, meeting=meeting)


def hold_short(c: Cell, *, minutes: int = 60, speakers: int = 5, supervisor_attends: bool = True) -> Meeting:
    """An Hòa's meeting of 20 (18 required, 16 official), prepared, with its draft a day early; all 18 present;
    every agenda point reached; `speakers` distinct speakers (the first a self-criticism); the resolution
    voted 16–0; closed after `minutes`. No notice, no task given, minutes not signed."""
    w, meeting = c.world, c.meeting
    services.preparation_record(
        actor=None, meeting=meeting, held_on=meeting.scheduled_date, attendees=c.official[:3], decisions="Nội dung"
    )
    services.draft_resolution_save(actor=None, meeting=meeting, text="1. Hoàn thành thu đảng phí.")
    # Set-up, not the rule under test: the draft was ready the day before (the notice period).
    Meeting.objects.filter(pk=meeting.pk).update(draft_resolution_updated_at=timezone.now() - timedelta(days=1))
    services.agenda_from_template(actor=None, meeting=meeting)
    start = timezone.now() - timedelta(minutes=minutes)
    meeting = services.meeting_open(
        actor=None, meeting=meeting, chair=c.official[0], recorder=c.official[1], started_at=start
    )
    for m in c.required:
        services.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    if supervisor_attends:
        services.guest_add(actor=w.supervisor, meeting=meeting, user=w.supervisor, is_supervisor=True)
    for _ in meeting.agenda_items.all()[1:]:
        services.agenda_advance(actor=None, meeting=meeting)
    for i, m in enumerate(c.official[:speakers]):
        kind = SpeakingTurn.Kind.SELF_CRITICISM if i == 0 else SpeakingTurn.Kind.OPINION
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=meeting, member=m, kind=kind))
    services.vote_record(actor=None, meeting=meeting, votes_for=16, votes_against=0, votes_abstain=0)
    return services.meeting_close(actor=None, meeting=meeting)
