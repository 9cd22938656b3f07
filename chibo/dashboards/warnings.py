"""Early warnings (C16): the signs of a cell meeting for form's sake, each with its evidence, a link and
the rule-set setting behind its threshold (chibo.rules: warn_*). Warnings are read, never a block.

They are computed for the cells under a node as the tree stands on a day, with a constant number of
queries per kind whatever the number of cells. The month without a meeting and the quarter without a
thematic meeting are the calendar's own checks (chibo.scheduling.selectors.month_calendar), reused.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.scope import AnyUser
from chibo.dashboards.models import CellMonth, WarningAck
from chibo.dashboards.similarity import jaccard, shingles
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion
from chibo.rules.selectors import RulesetResolver
from chibo.scheduling.calendar import month_start, next_month, quarter_of
from chibo.scheduling.selectors import month_calendar
from chibo.supervision.models import Assignment
from chibo.supervision.selectors import upper_guests
from chibo.tasks.models import TaskAssignment

S = Meeting.Status
KINDS = {
    "no_meeting": gettext_lazy("Tháng không sinh hoạt"),
    "no_thematic": gettext_lazy("Quý không sinh hoạt chuyên đề"),
    "attendance_falling": gettext_lazy("Tỷ lệ dự họp giảm liên tiếp"),
    "absent_run": gettext_lazy("Đảng viên vắng nhiều buổi liên tiếp"),
    "silent": gettext_lazy("Đảng viên không phát biểu"),
    "similar_resolution": gettext_lazy("Nghị quyết gần như trùng lặp"),
    "overdue_tasks": gettext_lazy("Nhiệm vụ quá hạn"),
    "unattended": gettext_lazy("Cán bộ được phân công chưa dự sinh hoạt"),
}
# The setting each kind's threshold comes from (shown beside the warning).
SETTINGS = {
    "no_meeting": None,
    "no_thematic": "thematic_per_quarter",
    "attendance_falling": "warn_attendance_fall_months",
    "absent_run": "warn_absent_run",
    "silent": "warn_silent_months",
    "similar_resolution": "warn_similarity_pct",
    "overdue_tasks": "warn_overdue_days",
    "unattended": "supervision_gap_days",
}


@dataclass
class Warning:
    kind: str
    key: str  # stable: the acknowledgements find it again
    cell: Organization
    text: str
    evidence: list[str]
    link: str
    threshold: str = ""
    acks: list[WarningAck] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def acknowledged(self) -> bool:
        return bool(self.acks)


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _m(day: date) -> str:
    return day.strftime("%m/%Y")


CELLS_SQL = """
WITH RECURSIVE tree(org_id, kind) AS (
    SELECT v.org_id, v.kind FROM organizations_orgversion v
     WHERE v.org_id = %s AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
    UNION ALL
    SELECT v.org_id, v.kind FROM organizations_orgversion v JOIN tree t ON v.parent_id = t.org_id
     WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
)
SELECT org_id FROM tree WHERE kind IN (%s, %s)
"""


def cells_under(org: Organization, day: date) -> list[Organization]:
    """The cells at or under `org` on `day` (one recursive query, then the rows)."""
    with connection.cursor() as cursor:
        cursor.execute(CELLS_SQL, [org.pk, day, day, day, day, *Organization.CELL_KINDS])
        ids = [row[0] for row in cursor.fetchall()]
    return list(Organization.objects.filter(pk__in=ids).order_by("name", "pk"))


def _previous_month(first: date) -> date:
    return month_start(first - timedelta(days=1))


def _calendar_warnings(user: AnyUser, org: Organization, day: date, cells: dict[int, Organization]) -> list[Warning]:
    """A month without a regular meeting (last month; this month once its fixed day has passed) and the
    last full quarter without a thematic one: the calendar's checks."""
    found: list[Warning] = []
    this_month = month_start(day)
    for first in (_previous_month(this_month), this_month):
        for row in month_calendar(user, org, first).without_regular:
            if row.cell.pk not in cells or (
                first == this_month and (row.expected_day is None or row.expected_day >= day)
            ):
                continue
            expected = _d(row.expected_day) if row.expected_day else "—"
            found.append(
                Warning(
                    "no_meeting",
                    f"no_meeting:{row.cell.pk}:{first:%Y-%m}",
                    row.cell,
                    _("Không có buổi sinh hoạt thường kỳ tháng %(m)s.") % {"m": _m(first)},
                    [
                        _("Ngày sinh hoạt cố định theo quy định: %(d)s; không có buổi nào được lên lịch hoặc tổ chức.")
                        % {"d": expected}
                    ],
                    reverse("scheduling:month") + f"?org={org.pk}&month={first:%Y-%m}",
                    _("Điều lệ Đảng, Điều 24: chi bộ họp thường lệ mỗi tháng một lần."),
                )
            )
    q_start, _q_end = quarter_of(day)
    last_quarter_month = _previous_month(q_start)
    calendar = month_calendar(user, org, last_quarter_month)
    for row in calendar.without_thematic:
        if row.cell.pk not in cells:
            continue
        quarter_first, _end = quarter_of(last_quarter_month)
        label = f"{(quarter_first.month - 1) // 3 + 1}/{quarter_first.year}"
        found.append(
            Warning(
                "no_thematic",
                f"no_thematic:{row.cell.pk}:{quarter_first:%Y-%m}",
                row.cell,
                _("Quý %(q)s không có buổi sinh hoạt chuyên đề.") % {"q": label},
                [
                    _("Số buổi chuyên đề trong quý: %(n)s; yêu cầu: %(r)s.")
                    % {"n": row.thematic_in_quarter, "r": row.thematic_required}
                ],
                reverse("scheduling:month") + f"?org={org.pk}&month={last_quarter_month:%Y-%m}",
                _("Bộ quy định: %(n)s buổi chuyên đề mỗi quý.") % {"n": row.thematic_required},
            )
        )
    return found


