"""Reads of C13: the month's residents' opinions for the agenda, the health station's rows, loads, the map."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from chibo.households.models import Assignment, Household, LiaisonEvent
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization

K = LiaisonEvent.Kind


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    nxt = (first.replace(day=28) + (date.resolution * 4)).replace(day=1)
    return first, nxt


def month_before(day: date) -> date:
    """The same day a month earlier (the 31st falls back to the month's last day)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def opinions_before(cell: Organization, day: date) -> QuerySet[LiaisonEvent]:
    """Residents' opinions and requests of the cell's area recorded in the month up to `day` (excluded)."""
    return (
        LiaisonEvent.objects.filter(
            household__cell=cell, kind=K.OPINION, occurred_on__gte=month_before(day), occurred_on__lt=day
        )
        .select_related("household")
        .order_by("occurred_on", "id")
    )


def opinion_lines(events: QuerySet[LiaisonEvent]) -> list[str]:
    """One line per opinion, as the agenda and the minutes print it (the hamlet, never the resident's name)."""
    return [f"- {e.household.hamlet} ({e.occurred_on:%d/%m/%Y}): {' '.join(e.text.split())}" for e in events]


def opinions_for_agenda(meeting: Meeting) -> str:
    """The hook of chibo.meetings.agenda: the notes of "Ý kiến, kiến nghị của nhân dân"."""
    lines = opinion_lines(opinions_before(meeting.org, meeting.scheduled_date))
    if not lines:
        return ""
    return "\n".join(["Ý kiến, kiến nghị của nhân dân ghi nhận qua đảng viên phụ trách hộ:", *lines])


def current_members(households: QuerySet[Household]) -> dict[int, int]:
    """household id → member id in charge now."""
    return dict(Assignment.objects.current().filter(household__in=households).values_list("household_id", "member_id"))


def loads(cell: Organization) -> dict[int, int]:
    """member id → households in their charge now."""
    rows = (
        Assignment.objects.current()
        .filter(household__cell=cell)
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
    return dict(rows)


def health_events(cell: Organization, month: date) -> QuerySet[LiaisonEvent]:
    """The month's arrivals and notifications of the cell's area: an arrival dated in the month, or a
    notification made in it."""
    first, nxt = month_bounds(month)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(nxt, time.min))
    return (
        LiaisonEvent.objects.filter(household__cell=cell)
        .filter(
            Q(kind=K.ARRIVAL, arrived_on__gte=first, arrived_on__lt=nxt)
            | Q(kind__in=[K.ARRIVAL, K.NOTIFICATION], notified_at__gte=start, notified_at__lt=end)
        )
        .select_related("household")
        .order_by("arrived_on", "notified_at", "id")
    )


def due_follow_ups(member_id: int, day: date) -> QuerySet[LiaisonEvent]:
    return (
        LiaisonEvent.objects.filter(member_id=member_id, follow_up_done=False, follow_up_on__lte=day)
        .select_related("household")
        .order_by("follow_up_on", "id")
    )


# --- The map ------------------------------------------------------------------------------------------

# Colours told apart on a phone in daylight; members beyond them reuse the list (the legend says who).
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
)


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    colour: str
    title: str


@dataclass(frozen=True)
class MapLegend:
    colour: str
    name: str
    count: int


@dataclass(frozen=True)
class HouseholdMap:
    width: int
    height: int
    points: list[MapPoint]
    homes: list[MapPoint]
    legend: list[MapLegend]
    without_coordinates: int


def household_map(households: QuerySet[Household], *, width: int = 360, height: int = 360) -> HouseholdMap:
    """An SVG's worth of points (no tiles, no network): households coloured by the member in charge, and
    the members' homes as squares. Two queries."""
    rows = list(households.values_list("pk", "head_name", "hamlet", "lat", "lon").order_by("pk"))
    in_charge = dict(
        Assignment.objects.current()
        .filter(household_id__in=[r[0] for r in rows])
        .values_list("household_id", "member_id")
    )
    from chibo.members.models import Member

    members = {
        m.pk: m
        for m in Member.objects.filter(pk__in=set(in_charge.values())).only(
            "pk", "full_name", "name_sort_key", "home_lat", "home_lon"
        )
    }
    ordered = sorted(members.values(), key=lambda m: (m.name_sort_key, m.pk))
    colour = {m.pk: PALETTE[i % len(PALETTE)] for i, m in enumerate(ordered)}
    placed = [r for r in rows if r[3] is not None]
    coords = [(float(r[3] or 0), float(r[4] or 0)) for r in placed] + [
        (float(m.home_lat), float(m.home_lon))  # type: ignore[arg-type]
        for m in ordered
        if m.home_lat is not None and m.home_lon is not None
    ]
    if not coords:
        return HouseholdMap(width, height, [], [], [], len(rows))
    lats, lons = [c[0] for c in coords], [c[1] for c in coords]
    import math

    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span = max((max(lons) - min(lons)) * scale_x, max(lats) - min(lats)) or 1e-4
    pad = 10

    def project(lat: float, lon: float) -> tuple[float, float]:
        x = pad + (lon - min(lons)) * scale_x / span * (width - 2 * pad)
        y = height - pad - (lat - min(lats)) / span * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    grey = "#bbbbbb"
    points = []
    for pk, head, hamlet, lat, lon in placed:
        x, y = project(float(lat or 0), float(lon or 0))
        member_id = in_charge.get(pk)
        who = members[member_id].full_name if member_id in members else "—"
        points.append(MapPoint(x, y, colour.get(member_id, grey) if member_id else grey, f"{head}, {hamlet} — {who}"))
    homes = []
    for m in ordered:
        if m.home_lat is not None and m.home_lon is not None:
            x, y = project(float(m.home_lat), float(m.home_lon))  # type: ignore[arg-type]
            homes.append(MapPoint(x, y, colour[m.pk], m.full_name))
    counts: dict[int, int] = {}
    for member_id in in_charge.values():
        counts[member_id] = counts.get(member_id, 0) + 1
    legend = [MapLegend(colour[m.pk], m.full_name, counts.get(m.pk, 0)) for m in ordered]
    return HouseholdMap(width, height, points, homes, legend, len(rows) - len(placed))
