"""The demo's meetings: fifteen months of them for the 11 Bình Thạnh cells (October 2020 – December 2021,
so that the year 2021 is whole when the cells review it in December, chibo.demo.reviews), the
An Hòa meeting of 05/04/2021 that the article pictures (chibo.demo.article), and An Hòa's meetings of this
month and the next. Each is replayed through the services (chibo.demo.replay).

The year has the variation the warnings of C4/C16 look for:
- the school cell plans nothing for July 2021 (summer holidays): the calendar's "no meeting" warning;
- the police cell holds no thematic meeting in the second quarter of 2021: the thematic warning;
- Bình Thạnh C's attendance falls each month from June to September 2021, below the 85% rule in the end,
  so its September meeting cannot vote its resolution;
- at Bình An the same three members speak every time, and nobody else;
- two meetings' minutes are left as unsigned drafts.
Otherwise most members come, a few are excused (ill, working far away, family matters), rarely one is
absent without a reason or late; the quarter's thematic session is a meeting of its own in three cells
and part of a regular meeting in the others.

Notices: only An Hòa's members are invited through the system (in-app rows); SMS and e-mail are switched
off while the demo loads (`quiet_notices`), so loading prints nothing but its summary.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from fractions import Fraction

from chibo.accounts.scope import forget_grants
from chibo.core.dates import today
from chibo.demo import content
from chibo.demo.article import hold_article
from chibo.demo.builder import ARTICLE_DAY, BINH_THANH_CELLS, Demo
from chibo.demo.replay import (
    VN,
    CellRun,
    Clock,
    Ctx,
    GuestVisit,
    Mark,
    Turn,
    open_and_mark,
    prepare,
    proceed,
    quiet_notices,
    write_documents,
)
from chibo.demo.supervision import visiting_cadre
from chibo.meetings import services as meeting_services
from chibo.meetings.models import AgendaItem, Attendance, Meeting, SpeakingTurn
from chibo.members.models import Member, Position
from chibo.notices.models import Notice
from chibo.notices.services import meeting_notices_send
from chibo.organizations.models import Organization
from chibo.rules.selectors import ruleset_for
from chibo.scheduling import services as scheduling_services
from chibo.scheduling.calendar import next_month, quarter_of, regular_meeting_date, shift_to_working_day

FIRST_PERIOD = date(2020, 10, 1)
PERIODS: tuple[date, ...] = tuple(
    date(FIRST_PERIOD.year + (FIRST_PERIOD.month - 1 + i) // 12, (FIRST_PERIOD.month - 1 + i) % 12 + 1, 1)
    for i in range(15)
)
ARTICLE_PERIOD = date(2021, 4, 1)  # An Hòa's meeting of 05/04/2021

SKIPPED = ("bt_th", date(2021, 7, 1))  # summer holidays: the school cell planned nothing
NO_THEMATIC = ("bt_ca", date(2021, 4, 1))  # the police cell holds no thematic session in this quarter
FALLING = ("bt_c", date(2021, 6, 1))  # attendance falls from this month to FALLING_LAST
FALLING_LAST = date(2021, 9, 1)  # then the cell committee goes round the members' homes and it recovers
SAME_SPEAKERS = "bt_an"
DRAFTS = {("bt_ubnd", date(2021, 9, 1)), ("bt_yt", date(2021, 8, 1))}  # minutes left unsigned
# These cells hold the quarter's thematic session as a meeting of its own; the others add it to the
# regular meeting of the quarter's middle month.
SEPARATE_THEMATIC = {"anhoa", "bt_dang", "bt_th"}
THEMATIC_MONTHS = {11, 2, 5, 8}  # the middle month of each quarter


def _committee(cell: Organization) -> list[Member]:
    order = {Position.Title.SECRETARY: 0, Position.Title.DEPUTY: 1, Position.Title.COMMITTEE_MEMBER: 2}
    positions = Position.objects.filter(org=cell, ended_on__isnull=True).select_related("member")
    return [p.member for p in sorted(positions, key=lambda p: (order[Position.Title(p.title)], p.member_id))]


def _cell_run(ctx: Ctx, key: str, area: str | None) -> CellRun:
    demo, rng = ctx.demo, ctx.rng
    cell = demo.cells[key]
    committee = _committee(cell)
    secretary, deputy = committee[0], committee[1]
    own = {u.member_id: u for u in demo.users.values() if u.member_id}
    actor = own.get(secretary.pk) or demo.users["danguy.binhthanh"]
    recorder = deputy
    if key == "anhoa":
        # An Hòa appoints the member with an account as recorder: both signatures are then their own.
        recorder = demo.users["dangvien.anhoa"].member  # type: ignore[assignment]
    elif len(committee) > 3:
        recorder = committee[3]
    # Signatures of members without an account are recorded "on paper" by someone who runs the cell's
    # meetings. While the clock reads 2021 the ward officer's grant points at the old ward committee,
    # whose cells have since moved under the new ward, so the administrator records them.
    signer = own.get(secretary.pk) or ctx.admin
    person = demo.gen.person()
    cadre = (person.full_name, rng.choice(WARD_CADRE_ROLES))
    run = CellRun(key, cell, area, secretary, deputy, committee, recorder, actor, signer, cadre)
    members = sorted(demo.members[key], key=lambda m: m.pk)
    for m in members:
        quiet = rng.random() < 0.25  # some members almost never take the floor
        run.weights[m.pk] = 0.05 if quiet else rng.uniform(0.4, 1.6)
    for m in committee:
        run.weights[m.pk] = max(run.weights[m.pk], 1.2)
    if key == SAME_SPEAKERS:
        plain = [
            m
            for m in members
            if m.official_on and m.official_on < FIRST_PERIOD and m not in committee and not m.exemptions.exists()
        ]
        run.trio = [deputy, *rng.sample(plain, 2)]
    if area is not None:
        plain = [m for m in members if m.pk not in run.protected and m not in committee]
        start = rng.randrange(12 - 2)  # within the first year (draws kept as before the year grew)
        far = rng.choice(plain)
        for p in PERIODS[start : start + rng.choice((2, 3))]:
            run.away[p] = far
    return run


WARD_CADRE_ROLES = (
    "Ủy viên Ban Thường vụ, Phó Bí thư Đảng ủy phường",
    "Đảng ủy viên, Chủ tịch Ủy ban MTTQ Việt Nam phường",
    "Đảng ủy viên, Phó Chủ tịch Ủy ban nhân dân phường",
    "Đảng ủy viên, Chủ tịch Hội Cựu chiến binh phường",
)
TOWN_GUEST_ROLES = (
    "Phó Trưởng Phòng Nội vụ thị xã Long Mỹ",
    "Phó Trưởng Phòng Tài nguyên và Môi trường thị xã Long Mỹ",
    "Phó Chủ tịch Hội Nông dân thị xã Long Mỹ",
)


# --- Planning ---------------------------------------------------------------------------------------


def _quarter_label(day: date) -> str:
    return f"quý {'I II III IV'.split()[(day.month - 1) // 3]} năm {day.year}"


def _topic(ctx: Ctx, run: CellRun, period: date) -> str:
    topics = content.AREA_TOPICS if run.is_area else content.AGENCY_TOPICS[run.key]
    return topics[(PERIODS.index(period) // 3 + len(run.key)) % len(topics)]


def _plan_year(ctx: Ctx, run: CellRun) -> list[Meeting]:
    """The year's meetings of one cell, planned a fortnight ahead as its secretary would."""
    planned: list[Meeting] = []
    for period in PERIODS:
        if (run.key, period) == SKIPPED:
            continue
        rules = ruleset_for(run.cell, period)
        day = regular_meeting_date(run.cell, rules, period)
        thematic = period.month in THEMATIC_MONTHS and (run.key, quarter_of(period)[0]) != NO_THEMATIC
        topic = _topic(ctx, run, period) if thematic else ""
        ctx.clock.at(day - timedelta(days=15), 8, 30)
        planned.append(
            scheduling_services.meeting_plan(
                actor=run.actor,
                org=run.cell,
                kind=Meeting.Kind.REGULAR,
                scheduled_date=day,
                period=period,
                place=run.place,
                with_thematic=thematic and run.key not in SEPARATE_THEMATIC,
                thematic_topic=topic if run.key not in SEPARATE_THEMATIC else "",
                notify=False,
            )
        )
        if thematic and run.key in SEPARATE_THEMATIC:
            day = shift_to_working_day(period.replace(day=20), rules.holiday_shift)
            planned.append(
                scheduling_services.meeting_plan(
                    actor=run.actor,
                    org=run.cell,
                    kind=Meeting.Kind.THEMATIC,
                    scheduled_date=day,
                    title=f"Sinh hoạt chuyên đề {_quarter_label(period)}",
                    thematic_topic=topic,
                    place=run.place,
                    notify=False,
                )
            )
    return sorted(planned, key=lambda m: (m.scheduled_date, m.scheduled_time))