def _attendance_falling(cells: dict[int, Organization], rules: dict[int, RuleSetVersion], day: date) -> list[Warning]:
    longest = max((r.warn_attendance_fall_months for r in rules.values()), default=3)
    first = month_start(day)
    for _i in range(longest + 2):
        first = _previous_month(first)
    series: dict[int, list[CellMonth]] = defaultdict(list)
    for row in CellMonth.objects.filter(
        org_id__in=list(cells), month__gte=first, month__lte=day, required__gt=0
    ).order_by("org_id", "month"):
        series[row.org_id].append(row)
    found = []
    for org_id, rows in series.items():
        n = rules[org_id].warn_attendance_fall_months
        last = rows[-(n + 1) :]
        if len(last) < n + 1:
            continue
        rates = [r.present / r.required for r in last]
        if all(later < earlier for earlier, later in zip(rates, rates[1:], strict=False)):
            cell = cells[org_id]
            found.append(
                Warning(
                    "attendance_falling",
                    f"attendance_falling:{org_id}:{last[-1].month:%Y-%m}",
                    cell,
                    _("Tỷ lệ dự họp giảm %(n)s tháng liên tiếp, còn %(rate)s%%.")
                    % {"n": n, "rate": f"{rates[-1] * 100:.1f}".replace(".", ",")},
                    [
                        f"{_m(r.month)}: {r.present}/{r.required} ({r.present * 100 / r.required:.1f}%)".replace(
                            ".", ","
                        )
                        for r in last
                    ],
                    reverse("dashboards:org", args=[org_id]),
                    _("Bộ quy định: cảnh báo khi giảm %(n)s tháng liên tiếp.") % {"n": n},
                )
            )
    return found


def _absent_runs(cells: dict[int, Organization], rules: dict[int, RuleSetVersion], day: date) -> list[Warning]:
    longest = max((r.warn_absent_run for r in rules.values()), default=3)
    ranked = (
        Meeting.objects.filter(org_id__in=list(cells), status=S.CLOSED, scheduled_date__lte=day)
        .annotate(rank=Window(RowNumber(), partition_by=[F("org_id")], order_by=F("scheduled_date").desc()))
        .filter(rank__lte=longest)
        .values_list("pk", "org_id", "rank")
    )
    rank_of = {pk: (org_id, rank) for pk, org_id, rank in ranked}
    absent = Q(status__in=(Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED))
    rows = (
        Attendance.objects.filter(absent, meeting_id__in=list(rank_of), is_exempt=False)
        .values_list("member_id", "member__full_name", "meeting_id", "meeting__scheduled_date", "status", "reason")
        .order_by("member_id", "meeting__scheduled_date")
    )
    by_member: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_member[row[0]].append(row)
    found = []
    for member_id, items in by_member.items():
        org_id = rank_of[items[0][2]][0]
        n = rules[org_id].warn_absent_run
        ranks = {rank_of[i[2]][1] for i in items}
        if not set(range(1, n + 1)) <= ranks:
            continue
        recent = [i for i in items if rank_of[i[2]][1] <= n]
        last_meeting = max(recent, key=lambda i: i[3])
        found.append(
            Warning(
                "absent_run",
                f"absent_run:{member_id}:{last_meeting[2]}",
                cells[org_id],
                _("%(name)s vắng %(n)s buổi sinh hoạt liên tiếp.") % {"name": items[0][1], "n": n},
                [
                    f"{_d(i[3])}: "
                    + (
                        _("vắng có lý do (%(r)s)") % {"r": i[5]}
                        if i[4] == Attendance.Status.EXCUSED
                        else _("vắng không lý do")
                    )
                    for i in recent
                ],
                reverse("members:detail", args=[member_id]),
                _("Bộ quy định: cảnh báo khi vắng %(n)s buổi liên tiếp.") % {"n": n},
            )
        )
    return found


