"""The demo's recent history (C16): every cell of the three wards formed on 1/7/2025 meets monthly for the
twelve months before this one, and this month when its fixed day has passed, so a ward officer who signs
in today sees a living ward, its dashboard and its warnings.

Each meeting goes through the services under the stand-in clock (chibo.demo.replay.Clock): planned a
fortnight ahead, its draft resolution saved, opened on the day, the absentees marked and everyone else
present in one tap (attendance_record_all), each speaker's turn taken down as it ends (speaker_record),
the resolution voted when attendance allows it, closed. Lighter than the 2021 replay (no preparatory
meeting, agenda or guests, one call per speaker instead of three), so that `make demo` stays under two
minutes.

The variation makes each early warning fire at least once today:
- Trà Lồng 1's cell holds no meeting last month (a month without a meeting);
- Long Bình 1's cell holds no thematic session in the last full quarter;
- Bình Thạnh C's attendance falls in each of the last four months (falling three months running);
- one member of Thuận An 1's cell is away for the last three meetings (absent three running);
- at Bình An the same three members speak every time (the others have not spoken for six months);
- An Hòa's draft for this month, prepared by chibo.demo.meetings.add_upcoming, repeats the 2021
  resolution word for word (a resolution nearly identical to earlier months'); every other draft here
  is written afresh each month;
- tasks given two and one months ago, some reported done, some not (overdue tasks);
- the new Long Bình ward assigns cadres to its cells as Bình Thạnh did (chibo.demo.supervision): canbo.duhop
  still follows An Hòa and Bình An and attends most of their meetings, while the cadre assigned to the
  ward's People's Committee cell has attended none of its meetings this year (assigned cadres who have not
  attended).
Elsewhere speakers rotate, so that members who came and kept silent are the exception they should be.

Runs after the minutes of 2021 (chibo.demo.builder.STEPS): the tasks demo and the minutes step keep to
the year of the article; this step gives its own few tasks, and leaves An Hòa's last minutes unsigned
for its secretary's home page.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from chibo.accounts.models import User
from chibo.accounts.scope import forget_grants
from chibo.core.dates import today
from chibo.dashboards.services import summary_refresh_all
from chibo.demo import content
from chibo.demo.builder import NEW_WARDS, UNITS, Demo
from chibo.demo.replay import Clock, quiet_notices
from chibo.documents import services as document_services
from chibo.documents.models import MeetingDocument
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.meetings.selectors import live_totals
from chibo.members.models import Member, Position
from chibo.organizations.models import Organization
from chibo.rules.selectors import ruleset_for
from chibo.scheduling import services as scheduling_services
from chibo.scheduling.calendar import month_start, next_month, quarter_of, regular_meeting_date
from chibo.supervision import services as supervision_services
from chibo.supervision.selectors import followers_on
from chibo.tasks import services as task_services

A = Attendance.Status
MONTHS = 12
SKIP = "tl_1"  # no meeting last month
NO_THEMATIC = "lb_1"  # no thematic session in the last full quarter
FALLING = "bt_c"  # attendance falls each of the last four months
AWAY = "ta_1"  # one member absent the last three meetings
SAME_SPEAKERS = "bt_an"
TASK_CELLS = ("anhoa", "bt_a", "vt_1", "lp_1")  # give tasks two and one months ago
# The Long Bình ward's assignments since the reform: (username, title, cells, attends). The cadres are the
# ones the Bình Thạnh committee had assigned (chibo.demo.supervision.CADRES); the second never comes.
FOLLOWERS = (
    ("canbo.duhop", "Đảng ủy viên, Chủ tịch Ủy ban MTTQ Việt Nam phường", ("anhoa", "bt_an"), True),
    ("thuongvu.bithu", "Bí thư Đảng ủy phường", ("bt_ubnd",), False),
)
THEMATIC_MONTHS = {2, 5, 8, 11}

# Clauses a secretary drafts from, month by month (filled with the month's figures): no two months alike.
CLAUSES = (
    "Vận động {n} hộ còn lại ở {area} tham gia bảo hiểm y tế hộ gia đình trước ngày {date}.",
    "Thu đảng phí tháng {month} đạt 100%; đồng chí thủ quỹ báo cáo tại kỳ họp tới.",
    "Phối hợp Ban điều hành {area} tổ chức ra quân làm sạch tuyến {street} vào sáng Chủ nhật cuối tháng.",
    "Mỗi đảng viên đăng ký một việc làm theo gương Bác gắn với công việc hằng ngày, báo cáo kết quả tháng {next}.",
    "Rà soát hộ nghèo, cận nghèo năm {year}; đề xuất hỗ trợ {n} hộ sửa chữa nhà ở.",
    "Tuyên truyền Chỉ thị 50-CT/TW và Hướng dẫn 42-HD/BTCTW đến từng đảng viên, hoàn thành trước ngày {date}.",
    "Nắm tình hình người từ địa phương khác đến cư trú, báo Công an phường trong ngày.",
    "Vận động con em trong độ tuổi đến trường đầy đủ, không để học sinh bỏ học ở {area}.",
    "Hướng dẫn bà con chuyển đổi {n} công ruộng sang trồng màu theo kế hoạch của phường.",
    "Tổ chức thăm hỏi {n} gia đình chính sách, người cao tuổi neo đơn nhân dịp cuối tháng {month}.",
    "Hòa giải dứt điểm tranh chấp lối đi chung ở tuyến {street}, báo cáo chi ủy trước ngày {date}.",
    "Phát động đóng góp Quỹ vì người nghèo, chỉ tiêu bình quân {n}0.000 đồng mỗi hộ.",
    "Cập nhật dữ liệu đảng viên trên Sổ tay đảng viên điện tử; hoàn thành trước ngày {date}.",
    "Giới thiệu {n} quần chúng ưu tú cho lớp bồi dưỡng nhận thức về Đảng năm {year}.",
    "Phòng chống sốt xuất huyết: diệt lăng quăng tại {n} điểm nguy cơ ở {area} trong tháng {next}.",
    "Xây dựng mô hình dân vận khéo về giữ gìn an ninh trật tự ở tuyến {street}.",
    "Kiểm tra việc thực hiện nhiệm vụ của đảng viên được phân công phụ trách hộ, báo cáo kết quả tháng {next}.",
    "Chuẩn bị tổng kết năm {year}: các đồng chí tự kiểm điểm theo mẫu trước ngày {date}.",
)
AGENCY_CLAUSES = (
    "Hoàn thành {n} hồ sơ, thủ tục hành chính còn tồn đọng của đơn vị trước ngày {date}.",
    "Cán bộ, đảng viên nêu gương thực hiện văn hóa công sở, không sử dụng điện thoại trong giờ họp.",
    "Ứng dụng chuyển đổi số: {n} quy trình của đơn vị thực hiện trên môi trường mạng trong tháng {next}.",
    "Tiếp công dân đúng lịch; trả lời {n} kiến nghị của người dân trước ngày {date}.",
)
TOPICS = (
    "Đảng viên gương mẫu trong xây dựng khu dân cư văn minh",
    "Chuyển đổi số ở cơ sở và Sổ tay đảng viên điện tử",
    "Nâng cao chất lượng sinh hoạt chi bộ theo Chỉ thị 50-CT/TW",
    "Giảm nghèo bền vững gắn với phát triển kinh tế hộ",
)
STREETS = ("Trần Hưng Đạo", "3 Tháng 2", "Nguyễn Trung Trực", "Lê Lợi", "Quốc lộ 61B", "kênh Cái Nhúc")
TASKS = (
    "Vận động hộ dân tham gia bảo hiểm y tế hộ gia đình",
    "Cập nhật thông tin đảng viên trên Sổ tay đảng viên điện tử",
    "Thăm hỏi gia đình chính sách cuối năm",
    "Rà soát danh sách hộ cận nghèo",
)


@dataclass
class Cell:
    key: str
    org: Organization
    area: str | None
    secretary: Member
    recorder: Member
    actor: User
    members: list[Member]
    last_spoke: dict[int, date] = field(default_factory=dict)
    trio: list[Member] = field(default_factory=list)
    last_rate: float = 1.0

    @property
    def where(self) -> str:
        return f"khu vực {self.area}" if self.area else "cơ quan, đơn vị"


def _months_before(day: date) -> list[date]:
    first = month_start(day)
    months = []
    for _i in range(MONTHS):
        first = month_start(first - timedelta(days=1))
        months.append(first)
    return sorted(months)


def _cells(demo: Demo, rng: random.Random) -> list[Cell]:
    """Each cell's secretary, recorder, members, and who records its meetings: the secretary's own account,
    else the officer of its ward (since 1/7/2025)."""
    officers = {
        key: demo.users["danguy.binhthanh" if key == "long_binh_new" else "bantochuc"] for key, *_r in NEW_WARDS
    }
    ward_of = {unit: key for key, _name, _code, sources in NEW_WARDS for unit in sources}
    specs = {c.key: (u.key, c.area) for u in UNITS for c in u.cells}
    own = {u.member_id: u for u in demo.users.values() if u.member_id}
    titles: dict[int, dict[str, Member]] = {}
    for p in Position.objects.filter(org__in=demo.cells.values(), ended_on__isnull=True).select_related("member"):
        titles.setdefault(p.org_id, {})[p.title] = p.member
    found = []
    for key, org in demo.cells.items():
        unit, area = specs[key]
        secretary = titles[org.pk][Position.Title.SECRETARY]
        recorder = titles[org.pk].get(Position.Title.DEPUTY, secretary)
        if key == "anhoa":
            recorder = demo.users["dangvien.anhoa"].member  # type: ignore[assignment]
        members = list(Member.objects.filter(org=org, left_on__isnull=True).order_by("pk"))
        actor = own.get(secretary.pk) or officers[ward_of[unit]]
        run = Cell(key, org, area, secretary, recorder, actor, members)
        if key == SAME_SPEAKERS:
            # The same three who spoke at every meeting of 2021 (chibo.demo.meetings) still do.
            spoke = set(SpeakingTurn.objects.filter(meeting__org=org).values_list("member_id", flat=True))
            run.trio = [m for m in members if m.pk in spoke][:3]
        found.append(run)
    return found


def _draft(rng: random.Random, cell: Cell, period: date) -> str:
    pool = CLAUSES if cell.area else AGENCY_CLAUSES + CLAUSES[1::3]
    following = next_month(period)
    values = {
        "area": cell.where,
        "month": period.month,
        "next": following.month,
        "year": period.year,
        "street": rng.choice(STREETS),
        "date": (following + timedelta(days=rng.randint(9, 24))).strftime("%d/%m/%Y"),
    }
    clauses = [c.format(n=rng.randint(2, 15), **values) for c in rng.sample(pool, 4)]
    return "\n".join(f"{i}. {c}" for i, c in enumerate(clauses, 1))


def _absentees(rng: random.Random, cell: Cell, period: date, required: list[Member], months: list[date]) -> dict:
    """Who is absent (member → (status, reason)) this month."""
    free = [m for m in required if m.pk not in (cell.secretary.pk, cell.recorder.pk, *(t.pk for t in cell.trio))]
    absent: dict[int, tuple[str, str]] = {}
    if cell.key == FALLING and period >= months[-4]:
        rate = 1.0 if period == months[-4] else cell.last_rate - rng.uniform(0.06, 0.1)
        count = min(len(free), max(0, round(len(required) * (1 - rate))))
        if period != months[-4]:
            count = max(count, round(len(required) * (1 - cell.last_rate)) + 1)
        for m in rng.sample(free, count):
            absent[m.pk] = (A.EXCUSED, rng.choice(content.AREA_REASONS))
        cell.last_rate = (len(required) - len(absent)) / len(required)
        return absent
    for m in free:
        draw = rng.random()
        if draw < 0.05:
            absent[m.pk] = (A.EXCUSED, rng.choice(content.AREA_REASONS if cell.area else content.AGENCY_REASONS))
        elif draw < 0.06:
            absent[m.pk] = (A.UNEXCUSED, "")
    if cell.key == AWAY and period >= months[-3] and free:
        absent[free[0].pk] = (A.EXCUSED, content.AWAY_REASON)
    return absent


def _speakers(rng: random.Random, cell: Cell, present: list[Member], period: date) -> list[Member]:
    if cell.trio:
        return [m for m in cell.trio if m in present]
    pool = [m for m in present if m.pk not in (cell.secretary.pk, cell.recorder.pk)]
    # Those who have waited longest first, with a little chance: everyone takes the floor in turn.
    pool.sort(key=lambda m: (cell.last_spoke.get(m.pk, date.min), rng.random()))
    count = max(2, -(-len(present) * rng.randint(32, 45) // 100))
    return pool[:count]


def _hold(
    clock: Clock, rng: random.Random, cell: Cell, period: date, months: list[date], with_thematic: bool
) -> Meeting:
    org = cell.org
    rules = ruleset_for(org, period)
    day = regular_meeting_date(org, rules, period)
    clock.at(day - timedelta(days=15), 8, 30)
    meeting = scheduling_services.meeting_plan(
        actor=cell.actor,
        org=org,
        kind=Meeting.Kind.REGULAR,
        scheduled_date=day,
        period=period,
        place=content.place_for(cell.key, cell.area),
        with_thematic=with_thematic,
        thematic_topic=rng.choice(TOPICS) if with_thematic else "",
        notify=False,
    )
    clock.at(day - timedelta(days=3), 20, 0)
    meeting_services.draft_resolution_save(actor=cell.actor, meeting=meeting, text=_draft(rng, cell, period))
    start = clock.at(day, 19, rng.randint(0, 10))
    meeting = meeting_services.meeting_open(
        actor=cell.actor, meeting=meeting, chair=cell.secretary, recorder=cell.recorder, started_at=start
    )
    rows = list(meeting.attendances.select_related("member").order_by("member_id"))
    required = [r.member for r in rows if not r.is_exempt]
    absent = _absentees(rng, cell, period, required, months)
    clock.advance(minutes=4)
    meeting_services.attendance_record_all(actor=cell.actor, meeting=meeting, absent=absent)
    present = [m for m in required if m.pk not in absent]
    _visit(rng, cell, meeting, day)
    clock.advance(minutes=25)
    for member in _speakers(rng, cell, present, period):
        began = clock.now
        clock.advance(minutes=rng.uniform(2, 6))
        meeting_services.speaker_record(
            actor=cell.actor,
            meeting=meeting,
            member=member,
            started_at=began,
            ended_at=clock.now,
            summary=_opinion(rng, cell, period),
        )
        cell.last_spoke[member.pk] = period
    clock.advance(minutes=40 if with_thematic else 20)
    totals = live_totals(meeting)
    if totals.attendance_met:
        meeting_services.vote_record(
            actor=cell.actor, meeting=meeting, votes_for=totals.voters, votes_against=0, votes_abstain=0
        )
    clock.advance(minutes=10)
    return meeting_services.meeting_close(actor=cell.actor, meeting=meeting, ended_at=clock.now)


def _assign(demo: Demo, since: date) -> None:
    """The Long Bình ward committee assigns its cadres to follow its cells from `since` (FOLLOWERS)."""
    ward = demo.orgs["long_binh_new"]
    for username, title, keys, _attends in FOLLOWERS:
        for key in keys:
            supervision_services.assignment_create(
                actor=demo.users["danguy.binhthanh"],
                committee=ward,
                cadre=demo.users[username],
                cell=demo.cells[key],
                title=title,
                valid_from=since,
            )


def _visit(rng: random.Random, cell: Cell, meeting: Meeting, day: date) -> None:
    """The cadre assigned to the cell checks in at the meeting, four times out of five, if they come at all."""
    comes = {username for username, _t, _k, attends in FOLLOWERS if attends}
    for assignment in followers_on(cell.org, day):
        if assignment.cadre.username in comes and rng.random() < 0.8:
            meeting_services.guest_add(
                actor=assignment.cadre,
                meeting=meeting,
                user=assignment.cadre,
                role=assignment.title,
                is_supervisor=True,
            )


def _opinion(rng: random.Random, cell: Cell, period: date) -> str:
    options = (
        f"Thống nhất dự thảo nghị quyết tháng {period.month}; đề nghị bổ sung chỉ tiêu cụ thể cho từng tổ.",
        f"Báo cáo kết quả phụ trách hộ ở {cell.where}: các hộ chấp hành tốt chủ trương, chính sách.",
        "Đề nghị chi ủy phân công rõ người, rõ việc, rõ thời hạn để dễ kiểm điểm.",
        "Tự phê bình: tháng qua chưa hoàn thành đúng hạn phần việc được giao, sẽ khắc phục trong tháng tới.",
        "Phản ánh ý kiến của bà con về tuyến đường xuống cấp, đề nghị chi bộ kiến nghị phường.",
        "Đề xuất tổ chức sinh hoạt vào buổi tối để đảng viên đi làm xa về kịp dự họp.",
    )
    return rng.choice(options)


def _give_tasks(clock: Clock, rng: random.Random, cell: Cell, meeting: Meeting, run_day: date) -> None:
    """Three tasks for members who were there and are not exempt; the first reported done two days early."""
    present = meeting.attendances.filter(is_exempt=False, status__in=(A.PRESENT, A.LATE)).exclude(member=cell.secretary)
    for i, row in enumerate(present.select_related("member").order_by("member_id")[:3]):
        due = meeting.scheduled_date + timedelta(days=20 + 5 * i)
        task = task_services.task_create(
            actor=cell.actor, meeting=meeting, description=rng.choice(TASKS), assignees=[row.member], due_on=due
        )
        if i == 0 and due < run_day:
            clock.at(due - timedelta(days=1), 20, 0)
            task_services.progress_report(
                actor=cell.actor,
                assignment=task.assignments.get(),
                status="done",
                note="Đã xong.",
                done_on=due - timedelta(days=2),
            )


def add_recent(demo: Demo) -> None:
    run_day = today()
    months = _months_before(run_day)
    this_month = month_start(run_day)
    rng = random.Random(20261202)  # noqa: S311 - reproducible data, not secrets
    clock = Clock()
    last_quarter = quarter_of(quarter_of(run_day)[0] - timedelta(days=1))
    held: list[tuple[Cell, Meeting]] = []
    with clock.running(), quiet_notices():
        clock.at(months[0] - timedelta(days=5), 9, 0)
        _assign(demo, months[0] - timedelta(days=5))
        cells = _cells(demo, rng)
        plan = []
        for cell in cells:
            org = demo.cells[cell.key]
            for period in [*months, this_month]:
                if period == this_month and (
                    cell.key == "anhoa" or regular_meeting_date(org, ruleset_for(org, period), period) >= run_day
                ):
                    continue  # still to come (An Hòa's is planned by add_upcoming)
                if cell.key == SKIP and period == months[-1]:
                    continue
                plan.append((regular_meeting_date(org, ruleset_for(org, period), period), cell.key, period))
        by_key = {c.key: c for c in cells}
        for _day, key, period in sorted(plan):
            cell = by_key[key]
            thematic = period.month in THEMATIC_MONTHS and not (
                key == NO_THEMATIC and last_quarter[0] <= period < last_quarter[1]
            )
            meeting = _hold(clock, rng, cell, period, months, thematic)
            held.append((cell, meeting))
            if key in TASK_CELLS and period in months[-2:]:
                _give_tasks(clock, rng, cell, meeting, run_day)
        last_anhoa = max((m for c, m in held if c.key == "anhoa"), key=lambda m: m.scheduled_date)
        clock.at(last_anhoa.scheduled_date + timedelta(days=1), 8, 0)
        document_services.document_compose(
            actor=by_key["anhoa"].actor, meeting=last_anhoa, kind=MeetingDocument.Kind.MINUTES
        )
    summary_refresh_all(by="demo")
    for user in demo.users.values():
        forget_grants(user)
