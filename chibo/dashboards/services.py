"""Writes of the dashboards: the monthly summary of each cell (recomputed from the record, in the
background) and the acknowledgement of a warning."""

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.dashboards.models import CellMonth, SummaryRefresh, WarningAck
from chibo.dashboards.selectors import REVIEW_FIELDS, SUMMED
from chibo.directives.models import DirectiveTarget
from chibo.directives.selectors import LATE, ON_TIME, OVERDUE, target_status, targets_due
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.organizations.models import Organization
from chibo.quality.models import Level
from chibo.quality.selectors import levels_of
from chibo.reviews.models import MemberReview
from chibo.reviews.selectors import level_counts
from chibo.scheduling.calendar import month_start, next_month
from chibo.supervision.selectors import meetings_attended_from_above
from chibo.tasks.models import Task, TaskAssignment

S = Meeting.Status
COUNTED = SUMMED
SCORE_FIELD: dict[str, str] = {Level.GOOD: "score_good", Level.FAIR: "score_fair", Level.AVERAGE: "score_average",
               Level.POOR: "score_poor"}  # fmt: skip
DIRECTIVE_FIELD = {ON_TIME: "directives_on_time", LATE: "directives_late", OVERDUE: "directives_overdue"}


def _meetings_in(first: date, end: date, org_ids: Collection[int] | None) -> QuerySet[Meeting]:
    in_range = Q(period__gte=first, period__lt=end) | Q(
        period__isnull=True, scheduled_date__gte=first, scheduled_date__lt=end
    )
    qs = Meeting.objects.filter(in_range).exclude(status=S.CANCELLED)
    return qs if org_ids is None else qs.filter(org_id__in=org_ids)


def _month_rows(first: date, end: date, org_ids: Collection[int] | None, day: date) -> dict[tuple[int, date], dict]:
    """Each (cell, month)'s counts, from five grouped queries whatever the number of cells."""
    rows: dict[tuple[int, date], dict] = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    meetings = _meetings_in(first, end, org_ids)
    month_of: dict[int, tuple[int, date]] = {}
    for pk, org_id, kind, period, scheduled, status, started, with_thematic in meetings.values_list(
        "pk", "org_id", "kind", "period", "scheduled_date", "status", "started_at", "with_thematic"
    ):
        key = (org_id, period or scheduled.replace(day=1))
        month_of[pk] = key
        row = rows[key]
        row["planned"] += 1
        if status == S.CLOSED:
            row["held"] += 1
            row["held_on_day"] += started is not None and timezone.localdate(started) == scheduled
            row["regular_held"] += kind == Meeting.Kind.REGULAR
            row["thematic_held"] += kind == Meeting.Kind.THEMATIC or with_thematic
    closed = meetings.filter(status=S.CLOSED).values("pk")
    present = Q(status__in=Attendance.PRESENT_STATUSES)
    for item in (
        Attendance.objects.filter(meeting__in=closed)
        .values("meeting_id")
        .annotate(
            required=Count("pk", filter=Q(is_exempt=False)),
            present=Count("pk", filter=Q(is_exempt=False) & present),
            present_total=Count("pk", filter=present),
        )
    ):
        row = rows[month_of[item["meeting_id"]]]
        for name in ("required", "present", "present_total"):
            row[name] += item[name]
    for item in (
        SpeakingTurn.objects.filter(meeting__in=closed, status__in=SpeakingTurn.SPOKEN_STATUSES)
        .values("meeting_id")
        .annotate(n=Count("member_id", distinct=True))
    ):
        rows[month_of[item["meeting_id"]]]["speakers"] += item["n"]
    assignments = TaskAssignment.objects.filter(task__due_on__gte=first, task__due_on__lt=end)
    if org_ids is not None:
        assignments = assignments.filter(task__org_id__in=org_ids)
    done = Q(status=TaskAssignment.Status.DONE)
    for item in (
        assignments.annotate(month=TruncMonth("task__due_on"))
        .values("task__org_id", "month")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=done),
            overdue=Count("pk", filter=~done & Q(task__due_on__lt=day)),
        )
    ):
        month = item["month"].date() if isinstance(item["month"], datetime) else item["month"]
        row = rows[(item["task__org_id"], month)]
        row["tasks_due"] += item["due"]
        row["tasks_done"] += item["done"]
        row["tasks_overdue"] += item["overdue"]
    _quality_and_supervision(rows, closed, month_of)
    _directives(rows, first, end, org_ids, day)
    _reviews(rows, first, end, org_ids)
    return rows


def _quality_and_supervision(rows: dict, closed: QuerySet, month_of: dict[int, tuple[int, date]]) -> None:
    """The held meetings' quality levels (chibo.quality) and those attended from above (chibo.supervision)."""
    for meeting_id, level, confirmed in levels_of(closed):
        row = rows[month_of[meeting_id]]
        row[SCORE_FIELD[level]] += 1
        row["score_confirmed"] += confirmed
    for meeting_id in meetings_attended_from_above(closed):
        rows[month_of[meeting_id]]["supervised"] += 1


def _directives(rows: dict, first: date, end: date, org_ids: Collection[int] | None, day: date) -> None:
    """Directives by the month of their deadline, each target's standing as chibo.directives reads it."""
    for cell_id, deadline, held_on in targets_due(first, end, org_ids):
        row = rows[(cell_id, deadline.replace(day=1))]
        row["directives_due"] += 1
        status = target_status(deadline, held_on, day)
        if status in DIRECTIVE_FIELD:
            row[DIRECTIVE_FIELD[status]] += 1