def _fields(ctx: Ctx, run: CellRun, meeting: Meeting, **extra: object) -> dict[str, object]:
    day = meeting.scheduled_date
    following = next_month(meeting.period or day.replace(day=1))
    return {
        "area": run.where,
        "month": (meeting.period or day).month,
        "prev": (day.replace(day=1) - timedelta(days=1)).month,
        "next_month": following.month,
        "year": day.year,
        "n": ctx.rng.randint(1, 6),
        "date": (following + timedelta(days=ctx.rng.randint(9, 24))).strftime("%d/%m/%Y"),
        "street": ctx.rng.choice(STREETS),
        "pledge": ctx.rng.choice(content.PLEDGES),
        **extra,
    }


STREETS = ("Trần Hưng Đạo", "3 Tháng 2", "Nguyễn Trung Trực", "Lê Lợi", "Quốc lộ 61B", "kênh Cái Nhúc")


def _say(ctx: Ctx, run: CellRun, meeting: Meeting, templates: tuple[str, ...], **extra: object) -> str:
    return ctx.rng.choice(templates).format(**_fields(ctx, run, meeting, **extra))


# --- A generic meeting of the year ---------------------------------------------------------------


def _reasons(run: CellRun, period: date) -> tuple[str, ...]:
    base = content.AREA_REASONS if run.is_area else content.AGENCY_REASONS
    return base + content.COVID_REASONS if date(2021, 7, 1) <= period <= date(2021, 9, 1) else base


