"""Reads of meeting quality (C14) worth naming, for pages, the API, the minutes and the dashboards:
a meeting's score and level, who may confirm it, and a cell's level for a quarter or a year."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from chibo.accounts.models import User
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization
from chibo.quality.models import LEVEL_ORDER, Level, MeetingScore, ScoreItem


def level_for(total: int, full_by_key: dict[str, bool], scheme: dict[str, Any]) -> str:
    """The level of a meeting's total under its scheme: Tốt needs the cut-off *and* full marks on the
    criteria the scheme names (attendance, duration, members' opinions, minutes); short of them, Khá."""
    cuts = scheme["levels"]
    if total >= cuts["good"]:
        required = scheme.get("good_requires_full", [])
        return Level.GOOD if all(full_by_key.get(k, False) for k in required) else Level.FAIR
    if total >= cuts["fair"]:
        return Level.FAIR
    if total >= cuts["average"]:
        return Level.AVERAGE
    return Level.POOR


def upper_level_attendees(meeting: Meeting) -> list[User]:
    """Who attended the meeting from above and may confirm its score: the accounts among those recorded as
    attending from above — the one rule, chibo.supervision.selectors.attended_from_above."""
    from chibo.supervision.selectors import attended_from_above

    return [g.user for g in attended_from_above(meeting) if g.user is not None]


def score_of(meeting: Meeting) -> MeetingScore | None:
    """The meeting's score with its criteria (two queries), or None before it is proposed."""
    score = MeetingScore.objects.filter(meeting=meeting).select_related("confirmed_by").first()
    if score is not None:
        score.item_list = list(ScoreItem.objects.filter(score=score).order_by("position"))  # type: ignore[attr-defined]
    return score


@dataclass(frozen=True)
class ScoreSummary:
    """What a meeting's page, the API's meeting detail and the dashboards show of its score."""

    total: int
    max_total: int
    level: str
    level_label: str
    state: str
    confirmed_by: str
    confirmed_at: Any


def score_summary(meeting: Meeting) -> ScoreSummary | None:
    score = MeetingScore.objects.filter(meeting=meeting).first()
    if score is None:
        return None
    return ScoreSummary(
        total=score.total,
        max_total=score.max_total,
        level=score.level,
        level_label=str(score.get_level_display()),
        state=score.state,
        confirmed_by=score.confirmed_by_name,
        confirmed_at=score.confirmed_at,
    )


def scores_to_confirm(user: Any) -> QuerySet[MeetingScore]:
    """Scores the members voted that wait for this cadre's confirmation: meetings they attended from above
    (chibo.supervision's one rule), not yet confirmed nor locked. The home page leads with them."""
    from chibo.supervision.selectors import upper_guests

    return (
        MeetingScore.objects.filter(
            meeting__in=upper_guests().filter(user_id=user.pk).values("meeting_id"),
            voted_at__isnull=False,
            confirmed_at__isnull=True,
            locked_at__isnull=True,
        )
        .select_related("meeting__org")
        .order_by("meeting__scheduled_date", "pk")
    )


def scores_to_vote(member_id: int) -> QuerySet[MeetingScore]:
    """Proposed scores of the meetings this member chaired or recorded, still to be put to the members' vote."""
    return (
        MeetingScore.objects.filter(Q(meeting__chair_id=member_id) | Q(meeting__recorder_id=member_id))
        .filter(voted_at__isnull=True, locked_at__isnull=True)
        .select_related("meeting__org")
        .order_by("meeting__scheduled_date", "pk")
    )


def levels_of(meetings: QuerySet[Meeting]) -> list[tuple[int, str, bool]]:
    """(meeting id, level, confirmed from above) of the scores of these meetings: the dashboards' monthly
    summary counts them (one query)."""
    return [
        (meeting_id, level, confirmed_at is not None)
        for meeting_id, level, confirmed_at in MeetingScore.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", "level", "confirmed_at"
        )
    ]


def scores_in(org: Organization, start: date, end: date) -> QuerySet[MeetingScore]:
    """The scores of the cell's regular meetings held in [start, end), by date (one query)."""
    return (
        MeetingScore.objects.filter(
            meeting__org=org,
            meeting__kind=Meeting.Kind.REGULAR,
            meeting__scheduled_date__gte=start,
            meeting__scheduled_date__lt=end,
        )
        .select_related("meeting")
        .order_by("meeting__scheduled_date")
    )