def _reviews(rows: dict, first: date, end: date, org_ids: Collection[int] | None) -> None:
    """The year-end classification of the years whose December lies in the range, on the December row."""
    years = [y for y in range(first.year, end.year + 1) if first <= date(y, 12, 1) < end]
    if not years:
        return
    for (cell_id, year), counts in level_counts(years, org_ids).items():
        row = rows[(cell_id, date(year, 12, 1))]
        row["reviewed"] += counts["total"]
        row["review_not_rated"] += counts["not_rated"]
        for level, name in REVIEW_FIELDS.items():
            row[name] += counts[level]


@transaction.atomic
def summary_refresh(
    *, by: str, first: date, last: date, org_ids: Collection[int] | None = None, full: bool = False
) -> int:
    """Recompute the cells' months from `first` to `last` (all cells, or `org_ids`) from the record."""
    started = timezone.now()
    first, end = month_start(first), next_month(month_start(last))
    rows = _month_rows(first, end, org_ids, today())
    stale = CellMonth.objects.filter(month__gte=first, month__lt=end)
    if org_ids is not None:
        stale = stale.filter(org_id__in=org_ids)
    stale.delete()
    CellMonth.objects.bulk_create(
        [
            CellMonth(org_id=org_id, month=month, refreshed_at=started, **counts)
            for (org_id, month), counts in rows.items()
        ],
        batch_size=2000,
    )
    SummaryRefresh.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        first_month=first,
        last_month=month_start(last),
        rows=len(rows),
        full=full,
        by=by[:100],
    )
    return len(rows)


def summary_refresh_all(*, by: str) -> int:
    """Every month that has a meeting or a task, for every cell (after a restore, a first deployment)."""
    bounds = [
        d
        for d in (
            Meeting.objects.order_by("scheduled_date").values_list("scheduled_date", flat=True).first(),
            Task.objects.order_by("due_on").values_list("due_on", flat=True).first(),
        )
        if d is not None
    ]
    first = min(bounds, default=today())
    latest = [
        d
        for d in (
            Meeting.objects.order_by("-scheduled_date").values_list("scheduled_date", flat=True).first(),
            DirectiveTarget.objects.order_by("-directive__deadline")
            .values_list("directive__deadline", flat=True)
            .first(),
            date(today().year, 12, 1),  # this year's review, once it is held
        )
        if d is not None
    ]
    last = max(today(), *latest)
    return summary_refresh(by=by, first=first, last=last, full=True)


def summary_refresh_changed(*, by: str) -> int:
    """What the background job runs every few minutes: the months touched since the last run, for the
    cells touched, and for every cell this month and last (tasks fall overdue with the days)."""
    last = SummaryRefresh.objects.order_by("-started_at").first()
    if last is None:
        return summary_refresh_all(by=by)
    since = last.started_at
    this_month = month_start(today())
    previous = month_start(this_month - timedelta(days=1))
    count = summary_refresh(by=by, first=previous, last=this_month)
    touched: dict[int, set[date]] = defaultdict(set)
    changed = Meeting.objects.filter(
        Q(updated_at__gte=since)
        | Q(attendances__recorded_at__gte=since)
        | Q(turns__updated_at__gte=since)
        | Q(tasks__assignments__reported_at__gte=since)
        | Q(tasks__created_at__gte=since)
        | Q(score__updated_at__gte=since)
        | Q(guests__created_at__gte=since)
    ).distinct()
    for org_id, period, scheduled in changed.values_list("org_id", "period", "scheduled_date"):
        touched[org_id].add(period or scheduled.replace(day=1))
    for org_id, due in Task.objects.filter(
        Q(created_at__gte=since) | Q(assignments__reported_at__gte=since)
    ).values_list("org_id", "due_on"):
        touched[org_id].add(due.replace(day=1))
    for org_id, deadline in DirectiveTarget.objects.filter(
        Q(dissemination__recorded_at__gte=since) | Q(directive__created_at__gte=since)
    ).values_list("cell_id", "directive__deadline"):
        touched[org_id].add(deadline.replace(day=1))
    for org_id, year in (
        MemberReview.objects.filter(updated_at__gte=since).values_list("cell_review__org_id", "cell_review__year")
    ).distinct():
        touched[org_id].add(date(year, 12, 1))
    for org_id, months in touched.items():
        old = [m for m in months if m not in (previous, this_month)]  # those two are refreshed already
        if old:
            count += summary_refresh(by=by, first=min(old), last=max(old), org_ids=[org_id])
    return count


@records_actor
@transaction.atomic
def warning_acknowledge(*, actor: User, key: str, org: Organization, kind: str, note: str) -> WarningAck:
    """A committee notes it has seen a warning and what it does about it; earlier notes stay."""
    note = (note or "").strip()
    if not note:
        raise ChiboError(_("Ghi rõ chi bộ, cấp ủy đã làm gì với cảnh báo này."), field="note")
    if len(note) > 2000:
        raise ChiboError(_("Ghi chú dài quá 2.000 ký tự."), field="note")
    return WarningAck.objects.create(key=key[:120], org=org, kind=kind[:24], note=note, acknowledged_by=actor)
