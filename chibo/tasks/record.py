"""A member's record (C9): per year, attendance (present, excused, unexcused as rates of the meetings the
member had to attend), speaking turns, tasks (done, late, not done), commendations, reminders, criticism
follow-ups, commitments, and the decisions of the year (discipline, suspension, recognition as official).

Each source is read by one aggregate query grouped by year, so the record costs the same few queries
whether the member has one year of history or thirty. Criticism is read only for someone who may see it
(Perm.SEE_SENSITIVE): for anyone else the query is not even made.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from chibo.commitments.models import Commitment
from chibo.criticism.models import CriticismRecord
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.members.models import LifeEvent, Member
from chibo.tasks.models import TaskAssignment, assignment_outcome_counts


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part * 100 / whole, 1)


def _display(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


@dataclass
class YearRecord:
    year: int
    required: int = 0  # closed meetings the member had to attend (not exempt that day)
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    turns: int = 0
    criticism_turns: int = 0
    self_criticism_turns: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_late: int = 0
    tasks_not_done: int = 0
    tasks_open: int = 0
    commendations: int = 0
    reminders: int = 0
    criticism_records: int | None = None  # None: not shown to this reader
    criticism_resolved: int | None = None
    follow_ups: int | None = None
    commitment: Commitment | None = None
    events: list[LifeEvent] = field(default_factory=list)  # decisions dated in the year

    @property
    def disciplines(self) -> list[LifeEvent]:
        return [e for e in self.events if e.kind == LifeEvent.Kind.DISCIPLINE]

    @property
    def present_rate(self) -> float | None:
        return _rate(self.present, self.required)

    @property
    def excused_rate(self) -> float | None:
        return _rate(self.excused, self.required)

    @property
    def unexcused_rate(self) -> float | None:
        return _rate(self.unexcused, self.required)

    @property
    def present_rate_display(self) -> str:
        return _display(self.present_rate)

    @property
    def excused_rate_display(self) -> str:
        return _display(self.excused_rate)

    @property
    def unexcused_rate_display(self) -> str:
        return _display(self.unexcused_rate)


@dataclass
class MemberRecord:
    member: Member
    years: list[YearRecord] = field(default_factory=list)  # newest first
    sensitive: bool = False

    def year(self, year: int) -> YearRecord | None:
        return next((y for y in self.years if y.year == year), None)


def member_record(member: Member, *, sensitive: bool) -> MemberRecord:
    """Six queries (five without the sensitive part), whatever the length of the history."""
    years: dict[int, YearRecord] = {}

    def row(year: int) -> YearRecord:
        return years.setdefault(year, YearRecord(year=year))

    closed = Q(meeting__status=Meeting.Status.CLOSED)
    attendance = (
        Attendance.objects.filter(closed, member=member, is_exempt=False)
        .annotate(year=ExtractYear("meeting__scheduled_date"))
        .values("year")
        .annotate(
            required=Count("pk"),
            present=Count("pk", filter=Q(status__in=Attendance.PRESENT_STATUSES)),
            excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
            unexcused=Count("pk", filter=Q(status=Attendance.Status.UNEXCUSED)),
        )
        .order_by()
    )
    for a in attendance:
        r = row(a["year"])
        r.required, r.present, r.excused, r.unexcused = a["required"], a["present"], a["excused"], a["unexcused"]

    turns = (
        SpeakingTurn.objects.filter(member=member, status__in=SpeakingTurn.SPOKEN_STATUSES)
        .annotate(year=ExtractYear("meeting__scheduled_date"))
        .values("year")
        .annotate(
            turns=Count("pk"),
            criticism=Count("pk", filter=Q(kind=SpeakingTurn.Kind.CRITICISM)),
            self_criticism=Count("pk", filter=Q(kind=SpeakingTurn.Kind.SELF_CRITICISM)),
        )
        .order_by()
    )
    for t in turns:
        r = row(t["year"])
        r.turns, r.criticism_turns, r.self_criticism_turns = t["turns"], t["criticism"], t["self_criticism"]

    # A task belongs to the year it was due in.
    tasks = (
        TaskAssignment.objects.filter(member=member)
        .annotate(year=ExtractYear("task__due_on"))
        .values("year")
        .annotate(**assignment_outcome_counts())
        .order_by()
    )
    for t in tasks:
        r = row(t["year"])
        r.tasks, r.tasks_done, r.tasks_late, r.tasks_not_done = t["tasks"], t["done"], t["late"], t["not_done"]
        r.tasks_open, r.commendations, r.reminders = t["open"], t["commended"], t["reminded"]

    if sensitive:
        records = (
            CriticismRecord.objects.filter(member=member)
            .annotate(year=ExtractYear("meeting__scheduled_date"))
            .values("year")
            .annotate(
                records=Count("pk", distinct=True),
                resolved=Count("pk", filter=Q(status=CriticismRecord.Status.RESOLVED), distinct=True),
                follow_up_count=Count("follow_ups", distinct=True),
            )
            .order_by()
        )
        for c in records:
            r = row(c["year"])
            r.criticism_records, r.criticism_resolved, r.follow_ups = c["records"], c["resolved"], c["follow_up_count"]

    for commitment in Commitment.objects.filter(member=member):
        row(commitment.year).commitment = commitment

    # A member has a handful of decisions in a lifetime: read them all, file each under its year.
    for event in LifeEvent.objects.filter(member=member).order_by("decided_on", "pk"):
        row(event.decided_on.year).events.append(event)

    if sensitive:  # zeros, not "hidden", for the years without any record
        for r in years.values():
            for name in ("criticism_records", "criticism_resolved", "follow_ups"):
                if getattr(r, name) is None:
                    setattr(r, name, 0)
    return MemberRecord(member=member, years=sorted(years.values(), key=lambda y: -y.year), sensitive=sensitive)
