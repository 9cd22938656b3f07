"""Replaying a meeting through the services as its secretary would have recorded it (chibo.demo.meetings).

Planned, the cell committee's preparatory meeting (chi ủy họp chuẩn bị), the agenda from the template with
its notes, the draft resolution; opened, each member marked, guests, the agenda point by point with its
speakers, the vote, closed; then the minutes and the resolution composed and signed the next morning. A
`Clock` stands in for `django.utils.timezone.now` meanwhile, so every timestamp is the one that evening
would have left, and the services' "not in the future" checks read that day as today.
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import override_settings

from chibo.accounts.models import User
from chibo.demo import content
from chibo.demo.builder import Demo
from chibo.documents import services as document_services
from chibo.documents.models import MeetingDocument, Signature
from chibo.documents.selectors import resolution_signer
from chibo.meetings import services as meeting_services
from chibo.meetings.models import AgendaItem, Attendance, Meeting
from chibo.meetings.selectors import live_totals
from chibo.members.models import Member
from chibo.notices.models import Notice
from chibo.notices.services import meeting_notices_send
from chibo.organizations.models import Organization

VN = ZoneInfo(settings.TIME_ZONE)


# --- The clock and the switches ---------------------------------------------------------------------


class Clock:
    """The time the services read while a meeting is replayed (`django.utils.timezone.now` returns it)."""

    def __init__(self) -> None:
        self.now = datetime.now(tz=VN)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        self.now = datetime.combine(day, time(hour, minute), tzinfo=VN)
        return self.now

    def advance(self, *, minutes: float = 0, seconds: float = 0) -> datetime:
        self.now += timedelta(minutes=minutes, seconds=seconds)
        return self.now

    @contextmanager
    def running(self) -> Iterator["Clock"]:
        with mock.patch("django.utils.timezone.now", new=lambda: self.now):
            yield self


@contextmanager
def quiet_notices() -> Iterator[None]:
    """Notices are written (members see them in the app) but no SMS or e-mail goes out while loading."""
    with override_settings(CHIBO_SMS_SENDER="", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield


# --- Who is who in a cell -------------------------------------------------------------------------


@dataclass
class CellRun:
    """One cell's people for the year, and what carries from one meeting to the next."""

    key: str
    cell: Organization
    area: str | None
    secretary: Member
    deputy: Member
    committee: list[Member]  # secretary and deputy first
    recorder: Member
    actor: User  # who records the meetings: the secretary's account, else the ward's officer
    signer: User  # who signs, or records the paper signatures of members without an account
    cadre: tuple[str, str]  # the ward committee member who follows the cell (name, position)
    weights: dict[int, float] = field(default_factory=dict)  # how readily each member speaks
    trio: list[Member] = field(default_factory=list)  # at Bình An, the only speakers
    away: dict[date, Member] = field(default_factory=dict)  # months a member works far away
    last_rate: Fraction | None = None
    last_late: list[Member] = field(default_factory=list)

    @property
    def is_area(self) -> bool:
        return self.area is not None

    @property
    def place(self) -> str:
        return content.place_for(self.key, self.area)

    @property
    def where(self) -> str:
        """How a summary names the cell's ground: "khu vực An Hòa", or the unit."""
        if self.area:
            return f"khu vực {self.area}"
        return self.cell.name.removeprefix("Chi bộ ")

    @property
    def protected(self) -> set[int]:
        """Members who are at every meeting: the chair, the recorder, and Bình An's three speakers."""
        return {self.secretary.pk, self.recorder.pk, *(m.pk for m in self.trio)}


@dataclass
class Ctx:
    demo: Demo
    rng: random.Random
    clock: Clock
    runs: dict[str, CellRun]
    admin: User
    supervisor: User


# --- Replaying one meeting --------------------------------------------------------------------------


@dataclass
class Turn:
    member: Member
    kind: str
    summary: str
    item: str  # the agenda point it is spoken under
    minutes: float


@dataclass
class Mark:
    status: str
    reason: str = ""
    late_minutes: int = 0


def prepare(
    ctx: Ctx,
    run: CellRun,
    meeting: Meeting,
    *,
    held_on: date,
    decisions: str,
    draft: str,
    notes: dict[str, str],
    presenter: Member | None = None,
) -> None:
    """The cell committee's preparatory meeting, the agenda with its notes, the draft resolution."""
    ctx.clock.at(held_on, 19, 30)
    meeting_services.preparation_record(
        actor=run.actor,
        meeting=meeting,
        held_on=held_on,
        attendees=run.committee,
        decisions=decisions,
        preparer=run.deputy,
    )
    ctx.clock.advance(minutes=50)
    items = meeting_services.agenda_from_template(actor=run.actor, meeting=meeting)
    for item in items:
        # What the template filled (residents' opinions from the households' liaison log) stays after the notes.
        text = "\n".join(t for t in (notes.get(item.kind, ""), item.notes) if t)
        who = (
            presenter
            if item.kind == AgendaItem.Kind.INTRO_PAPER
            else run.secretary
            if item.kind in (AgendaItem.Kind.NEWS, AgendaItem.Kind.REVIEW)
            else None
        )
        if text or who:
            meeting_services.agenda_item_update(
                actor=run.actor,
                item=item,
                title=item.title,
                notes=text,
                presenter=who,
                approved_on=held_on if item.kind == AgendaItem.Kind.INTRO_PAPER else None,
            )
    if draft:
        ctx.clock.advance(minutes=10)
        meeting_services.draft_resolution_save(actor=run.actor, meeting=meeting, text=draft)
    if run.key == "anhoa":
        ctx.clock.advance(minutes=15)
        with quiet_notices():
            meeting_notices_send(meeting_id=meeting.pk, kind=Notice.Kind.INVITATION)