@dataclass(frozen=True)
class PeriodLevel:
    """A cell's level for a quarter or a year, with the figures it rests on."""

    level: str | None  # None: no meeting scored in the period
    meetings: int
    good: int
    average_total: float | None
    months: int
    reasons: list[str]

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else "—"


def _at_least(level: str, floor: str) -> bool:
    return LEVEL_ORDER.index(Level(level)) <= LEVEL_ORDER.index(Level(floor))


def cell_level(org: Organization, year: int, quarter: int | None = None) -> PeriodLevel:
    """The cell's level for a year (or one quarter of it) under the scheme of its latest scored meeting:
    a year is Tốt when every meeting is at least the scheme's floor (Khá) and at least N are Tốt (Phú Thọ:
    7; Bình Thuận: 10, with an average ≥ 90 and every month held). A quarter scales N to its 3 months.
    Otherwise the level of the average total, at most Khá."""
    if quarter is None:
        start, end, months = date(year, 1, 1), date(year + 1, 1, 1), 12
    else:
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        months = 3
    scores = list(scores_in(org, start, end))
    if not scores:
        return PeriodLevel(None, 0, 0, None, months, [])
    scheme = scores[-1].scheme
    rule = scheme.get("good_year", {})
    floor = rule.get("min_level_each", "fair")
    need_good = -(-rule.get("min_good_meetings", 0) * months // 12)
    good = sum(1 for s in scores if s.level == Level.GOOD)
    average = round(sum(s.total for s in scores) / len(scores), 1)
    held_months = {s.meeting.period for s in scores if s.meeting.period}
    reasons = []
    if not all(_at_least(s.level, floor) for s in scores):
        reasons.append(f"có buổi dưới mức {Level(floor).label}")
    if good < need_good:
        reasons.append(f"{good} buổi Tốt, cần ít nhất {need_good}")
    if rule.get("min_average") and average < rule["min_average"]:
        reasons.append(f"điểm bình quân {average}, cần ≥ {rule['min_average']}")
    if rule.get("every_month_held") and len(held_months) < months:
        reasons.append(f"họp {len(held_months)}/{months} tháng")
    if not reasons:
        return PeriodLevel(Level.GOOD, len(scores), good, average, months, [])
    by_average = level_for(int(average), {}, {**scheme, "good_requires_full": ["—"]})
    return PeriodLevel(by_average, len(scores), good, average, months, reasons)


STATE_WORDS = {
    "proposed": "đề xuất, chưa biểu quyết",
    "voted": "chi bộ đã biểu quyết, chờ cấp trên xác nhận",
    "confirmed": "đã được cấp trên xác nhận",
    "locked": "đã khóa cùng biên bản",
}


def score_lines(meeting: Meeting) -> list[str]:
    """ "Kết quả chấm điểm" as the minutes print it: the total and level, how it was voted and confirmed,
    each group's points, and every criterion that lost points with its evidence. In Vietnamese, the
    document's own language."""
    score = score_of(meeting)
    if score is None:
        return []
    level = Level(score.level).label
    lines = [f"Tổng điểm: {score.total}/{score.max_total}, xếp loại {str(level).lower()} ({STATE_WORDS[score.state]})."]
    if score.is_voted:
        lines.append(
            f"Chi bộ biểu quyết kết quả chấm điểm: tán thành {score.votes_for}, không tán thành "
            f"{score.votes_against}, không biểu quyết {score.votes_abstain}."
        )
    if score.is_confirmed and score.confirmed_at is not None:
        lines.append(f"Xác nhận của cấp trên: đồng chí {score.confirmed_by_name}, ngày {score.confirmed_at:%d/%m/%Y}.")
    items: list[ScoreItem] = score.item_list  # type: ignore[attr-defined]
    groups: dict[str, list[ScoreItem]] = {}
    for item in items:
        groups.setdefault(item.group_label, []).append(item)
    lines.append(
        "; ".join(f"{label}: {sum(i.points for i in g)}/{sum(i.max_points for i in g)}" for label, g in groups.items())
        + "."
    )
    for item in items:
        if item.points < item.max_points:
            lines.append(f"- {item.label}: {item.points}/{item.max_points} điểm — {item.evidence}")
        if item.adjusted:
            lines.append(f"  Chi ủy điều chỉnh từ {item.measured_points} điểm: {item.reason}")
    return lines