def _months_back(day: date, n: int) -> date:
    first = month_start(day)
    for _i in range(n):
        first = _previous_month(first)
    return first


SILENT_NAMES = 10  # names listed in a cell's warning; the count says how many in all


def _next_meetings(cell_ids: list[int], day: date) -> dict[int, int]:
    """Each cell's next planned meeting from `day` (one query): where a warning is acted on."""
    found: dict[int, int] = {}
    for org_id, pk in (
        Meeting.objects.filter(org_id__in=cell_ids, status=S.PLANNED, scheduled_date__gte=day)
        .order_by("org_id", "scheduled_date", "scheduled_time")
        .values_list("org_id", "pk")
    ):
        found.setdefault(org_id, pk)
    return found


def _silent(cells: dict[int, Organization], rules: dict[int, RuleSetVersion], day: date) -> list[Warning]:
    """One warning per cell naming the members who were present during the last N months (warn_silent_months)
    and never took the floor, who were on the roll from the first meeting of the window (a newcomer is not
    flagged for months they were not there). Whoever chaired or took the minutes of a meeting of the window
    ran it and is not counted silent. It links to the cell's next meeting, where speakers are invited."""
    longest = max((r.warn_silent_months for r in rules.values()), default=6)
    start = _months_back(day, longest)
    rows = list(
        Meeting.objects.filter(
            org_id__in=list(cells), status=S.CLOSED, scheduled_date__gte=start, scheduled_date__lte=day
        ).values_list("pk", "org_id", "scheduled_date", "chair_id", "recorder_id")
    )
    meetings = {pk: (org_id, held) for pk, org_id, held, _c, _r in rows}
    window_start = {org_id: _months_back(day, rules[org_id].warn_silent_months) for org_id in cells}
    first_meeting: dict[int, date] = {}
    took_part: set[tuple[int, int]] = set()
    for _pk, org_id, held, chair, recorder in rows:
        if held >= window_start[org_id]:
            first_meeting[org_id] = min(first_meeting.get(org_id, held), held)
            took_part.update({(chair, org_id), (recorder, org_id)})
    took_part.update(
        SpeakingTurn.objects.filter(meeting_id__in=list(meetings), status__in=SpeakingTurn.SPOKEN_STATUSES).values_list(
            "member_id", "meeting__org_id"
        )
    )
    seen: dict[tuple[int, int], list] = {}
    for member_id, name, meeting_id, status in Attendance.objects.filter(
        meeting_id__in=list(meetings), is_exempt=False
    ).values_list("member_id", "member__full_name", "meeting_id", "status"):
        org_id, held = meetings[meeting_id]
        if held < window_start[org_id]:
            continue
        entry = seen.setdefault((member_id, org_id), [name, 0, 0, False])
        entry[1] += 1
        entry[2] += status in Attendance.PRESENT_STATUSES
        entry[3] = entry[3] or held == first_meeting.get(org_id)
    by_cell: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for (member_id, org_id), (name, meetings_on_roll, present, from_start) in seen.items():
        if (member_id, org_id) in took_part or present == 0 or not from_start:
            continue
        if first_meeting[org_id] >= next_month(window_start[org_id]):
            continue  # the cell's meetings do not cover the whole window
        by_cell[org_id].append((name, present, meetings_on_roll))
    next_meeting = _next_meetings(list(by_cell), day)
    found = []
    for org_id, silent in by_cell.items():
        n = rules[org_id].warn_silent_months
        silent.sort(key=lambda m: (-m[1], m[0]))
        link = (
            reverse("meetings:prepare", args=[next_meeting[org_id]])
            if org_id in next_meeting
            else reverse("dashboards:org", args=[org_id])
        )
        found.append(
            Warning(
                "silent",
                f"silent:{org_id}:{month_start(day):%Y-%m}",
                cells[org_id],
                _("%(k)s đảng viên có mặt nhưng không phát biểu lần nào trong %(n)s tháng.")
                % {"k": len(silent), "n": n},
                [
                    _("%(name)s: có mặt %(p)s/%(t)s buổi từ %(m)s.")
                    % {"name": name, "p": present, "t": on_roll, "m": _m(window_start[org_id])}
                    for name, present, on_roll in silent[:SILENT_NAMES]
                ],
                link,
                _("Bộ quy định: cảnh báo sau %(n)s tháng không phát biểu.") % {"n": n},
            )
        )
    return found