def open_and_mark(
    ctx: Ctx, run: CellRun, meeting: Meeting, *, start: datetime, marks: Callable[[list[Attendance]], dict[int, Mark]]
) -> list[Attendance]:
    ctx.clock.now = start
    meeting = meeting_services.meeting_open(
        actor=run.actor, meeting=meeting, chair=run.secretary, recorder=run.recorder, started_at=start
    )
    rows = list(meeting.attendances.select_related("member").order_by("member_id"))
    decided = marks(rows)
    for row in rows:
        mark = decided.get(row.member_id)
        if mark is None:
            if row.is_exempt:
                continue  # not required to attend, and did not come
            mark = Mark(Attendance.Status.PRESENT)
        ctx.clock.advance(seconds=ctx.rng.randint(4, 15))
        arrived = (start + timedelta(minutes=mark.late_minutes)).astimezone(VN).time() if mark.late_minutes else None
        meeting_services.attendance_record(
            actor=run.actor,
            meeting=meeting,
            member=row.member,
            status=mark.status,
            reason=mark.reason,
            arrived_at=arrived.replace(second=0, microsecond=0) if arrived else None,
        )
    return list(meeting.attendances.select_related("member").order_by("member_id"))


@dataclass
class GuestVisit:
    name: str
    role: str
    is_supervisor: bool = True
    user: User | None = None
    remark: str = ""


def proceed(
    ctx: Ctx,
    run: CellRun,
    meeting: Meeting,
    *,
    guests: list[GuestVisit],
    turns: list[Turn],
    vote: tuple[int, int] | None,
    item_minutes: dict[str, float],
) -> Meeting:
    """Guests arrive; the agenda goes point by point with its speakers; the vote; the close."""
    for guest in guests:
        ctx.clock.advance(minutes=1)
        meeting_services.guest_add(
            actor=run.actor,
            meeting=meeting,
            name=guest.name,
            role=guest.role,
            is_supervisor=guest.is_supervisor,
            user=guest.user,
        )
    items = list(meeting.agenda_items.order_by("position"))
    for i, item in enumerate(items):
        if i > 0:
            meeting_services.agenda_advance(actor=run.actor, meeting=meeting)
        ctx.clock.advance(minutes=item_minutes.get(item.kind, 8))
        for turn in [t for t in turns if t.item == item.kind]:
            queued = meeting_services.speaker_add(actor=run.actor, meeting=meeting, member=turn.member)
            meeting_services.turn_start(actor=run.actor, turn=queued)
            ctx.clock.advance(minutes=turn.minutes, seconds=ctx.rng.randint(-40, 40))
            meeting_services.turn_finish(actor=run.actor, turn=queued, kind=turn.kind, summary=turn.summary)
            ctx.clock.advance(seconds=20)
        if item.kind == AgendaItem.Kind.CLOSING:
            if vote is not None:
                # The pass rule alone decides; low attendance is scored, never a reason not to vote.
                voters = live_totals(meeting).voters
                against, abstain = vote
                meeting_services.vote_record(
                    actor=run.actor,
                    meeting=meeting,
                    votes_for=voters - against - abstain,
                    votes_against=against,
                    votes_abstain=abstain,
                )
            for guest in guests:
                if guest.user is not None and guest.remark:
                    meeting_services.remark_save(actor=guest.user, meeting=meeting, text=guest.remark)
            ctx.clock.advance(minutes=5)
    return meeting_services.meeting_close(actor=run.actor, meeting=meeting, ended_at=ctx.clock.now)


def _signer(demo: Demo, member: Member, cell_secretary: Member | None) -> User:
    """The member's own account; for a member without one, whoever records the paper signature: the cell
    secretary's account, else the administrator. (While the clock reads 2021 the ward officer's grant
    points at the old ward committee, whose cells have since moved under the new ward.)"""
    own = {u.member_id: u for u in demo.users.values() if u.member_id}
    if member.pk in own:
        return own[member.pk]
    if cell_secretary is not None and cell_secretary.pk in own:
        return own[cell_secretary.pk]
    return demo.users["admin"]


def write_documents(demo: Demo, clock: Clock, meeting: Meeting, *, signed: bool) -> None:
    """The morning after: the minutes and, if the resolution passed, the resolution (both read the tasks
    given and reviewed, so they are written after issue 4's step); signed by chair and recorder, and
    by the secretary, unless `signed` is off (the drafts wait for their signatures)."""
    rng = demo.gen.rng
    clock.at(meeting.scheduled_date + timedelta(days=1), 7, 45)
    secretary, _title = resolution_signer(meeting)
    actor = _signer(demo, meeting.chair, secretary) if meeting.chair else demo.users["admin"]
    minutes = document_services.document_compose(actor=actor, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    vote = meeting.votes.first()
    resolution = None
    if vote is not None and vote.passed:
        clock.advance(minutes=20)
        resolution = document_services.document_compose(
            actor=actor, meeting=meeting, kind=MeetingDocument.Kind.RESOLUTION
        )
    if not signed:
        return
    signatures: list[tuple[MeetingDocument, str, Member | None]] = [
        (minutes, Signature.Role.RECORDER, meeting.recorder),
        (minutes, Signature.Role.CHAIR, meeting.chair),
    ]
    if resolution is not None:
        signatures.append((resolution, Signature.Role.SECRETARY, secretary))
    for document, role, member in signatures:
        assert member is not None
        clock.advance(minutes=rng.randint(5, 40))
        document_services.document_sign(actor=_signer(demo, member, secretary), document=document, role=role)
