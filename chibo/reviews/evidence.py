"""The evidence of a year for many members at once (C15): attendance, speaking, tasks, the cell's
evaluations and reminders, the yearly commitment, criticism and its follow-up, decisions (discipline,
suspension), exemptions and posts.

`gather(member_ids, year)` reads each source with one aggregate query over all the members given, so a
cell costs the same ten queries whether its members have one year of history or thirty, and the province's
job (chibo.reviews.tasks) reads a few hundred cells per batch with the same ten. Every figure keeps what
it is counted from, so the pages link each item to the record it comes from.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from chibo.commitments.models import Commitment
from chibo.criticism.models import CriticismRecord
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.members.models import Exemption, LifeEvent, Member, Position
from chibo.tasks.models import TaskAssignment, TaskReminder, assignment_outcome_counts


def year_bounds(year: int) -> tuple[date, date]:
    """[1 January, 1 January of the next year)."""
    return date(year, 1, 1), date(year + 1, 1, 1)


def _days_within(start: date, end: date | None, first: date, after: date) -> int:
    """Days of [start, end) that fall inside [first, after)."""
    lo, hi = max(start, first), min(end or after, after)
    return max(0, (hi - lo).days)


@dataclass
class Evidence:
    member_id: int
    year: int
    joined_on: str = ""
    official_at_year_end: bool = True
    occupation: str = ""
    holds_post: bool = False
    # Attendance at closed meetings the member had to attend (exempt that day: not counted).
    required: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    turns: int = 0
    # Tasks due in the year, as the cell reviewed them.
    tasks: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    open: int = 0
    commended: int = 0
    reminded: int = 0
    overdue_reminders: int = 0
    commitment_id: int | None = None
    commitment_status: str = ""
    commitment_level: str = ""
    criticism_records: int = 0
    criticism_resolved: int = 0
    follow_ups: int = 0
    disciplines: list[dict] = field(default_factory=list)  # decided in the year
    suspended_at_year_end: bool = False
    exempt_at_year_end: bool = False
    ill_health_days: int = 0  # ill-health exemption days within the year

    @property
    def reviewed(self) -> int:
        return self.on_time + self.late + self.not_done

    def as_full(self) -> dict:
        return asdict(self)

    def as_json(self) -> dict:
        """Only what differs from the defaults (a province stores 500,000 of these); `Evidence(**stored)`
        gives the whole back. Read field by field (no deep copy: the job calls it for every member)."""
        out = {"member_id": self.member_id, "year": self.year}
        for name, default in _DEFAULTS.items():
            value = getattr(self, name)
            if value != default:
                out[name] = value
        return out


_DEFAULTS = {k: v for k, v in asdict(Evidence(member_id=0, year=0)).items() if k not in ("member_id", "year")}


def stored(data: dict) -> Evidence:
    """The evidence kept on a review (compact JSON), whole again."""
    return Evidence(**data) if data else Evidence(member_id=0, year=0)


def gather(
    member_ids: list[int], year: int, *, as_of: date | None = None, within: QuerySet | None = None
) -> dict[int, Evidence]:
    """Evidence for each member of `member_ids` for `year`: ten queries whatever their number or history,
    each an aggregate per member computed in the database. `as_of` (default 31/12) is the day the year-end
    status (exempt, suspended, post, official) is read. `within`, a query giving the same member ids
    as `member_ids` (the province's job passes its batch's rolls), is what the queries filter on instead of
    the list itself: a few thousand ids written out in every query cost more than the aggregates."""
    first, after = year_bounds(year)
    end = as_of or (after - timedelta(days=1))
    found = {pk: Evidence(member_id=pk, year=year) for pk in member_ids}
    if not found:
        return found
    ids: Any = within if within is not None else list(found)

    for m in Member.objects.filter(pk__in=ids).values("pk", "joined_on", "official_on", "occupation"):
        e = found[m["pk"]]
        e.joined_on = m["joined_on"].isoformat()
        e.official_at_year_end = m["official_on"] is not None and m["official_on"] <= end
        e.occupation = m["occupation"]

    in_year = Q(meeting__scheduled_date__gte=first, meeting__scheduled_date__lt=after)
    attendance = (
        Attendance.objects.filter(in_year, member_id__in=ids, is_exempt=False, meeting__status=Meeting.Status.CLOSED)
        .values("member_id")
        .annotate(
            required=Count("pk"),
            present=Count("pk", filter=Q(status__in=Attendance.PRESENT_STATUSES)),
            excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
            unexcused=Count("pk", filter=Q(status=Attendance.Status.UNEXCUSED)),
        )
        .order_by()
    )
    for a in attendance:
        e = found[a["member_id"]]
        e.required, e.present, e.excused, e.unexcused = a["required"], a["present"], a["excused"], a["unexcused"]

    turns = (
        SpeakingTurn.objects.filter(in_year, member_id__in=ids, status__in=SpeakingTurn.SPOKEN_STATUSES)
        .values("member_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for t in turns:
        found[t["member_id"]].turns = t["n"]

    tasks = (
        TaskAssignment.objects.filter(member_id__in=ids, task__due_on__gte=first, task__due_on__lt=after)
        .values("member_id")
        .annotate(**assignment_outcome_counts())
        .order_by()
    )
    for t in tasks:
        e = found[t["member_id"]]
        e.tasks, e.on_time, e.late, e.not_done, e.open = t["tasks"], t["done"], t["late"], t["not_done"], t["open"]
        e.commended, e.reminded = t["commended"], t["reminded"]

    reminders = (
        TaskReminder.objects.filter(assignment__member_id__in=ids, sent_on__gte=first, sent_on__lt=after)
        .values("assignment__member_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in reminders:
        found[r["assignment__member_id"]].overdue_reminders = r["n"]

    for row in Commitment.objects.filter(member_id__in=ids, year=year).values("pk", "member_id", "status", "level"):
        e = found[row["member_id"]]
        e.commitment_id, e.commitment_status, e.commitment_level = row["pk"], row["status"], row["level"]

    criticism = (
        CriticismRecord.objects.filter(in_year, member_id__in=ids)
        .values("member_id")
        .annotate(
            records=Count("pk", distinct=True),
            resolved=Count("pk", filter=Q(status=CriticismRecord.Status.RESOLVED), distinct=True),
            follow_up_count=Count("follow_ups", distinct=True),
        )
        .order_by()
    )
    for c in criticism:
        e = found[c["member_id"]]
        e.criticism_records, e.criticism_resolved, e.follow_ups = c["records"], c["resolved"], c["follow_up_count"]

    events = LifeEvent.objects.filter(member_id__in=ids, decided_on__lt=after).filter(
        Q(kind=LifeEvent.Kind.DISCIPLINE, decided_on__gte=first) | Q(kind=LifeEvent.Kind.SUSPENSION)
    )
    for ev in events.order_by("decided_on", "pk"):
        e = found[ev.member_id]
        if ev.kind == LifeEvent.Kind.DISCIPLINE:
            e.disciplines.append(
                {
                    "id": ev.pk,
                    "discipline": ev.discipline,
                    "decided_on": ev.decided_on.isoformat(),
                    "decision_number": ev.decision_number,
                    "issued_by": ev.issued_by,
                }
            )
        elif ev.decided_on <= end and (ev.ends_on is None or ev.ends_on > end):
            e.suspended_at_year_end = True

    exemptions = Exemption.objects.filter(member_id__in=ids, started_on__lt=after).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=first)
    )
    for ex in exemptions.values("member_id", "reason", "scope", "started_on", "ended_on"):
        e = found[ex["member_id"]]
        if ex["reason"] == Exemption.Reason.ILL_HEALTH:
            e.ill_health_days += _days_within(ex["started_on"], ex["ended_on"], first, after)
        covers_end = ex["started_on"] <= end and (ex["ended_on"] is None or ex["ended_on"] > end)
        if covers_end and ex["scope"] == Exemption.Scope.WORK_AND_MEETINGS:
            e.exempt_at_year_end = True

    posts = Position.objects.filter(member_id__in=ids, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )
    for member_id in posts.values_list("member_id", flat=True):
        found[member_id].holds_post = True
    return found