def _unattended(cells: dict[int, Organization], rules: dict[int, RuleSetVersion], day: date) -> list[Warning]:
    """Cadres assigned to follow a cell (chibo.supervision) who attended none of its meetings held in the rule
    set's period (supervision_gap_days up to `day`), though assigned for the whole of it. Who attended from
    above is supervision's one rule (upper_guests). Links to the committee's assignments and coverage."""
    longest = max((r.supervision_gap_days for r in rules.values()), default=92)
    start = day - timedelta(days=longest)
    window = {org_id: day - timedelta(days=rules[org_id].supervision_gap_days) for org_id in cells}
    assignments = [
        a
        for a in Assignment.objects.filter(cell_id__in=list(cells), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("cadre")
        .order_by("cell_id", "valid_from", "id")
        if a.valid_from <= window[a.cell_id]
    ]
    if not assignments:
        return []
    held: dict[int, list[date]] = defaultdict(list)
    for org_id, scheduled in Meeting.objects.filter(
        org_id__in={a.cell_id for a in assignments}, status=S.CLOSED, scheduled_date__gt=start, scheduled_date__lte=day
    ).values_list("org_id", "scheduled_date"):
        if scheduled > window[org_id]:
            held[org_id].append(scheduled)
    came: set[tuple[int, int]] = set()
    for user_id, org_id, scheduled in (
        upper_guests()
        .filter(meeting__org_id__in={a.cell_id for a in assignments}, meeting__scheduled_date__gt=start)
        .filter(meeting__scheduled_date__lte=day, user__isnull=False)
        .values_list("user_id", "meeting__org_id", "meeting__scheduled_date")
    ):
        if scheduled > window[org_id]:
            came.add((user_id, org_id))
    found = []
    for a in assignments:
        meetings = sorted(held.get(a.cell_id, []))
        if not meetings or (a.cadre_id, a.cell_id) in came:
            continue  # no meeting to attend (the month's own warning says so), or attended
        name = a.cadre.get_full_name() or a.cadre.username
        days = rules[a.cell_id].supervision_gap_days
        found.append(
            Warning(
                "unattended",
                f"unattended:{a.pk}:{month_start(day):%Y-%m}",
                cells[a.cell_id],
                _("Đồng chí %(name)s được phân công dự sinh hoạt nhưng chưa dự buổi nào trong %(n)s ngày qua.")
                % {"name": name, "n": days},
                [
                    _("Phân công từ %(d)s: %(t)s.") % {"d": _d(a.valid_from), "t": a.title},
                    _("Chi bộ đã họp %(k)s buổi (%(days)s), không có đồng chí dự.")
                    % {"k": len(meetings), "days": ", ".join(_d(m) for m in meetings)},
                ],
                reverse("supervision:assignments") + f"?org={a.committee_id}",
                _("Bộ quy định: chi bộ không có cấp trên dự quá %(n)s ngày.") % {"n": days},
            )
        )
    return found


RECENT_DRAFT_DAYS = 62  # drafts of meetings held or planned within two months of the day are checked


def _similar(cells: dict[int, Organization], rules: dict[int, RuleSetVersion], day: date) -> list[Warning]:
    """A draft resolution of a recent or coming meeting nearly identical to an earlier one of the cell."""
    window = (day - timedelta(days=RECENT_DRAFT_DAYS), day + timedelta(days=RECENT_DRAFT_DAYS))
    recent = list(
        Meeting.objects.filter(org_id__in=list(cells), scheduled_date__range=window)
        .exclude(status=S.CANCELLED)
        .exclude(draft_resolution="")
        .values_list("pk", "org_id", "scheduled_date", "draft_resolution", "status")
    )
    if not recent:
        return []
    earlier: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Meeting.objects.filter(org_id__in={r[1] for r in recent}, scheduled_date__lt=window[1])
        .exclude(status=S.CANCELLED)
        .exclude(draft_resolution="")
        .values_list("pk", "org_id", "scheduled_date", "draft_resolution")
    ):
        earlier[row[1]].append((row[0], row[2], shingles(row[3])))
    found = []
    for pk, org_id, held, text, status in recent:
        mine = shingles(text)
        threshold = rules[org_id].warn_similarity_pct
        best = max(
            (
                (jaccard(mine, other), other_pk, other_day)
                for other_pk, other_day, other in earlier[org_id]
                if other_day < held
            ),
            default=None,
        )
        if best is None or best[0] * 100 < threshold:
            continue
        pct = f"{best[0] * 100:.0f}"
        found.append(
            Warning(
                "similar_resolution",
                f"similar_resolution:{pk}",
                cells[org_id],
                _("Dự thảo nghị quyết buổi %(d)s giống %(p)s%% nghị quyết buổi %(e)s.")
                % {"d": _d(held), "p": pct, "e": _d(best[2])},
                [
                    _(
                        "Độ giống (Jaccard trên cụm %(k)s từ liên tiếp): %(p)s%%; "
                        "so với %(n)s nghị quyết trước của chi bộ."
                    )
                    % {"k": 3, "p": pct, "n": sum(1 for e in earlier[org_id] if e[1] < held)},
                    reverse("meetings:detail", args=[best[1]]),
                ],
                # a draft still to be held is rewritten on the preparation page
                reverse("meetings:prepare" if status == S.PLANNED else "meetings:detail", args=[pk]),
                _("Bộ quy định: cảnh báo từ %(p)s%% giống nhau.") % {"p": threshold},
            )
        )
    return found


