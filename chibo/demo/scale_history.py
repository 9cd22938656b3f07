"""A year of monthly meetings for one synthetic province (seed_scale), for the dashboards' benchmark.

Each cell of the province holds its regular meeting on the 5th of each of the twelve months before this
one; every member on its roll is marked (about 90% present, the rest excused or absent), about a third of
those present take the floor; then the dashboards' monthly summary is computed by its own service
(chibo.dashboards.services.summary_refresh), as the background job would. Rows are written the way the
services leave them, with COPY on PostgreSQL (bulk_create elsewhere), not through the services: a
province's year is ~7,000 meetings and ~180,000 attendance rows.
"""

import random
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction

from chibo.core.dates import today
from chibo.dashboards.models import CellMonth
from chibo.dashboards.services import summary_refresh
from chibo.demo.scale import CODE_PREFIX, _copy
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.members.models import Member
from chibo.organizations.models import Organization, OrgVersion
from chibo.rules.selectors import ruleset_for
from chibo.scheduling.calendar import month_start

VN = ZoneInfo(settings.TIME_ZONE)
A = Attendance.Status


def _write(model: type[models.Model], objs: Iterable[models.Model]) -> None:
    if connection.vendor == "postgresql":
        _copy(model, objs)
    else:
        model.objects.bulk_create(list(objs), batch_size=5000)  # type: ignore[attr-defined]


def history_months(day: date, months: int) -> list[date]:
    first, found = month_start(day), []
    for _i in range(months):
        first = month_start(first - timedelta(days=1))
        found.append(first)
    return sorted(found)


@transaction.atomic
def seed_history(*, province_code: str = f"{CODE_PREFIX}.01", months: int = 12, seed: int = 1) -> dict[str, int]:
    """Meetings, attendance and speakers of `months` months for the province's cells; nothing if the
    province already has meetings (the bench reuses a seed)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    province = Organization.objects.get(code=province_code)
    cells = list(
        Organization.objects.filter(path__startswith=province.path, kind__in=Organization.CELL_KINDS).values_list(
            "pk", flat=True
        )
    )
    if Meeting.objects.filter(org_id__in=cells).exists():
        return {"meetings": 0, "attendance": 0, "turns": 0, "summary_rows": 0}
    periods = history_months(today(), months)
    rules = ruleset_for(province, periods[0])
    _write(
        Meeting,
        (
            Meeting(
                org_id=cell,
                kind=Meeting.Kind.REGULAR,
                period=period,
                with_thematic=period.month % 3 == 2,
                thematic_topic="Chuyên đề quý" if period.month % 3 == 2 else "",
                scheduled_date=period.replace(day=5),
                scheduled_time=time(19, 0),
                status=Meeting.Status.CLOSED,
                ruleset=rules,
                started_at=datetime.combine(period.replace(day=5), time(19, 5), tzinfo=VN),
                ended_at=datetime.combine(period.replace(day=5), time(21, 0), tzinfo=VN),
            )
            for cell in cells
            for period in periods
        ),
    )
    meetings = list(Meeting.objects.filter(org_id__in=cells).values_list("pk", "org_id", "scheduled_date"))
    roll: dict[int, list[tuple[int, bool]]] = {}
    for pk, org_id, official_on in Member.objects.filter(org_id__in=cells, left_on__isnull=True).values_list(
        "pk", "org_id", "official_on"
    ):
        roll.setdefault(org_id, []).append((pk, official_on is not None))
    counts = {"attendance": 0, "turns": 0}
    speakers: list[tuple[int, int, datetime]] = []

    def attendance() -> Iterator[Attendance]:
        for meeting_id, org_id, day in meetings:
            start = datetime.combine(day, time(19, 30), tzinfo=VN)
            for member_id, official in roll.get(org_id, []):
                draw = rng.random()
                status = A.PRESENT if draw < 0.9 else A.EXCUSED if draw < 0.97 else A.UNEXCUSED
                if status == A.PRESENT and rng.random() < 0.33:
                    speakers.append((meeting_id, member_id, start))
                counts["attendance"] += 1
                yield Attendance(
                    meeting_id=meeting_id,
                    member_id=member_id,
                    is_official=official,
                    status=status,
                    reason="Ốm" if status == A.EXCUSED else "",
                )

    _write(Attendance, attendance())

    def turns() -> Iterator[SpeakingTurn]:
        position: dict[int, int] = {}
        for meeting_id, member_id, start in speakers:
            position[meeting_id] = position.get(meeting_id, 0) + 1
            began = start + timedelta(minutes=4 * position[meeting_id])
            counts["turns"] += 1
            yield SpeakingTurn(
                meeting_id=meeting_id,
                member_id=member_id,
                position=position[meeting_id],
                status=SpeakingTurn.Status.DONE,
                summary="Ý kiến",
                started_at=began,
                ended_at=began + timedelta(minutes=3),
            )

    _write(SpeakingTurn, turns())
    rows = summary_refresh(by="seed_scale", first=periods[0], last=periods[-1], org_ids=cells)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would leave them on a settled database: the planner then
        # reads a period's summary rows through the index it estimates right.
        with connection.cursor() as cursor:
            for model in (Meeting, Attendance, SpeakingTurn, CellMonth, OrgVersion):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {"meetings": len(meetings), **counts, "summary_rows": rows}