def _generic_marks(ctx: Ctx, run: CellRun, meeting: Meeting) -> Callable[[list[Attendance]], dict[int, Mark]]:
    rng, period = ctx.rng, meeting.period or meeting.scheduled_date.replace(day=1)

    def decide(rows: list[Attendance]) -> dict[int, Mark]:
        marks: dict[int, Mark] = {}
        required = [r for r in rows if not r.is_exempt]
        free = [r for r in required if r.member_id not in run.protected]
        for row in rows:
            if row.member_id in run.protected:
                marks[row.member_id] = Mark(Attendance.Status.PRESENT)
            elif row.is_exempt and rng.random() < 0.08:
                marks[row.member_id] = Mark(Attendance.Status.PRESENT)  # an exempt elder who came all the same
        away = run.away.get(period)
        for row in free:
            if away is not None and row.member_id == away.pk:
                marks[row.member_id] = Mark(Attendance.Status.EXCUSED, content.AWAY_REASON)
                continue
            draw = rng.random()
            if draw < 0.06:
                marks[row.member_id] = Mark(Attendance.Status.EXCUSED, rng.choice(_reasons(run, period)))
            elif draw < 0.07:
                marks[row.member_id] = Mark(Attendance.Status.UNEXCUSED)
            elif draw < 0.10:
                marks[row.member_id] = Mark(Attendance.Status.LATE, late_minutes=rng.randint(8, 25))
        falling = FALLING[1] <= period <= FALLING_LAST
        if (run.key, meeting.kind) == (FALLING[0], Meeting.Kind.REGULAR) and falling:
            return _falling_marks(ctx, run, period, marks, required, free)
        # Keep the rule of 85% for ordinary months: send back the last absentees until it is met.
        absent = [
            r
            for r in free
            if r.member_id in marks
            and marks[r.member_id].status in (Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED)
        ]
        while absent and (len(required) - len(absent)) * 100 < 86 * len(required):
            del marks[absent.pop().member_id]
        return marks

    return decide