def _overdue(cells: dict[int, Organization], rules: dict[int, RuleSetVersion], day: date) -> list[Warning]:
    rows = (
        TaskAssignment.objects.filter(task__org_id__in=list(cells), task__due_on__lt=day)
        .exclude(status=TaskAssignment.Status.DONE)
        .values_list("task__org_id", "task_id", "task__description", "task__due_on", "member__full_name")
        .order_by("task__org_id", "task__due_on", "task_id")
    )
    by_cell: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        if (day - row[3]).days > rules[row[0]].warn_overdue_days:
            by_cell[row[0]].append(row)
    found = []
    for org_id, items in by_cell.items():
        oldest = items[0]
        found.append(
            Warning(
                "overdue_tasks",
                f"overdue_tasks:{org_id}:{day:%Y-%m-%d}",
                cells[org_id],
                _("%(n)s phần việc quá hạn chưa hoàn thành.") % {"n": len(items)},
                [f"{i[4]}: {i[2][:80]} — " + _("hạn %(d)s") % {"d": _d(i[3])} for i in items[:5]],
                reverse("tasks:detail", args=[oldest[1]]),
                _("Bộ quy định: cảnh báo sau hạn %(n)s ngày.") % {"n": rules[org_id].warn_overdue_days},
            )
        )
    return found


KIND_ORDER = list(KINDS)


def warnings_for(user: AnyUser, org: Organization, day: date) -> list[Warning]:
    """Every warning of the cells under `org` on `day`, newest kinds first, acknowledgements attached."""
    cell_list = cells_under(org, day)
    if not cell_list:
        return []
    cells = {c.pk: c for c in cell_list}
    resolver = RulesetResolver(cell_list)
    rules = {c.pk: resolver.for_org(c, day) for c in cell_list}
    found = _calendar_warnings(user, org, day, cells)
    for check in (_attendance_falling, _absent_runs, _silent, _similar, _overdue, _unattended):
        found.extend(check(cells, rules, day))
    acks: dict[str, list[WarningAck]] = defaultdict(list)
    for ack in WarningAck.objects.filter(key__in=[w.key for w in found]).select_related("acknowledged_by"):
        acks[ack.key].append(ack)
    for w in found:
        w.acks = acks.get(w.key, [])
    return sorted(found, key=lambda w: (w.acknowledged, KIND_ORDER.index(w.kind), w.cell.name, w.key))