def _falling_marks(
    ctx: Ctx, run: CellRun, period: date, marks: dict[int, Mark], required: list[Attendance], free: list[Attendance]
) -> dict[int, Mark]:
    """Bình Thạnh C: everyone in June, then each month the most present that is still fewer than before."""
    marks = {k: v for k, v in marks.items() if v.status in (Attendance.Status.PRESENT, Attendance.Status.LATE)}
    if period == FALLING[1]:
        present = len(required)
    else:
        assert run.last_rate is not None
        present = -(-run.last_rate.numerator * len(required) // run.last_rate.denominator) - 1
        present = min(present, len(required) - 2)  # two more absent at least, so the fall shows
    absentees = ctx.rng.sample(free, len(required) - present)
    for row in absentees:
        unexcused = period.month == 9 and row is absentees[0]
        marks[row.member_id] = (
            Mark(Attendance.Status.UNEXCUSED)
            if unexcused
            else Mark(Attendance.Status.EXCUSED, ctx.rng.choice(_reasons(run, period)))
        )
    run.last_rate = Fraction(present, len(required))
    return marks


def _item_for(kind: str, rng: random.Random, area: bool) -> str:
    if kind in (SpeakingTurn.Kind.SELF_CRITICISM, SpeakingTurn.Kind.CRITICISM):
        return AgendaItem.Kind.DISCUSSION
    if kind == SpeakingTurn.Kind.EXPLANATION:
        return AgendaItem.Kind.REVIEW
    if kind == SpeakingTurn.Kind.PROPOSAL:
        return (
            rng.choice((AgendaItem.Kind.RESIDENTS, AgendaItem.Kind.NEXT_TASKS)) if area else AgendaItem.Kind.NEXT_TASKS
        )
    return rng.choice(
        (AgendaItem.Kind.THINKING, AgendaItem.Kind.REVIEW, AgendaItem.Kind.RESIDENTS, AgendaItem.Kind.NEXT_TASKS)
        if area
        else (AgendaItem.Kind.THINKING, AgendaItem.Kind.REVIEW, AgendaItem.Kind.NEXT_TASKS)
    )


def _generic_turns(ctx: Ctx, run: CellRun, meeting: Meeting, rows: list[Attendance]) -> list[Turn]:
    rng = ctx.rng
    present = [r.member for r in rows if r.is_present]
    speakers_pool = [m for m in present if m.pk not in (run.secretary.pk, run.recorder.pk)]
    needed = -(-meeting.ruleset.speakers_threshold_pct * len(present) // 100)
    if run.trio:
        speakers = list(run.trio)
    else:
        extra = rng.randint(0, 3) if run.key == "anhoa" else rng.choice((-2, -1, 0, 0, 1, 1, 2, 3))
        count = max(2, min(len(speakers_pool), needed + extra))
        speakers = _weighted_sample(rng, speakers_pool, [run.weights.get(m.pk, 1.0) for m in speakers_pool], count)
    separate = meeting.kind == Meeting.Kind.THEMATIC
    kinds: list[str] = []
    if not separate:
        kinds += [SpeakingTurn.Kind.SELF_CRITICISM] if rng.random() < 0.75 else []
        kinds += [SpeakingTurn.Kind.CRITICISM] if rng.random() < 0.55 else []
        kinds += [SpeakingTurn.Kind.EXPLANATION] if rng.random() < 0.3 else []
        kinds += [SpeakingTurn.Kind.PROPOSAL] * rng.randint(0, 2)
    turns: list[Turn] = []
    for i, member in enumerate(speakers):
        kind = kinds[i] if i < len(kinds) else SpeakingTurn.Kind.OPINION
        turns.append(_turn(ctx, run, meeting, member, kind, present))
        if rng.random() < 0.2 and not separate:
            turns.append(_turn(ctx, run, meeting, member, SpeakingTurn.Kind.OPINION, present))
    if meeting.is_thematic and not separate:
        for member in rng.sample(speakers, min(2, len(speakers))):
            turns.append(
                _turn(ctx, run, meeting, member, SpeakingTurn.Kind.OPINION, present, item=AgendaItem.Kind.INTRO_PAPER)
            )
    return turns


def _turn(
    ctx: Ctx,
    run: CellRun,
    meeting: Meeting,
    member: Member,
    kind: str,
    present: list[Member],
    item: str | None = None,
) -> Turn:
    rng = ctx.rng
    if meeting.kind == Meeting.Kind.THEMATIC or item == AgendaItem.Kind.INTRO_PAPER:
        summary = _say(ctx, run, meeting, content.THEMATIC_OPINIONS)
        return Turn(member, SpeakingTurn.Kind.OPINION, summary, item or AgendaItem.Kind.DISCUSSION, rng.uniform(3, 7))
    item = item or _item_for(kind, rng, run.is_area)
    if kind == SpeakingTurn.Kind.SELF_CRITICISM:
        summary = _say(ctx, run, meeting, content.SELF_CRITICISMS)
    elif kind == SpeakingTurn.Kind.CRITICISM:
        others = [m for m in run.last_late if m in present and m != member] or [
            m for m in present if m != member and m != run.secretary
        ]
        summary = _say(ctx, run, meeting, content.CRITICISMS, name=rng.choice(others).full_name)
    elif kind == SpeakingTurn.Kind.EXPLANATION:
        summary = _say(ctx, run, meeting, content.EXPLANATIONS)
    elif kind == SpeakingTurn.Kind.PROPOSAL:
        summary = _say(ctx, run, meeting, content.AREA_PROPOSALS if run.is_area else content.AGENCY_PROPOSALS)
    elif rng.random() < 0.15:
        item, summary = AgendaItem.Kind.HCM_EXAMPLE, _say(ctx, run, meeting, content.HCM_OPINIONS)
    else:
        opinions = content.AREA_OPINIONS if run.is_area else content.AGENCY_OPINIONS[run.key]
        summary = _say(ctx, run, meeting, opinions)
    return Turn(member, kind, summary, item, rng.uniform(2, 6))


def _weighted_sample(rng: random.Random, items: list[Member], weights: list[float], k: int) -> list[Member]:
    """k distinct items, each drawn with the given weights (Efraimidis–Spirakis keys)."""
    keyed = sorted(zip(items, weights, strict=True), key=lambda p: rng.random() ** (1 / p[1]), reverse=True)
    return [item for item, _weight in keyed[:k]]


def _generic_guests(ctx: Ctx, run: CellRun, meeting: Meeting) -> list[GuestVisit]:
    rng = ctx.rng
    guests = []
    quarterly = (meeting.period or meeting.scheduled_date).month in (1, 4, 7, 10)
    if run.key == "anhoa" and quarterly and meeting.kind == Meeting.Kind.REGULAR:
        guests.append(_supervisor_visit(ctx, run, meeting))
    elif rng.random() < 0.35:
        guests.append(_ward_cadre_visit(run, meeting))
    if run.is_area and rng.random() < 0.12:
        guests.append(GuestVisit(ctx.demo.gen.person().full_name, rng.choice(TOWN_GUEST_ROLES)))
    return guests


def _ward_cadre_visit(run: CellRun, meeting: Meeting) -> GuestVisit:
    """The cadre the ward assigned to the cell (chibo.demo.supervision), with a remark; a named ward cadre
    when nobody was assigned on the day."""
    found = visiting_cadre(meeting)
    if found is None:
        return GuestVisit(*run.cadre)
    user, title, remark = found
    return GuestVisit(user.first_name, title, user=user, remark=remark)


def _supervisor_visit(ctx: Ctx, run: CellRun, meeting: Meeting) -> GuestVisit:
    directives = content.directives_for(meeting.scheduled_date)
    remark = (
        f"Đánh giá cao sự chuẩn bị của chi ủy. Đề nghị chi bộ quán triệt kịp thời {directives[0]}; "
        "tiếp tục phân công đảng viên phụ trách hộ, nắm chắc người từ địa phương khác về."
    )
    return GuestVisit(ctx.supervisor.first_name, content.SUPERVISOR_ROLE, user=ctx.supervisor, remark=remark)


def _draft(ctx: Ctx, run: CellRun, meeting: Meeting) -> str:
    """The draft resolution's standing clauses; its concrete tasks for named members are the tasks app's
    (chibo.demo.follow_up gives them after the meeting, and the resolution lists them)."""
    base = content.AREA_RESOLUTION if run.is_area else content.AGENCY_RESOLUTION
    return "\n".join(f"{i}. {line.format(**_fields(ctx, run, meeting))}" for i, line in enumerate(base, 1))


def _notes(ctx: Ctx, run: CellRun, meeting: Meeting) -> dict[str, str]:
    directives = content.directives_for(meeting.scheduled_date)
    notes: dict[str, str] = {AgendaItem.Kind.NEWS: "Quán triệt: " + "; ".join(directives) + "."}
    if meeting.kind == Meeting.Kind.REGULAR:
        notes[AgendaItem.Kind.REVIEW] = _say(ctx, run, meeting, (content.REVIEW_NOTE,))
        notes[AgendaItem.Kind.NEXT_TASKS] = _say(ctx, run, meeting, (content.NEXT_TASKS_NOTE,))
    if meeting.is_thematic:
        notes[AgendaItem.Kind.INTRO_PAPER] = f"Đề dẫn chuyên đề: {meeting.thematic_topic}."
    return notes


ITEM_MINUTES: dict[str, float] = {
    AgendaItem.Kind.OPENING: 9,
    AgendaItem.Kind.NEWS: 14,
    AgendaItem.Kind.THINKING: 6,
    AgendaItem.Kind.REVIEW: 12,
    AgendaItem.Kind.HCM_EXAMPLE: 5,
    AgendaItem.Kind.RESIDENTS: 7,
    AgendaItem.Kind.NEXT_TASKS: 10,
    AgendaItem.Kind.DISCUSSION: 5,
    AgendaItem.Kind.INTRO_PAPER: 25,
    AgendaItem.Kind.CLOSING: 6,
}


def _hold_generic(ctx: Ctx, run: CellRun, meeting: Meeting) -> None:
    rng = ctx.rng
    held_on = meeting.scheduled_date - timedelta(days=rng.randint(3, 6))
    topic = f"; chuyên đề “{meeting.thematic_topic}”" if meeting.is_thematic else ""
    decisions = (
        f"Chi ủy thống nhất nội dung sinh hoạt: kiểm điểm kết quả tháng trước, quán triệt văn bản cấp trên{topic}; "
        f"giao đồng chí {run.deputy.full_name} chuẩn bị dự thảo nghị quyết; vấn đề đưa ra thảo luận: "
        f"{rng.choice(DISCUSSION_POINTS)}."
    )
    presenter = None
    if meeting.is_thematic:
        presenter = rng.choice([m for m in run.committee if m != run.secretary] or run.committee)
    regular = meeting.kind == Meeting.Kind.REGULAR
    prepare(
        ctx,
        run,
        meeting,
        held_on=held_on,
        decisions=decisions,
        draft=_draft(ctx, run, meeting) if regular else CONCLUSION_DRAFT,
        notes=_notes(ctx, run, meeting),
        presenter=presenter,
    )
    start = datetime.combine(meeting.scheduled_date, meeting.scheduled_time, tzinfo=VN)
    start += timedelta(minutes=rng.randint(0, 10))
    rows = open_and_mark(ctx, run, meeting, start=start, marks=_generic_marks(ctx, run, meeting))
    run.last_late = [r.member for r in rows if r.status in (Attendance.Status.LATE, Attendance.Status.UNEXCUSED)]
    vote = None
    if regular:
        vote = (1 if rng.random() < 0.1 else 0, 1 if rng.random() < 0.1 else 0)
    meeting.refresh_from_db()
    meeting = proceed(
        ctx,
        run,
        meeting,
        guests=_generic_guests(ctx, run, meeting),
        turns=_generic_turns(ctx, run, meeting, rows),
        vote=vote,
        item_minutes=ITEM_MINUTES,
    )


DISCUSSION_POINTS = (
    "phân công đảng viên phụ trách hộ",
    "biện pháp vận động thu quỹ",
    "nâng tỷ lệ đảng viên phát biểu trong sinh hoạt",
    "giải pháp giữ vững an ninh trật tự",
    "chăm lo gia đình chính sách",
)
CONCLUSION_DRAFT = (
    "1. Mỗi đảng viên liên hệ bản thân, đăng ký việc làm cụ thể theo nội dung chuyên đề.\n"
    "2. Chi ủy theo dõi, kiểm điểm việc thực hiện tại kỳ sinh hoạt thường kỳ tháng sau."
)


# --- The steps ---------------------------------------------------------------------------------------


def _context(demo: Demo, clock: Clock) -> Ctx:
    return Ctx(demo, demo.gen.rng, clock, {}, demo.users["admin"], demo.users["canbo.duhop"])


def add_meetings(demo: Demo) -> None:
    """October 2020 – December 2021 of the 11 Bình Thạnh cells, held in date order."""
    clock = Clock()
    ctx = _context(demo, clock)
    with clock.running():
        for spec in BINH_THANH_CELLS:
            ctx.runs[spec.key] = _cell_run(ctx, spec.key, spec.area)
        planned = [(m, key) for key, run in ctx.runs.items() for m in _plan_year(ctx, run)]
        for meeting, key in sorted(planned, key=lambda p: (p[0].scheduled_date, p[0].scheduled_time, p[1])):
            run = ctx.runs[key]
            if key == "anhoa" and meeting.period == ARTICLE_PERIOD and meeting.kind == Meeting.Kind.REGULAR:
                assert meeting.scheduled_date == ARTICLE_DAY
                hold_article(ctx, run, meeting)
            else:
                _hold_generic(ctx, run, meeting)
    for user in demo.users.values():
        forget_grants(user)  # read while the clock said 2021


def add_upcoming(demo: Demo) -> None:
    """An Hòa's regular meetings of this month and the next, on real dates: one already held this month
    is replayed like the year's; one still to come is planned, and the nearest is prepared and announced."""
    clock = Clock()
    ctx = _context(demo, clock)
    run_day = today()
    with clock.running():
        run = _cell_run(ctx, "anhoa", "An Hòa")
    first = True
    for period in (run_day.replace(day=1), next_month(run_day.replace(day=1))):
        day = regular_meeting_date(run.cell, ruleset_for(run.cell, period), period)
        if day < run_day:
            with clock.running():
                clock.at(day - timedelta(days=15), 8, 30)
                meeting = scheduling_services.meeting_plan(
                    actor=run.actor,
                    org=run.cell,
                    kind=Meeting.Kind.REGULAR,
                    scheduled_date=day,
                    period=period,
                    place=run.place,
                    notify=False,
                )
                _hold_generic(ctx, run, meeting)
            continue
        meeting = scheduling_services.meeting_plan(
            actor=run.actor,
            org=run.cell,
            kind=Meeting.Kind.REGULAR,
            scheduled_date=day,
            period=period,
            place=run.place,
            notify=False,
        )
        if first:
            _announce(ctx, run, meeting, run_day)
            first = False
    for user in demo.users.values():
        forget_grants(user)


def _announce(ctx: Ctx, run: CellRun, meeting: Meeting, run_day: date) -> None:
    """The nearest meeting to come: agenda and draft ready, the committee met if it is within a week,
    members invited (in the app)."""
    if (meeting.scheduled_date - run_day).days <= 7:
        meeting_services.preparation_record(
            actor=run.actor,
            meeting=meeting,
            held_on=run_day,
            attendees=run.committee,
            decisions="Chi ủy thống nhất nội dung sinh hoạt tháng này; giao đồng chí "
            f"{run.deputy.full_name} hoàn chỉnh dự thảo nghị quyết.",
            preparer=run.deputy,
        )
    items = meeting_services.agenda_from_template(actor=run.actor, meeting=meeting)
    news = next(i for i in items if i.kind == AgendaItem.Kind.NEWS)
    meeting_services.agenda_item_update(
        actor=run.actor,
        item=news,
        title=news.title,
        notes="Quán triệt: " + "; ".join(content.LATER_DIRECTIVES) + ".",
        presenter=run.secretary,
    )
    meeting_services.draft_resolution_save(actor=run.actor, meeting=meeting, text=_draft(ctx, run, meeting))
    with quiet_notices():
        meeting_notices_send(meeting_id=meeting.pk, kind=Notice.Kind.INVITATION)


def add_minutes(demo: Demo) -> None:
    """The minutes and resolutions of every meeting held, the morning after each, in date order: after
    issue 4's step, because they print the tasks given and the review of last month's."""
    keys = {cell.pk: key for key, cell in demo.cells.items()}
    held = Meeting.objects.filter(org_id__in=keys, status=Meeting.Status.CLOSED, documents__isnull=True)
    clock = Clock()
    with clock.running():
        for meeting in held.select_related("org", "chair", "recorder").order_by("started_at"):
            period = meeting.period or meeting.scheduled_date.replace(day=1)
            write_documents(demo, clock, meeting, signed=(keys[meeting.org_id], period) not in DRAFTS)
    for user in demo.users.values():
        forget_grants(user)
