"""The wording of a draft, composed from what the meeting recorded (C6) and the tree as it stood that day.

Everything here reads; chibo.documents.services writes what it returns. The words are the document's
own and stay Vietnamese whatever the interface language: a Party document is written in Vietnamese.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

from chibo.meetings import selectors as meeting_selectors
from chibo.meetings.models import AgendaItem, Attendance, Guest, Meeting, SpeakingTurn, SupervisorRemark, Vote
from chibo.organizations.models import AdministrativeUnit, Organization
from chibo.organizations.selectors import ancestors_on, version_on
from chibo.rules.models import RuleSetVersion

# --- words for dates, times and numbers ----------------------------------------------------------------


def long_date(day: date) -> str:
    """ "ngày 05 tháng 4 năm 2021": a day under 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def clock(moment: datetime) -> str:
    """ "19 giờ 05 phút", in Việt Nam's time."""
    local = timezone.localtime(moment)
    return f"{local.hour} giờ {local.minute:02d} phút"


def percent(part: int, whole: int) -> str:
    """ "88,9%" (a comma for the decimals, as Vietnamese writes them); "—" of nothing."""
    if whole == 0:
        return "—"
    return f"{part * 100 / whole:.1f}%".replace(".", ",")


def comrade(name: str, *, capital: bool = False) -> str:
    """ "đồng chí Nguyễn Văn A"; with `capital`, for the start of a line."""
    return f"{'Đồng' if capital else 'đồng'} chí {name}"


def meeting_day(meeting: Meeting) -> date:
    """The day the meeting was held (the day it opened), else the day it was planned for."""
    return timezone.localdate(meeting.started_at) if meeting.started_at else meeting.scheduled_date


# --- the header: who issues, where ---------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    superior_name: str  # "Đảng bộ phường Bình Thạnh" (printed in capitals)
    issuer_name: str  # "Chi bộ khu vực An Hòa"
    place: str  # "Bình Thạnh"


# Words before a place's own name, longest first: "Đảng bộ thị xã Long Mỹ" → "Long Mỹ".
_ORG_WORDS = ("đảng bộ", "chi bộ")
_UNIT_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")


def place_name(name: str) -> str:
    """The place of an organization or administrative unit's name, without the words that say what it is."""
    rest = name.strip()
    for words in (_ORG_WORDS, _UNIT_WORDS):
        for word in words:
            if rest.lower().startswith(word + " "):
                rest = rest[len(word) + 1 :].strip()
                break
    return rest


def issuer_on(org: Organization, day: date) -> Issuer:
    """The names as the tree stood on `day` (a cell since renamed or moved keeps its old header), and the
    place: the administrative unit of the cell or, going up, of the nearest body that has one; else the
    place in the superior's name."""
    own = version_on(org, day)
    chain = ancestors_on(org, day)
    superior = chain[-1].name if chain else ""
    # A cell under a ward or commune committee is dated where that committee is on the day: a cell moved
    # by the 2025 reform keeps its old unit on its own version, the new ward committee has the new one.
    above = chain[-1] if chain and chain[-1].admin_unit_id else None
    if above is not None and above.admin_unit is not None and above.admin_unit.level == AdministrativeUnit.Level.WARD:
        candidates = [above, *([own] if own else []), *chain[::-1]]
    else:
        candidates = [*([own] if own else []), *chain[::-1]]
    unit = next((v.admin_unit for v in candidates if v.admin_unit_id), None)
    if unit is None and org.admin_unit_id:
        unit = org.admin_unit
    place = place_name(unit.name) if unit is not None else place_name(superior or org.name)
    return Issuer(superior_name=superior, issuer_name=own.name if own else org.name, place=place)


def default_subtitle(meeting: Meeting, kind: str) -> str:
    """ "họp chi bộ tháng 4 năm 2021" for the minutes; for a resolution, what it is about (trích yếu)."""
    from chibo.documents.models import MeetingDocument

    day = meeting_day(meeting)
    if meeting.kind == Meeting.Kind.REGULAR and meeting.period is not None:
        period = meeting.period
        if kind == MeetingDocument.Kind.MINUTES:
            return f"họp chi bộ tháng {period.month} năm {period.year}"
        # The meeting of a month reviews the month before and sets the tasks of its own month.
        before = date(period.year - (period.month == 1), 12 if period.month == 1 else period.month - 1, 1)
        results = f"tháng {before.month}" + (f" năm {before.year}" if before.year != period.year else "")
        return (
            f"họp chi bộ tháng {period.month} năm {period.year}, về kết quả {results} "
            f"và nhiệm vụ tháng {period.month} năm {period.year}"
        )
    if meeting.kind == Meeting.Kind.THEMATIC:
        topic = meeting.thematic_topic or meeting.title
        return f"sinh hoạt chuyên đề{': ' + topic if topic else ''} {long_date(day)}".strip()
    return f"họp chi bộ bất thường {long_date(day)}"


# --- the minutes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """What the meeting recorded, read once: the minutes and the resolution are both written from it."""

    meeting: Meeting
    totals: meeting_selectors.LiveTotals
    absentees: list[Attendance]
    late: list[Attendance]
    exempt_present: list[Attendance]
    guests: list[Guest]
    agenda: list[AgendaItem]
    turns: list[SpeakingTurn]
    remarks: list[SupervisorRemark]
    vote: Vote | None


def read_record(meeting: Meeting) -> Record:
    """A fixed number of queries, whatever the size of the meeting."""
    rows = list(meeting_selectors.attendance_rows(meeting))
    return Record(
        meeting=meeting,
        totals=meeting_selectors.live_totals(meeting),
        absentees=list(meeting_selectors.absentees(meeting)),
        late=[a for a in rows if a.status == Attendance.Status.LATE],
        exempt_present=[a for a in rows if a.is_exempt and a.is_present],
        guests=list(meeting.guests.all()),
        agenda=list(meeting.agenda_items.select_related("presenter").order_by("position")),
        # In the order they spoke: the chair may give the floor out of the queue's order.
        turns=list(
            meeting_selectors.turns(meeting)
            .filter(status__in=SpeakingTurn.SPOKEN_STATUSES)
            .order_by("started_at", "position")
        ),
        remarks=list(meeting.remarks.select_related("author").order_by("created_at", "id")),
        vote=meeting.votes.filter(subject=Vote.Subject.RESOLUTION).first(),
    )


def _kind_words(meeting: Meeting) -> str:
    if meeting.kind == Meeting.Kind.REGULAR and meeting.period is not None:
        words = f"họp thường kỳ tháng {meeting.period.month} năm {meeting.period.year}"
        return words + (" kết hợp sinh hoạt chuyên đề" if meeting.with_thematic else "")
    if meeting.kind == Meeting.Kind.THEMATIC:
        return "sinh hoạt chuyên đề"
    return "họp bất thường"


def _opening(record: Record, issuer: Issuer) -> list[str]:
    m = record.meeting
    start = m.started_at or timezone.make_aware(datetime.combine(m.scheduled_date, m.scheduled_time))
    where = f", tại {m.place}" if m.place else ""
    lines = [f"Vào lúc {clock(start)}, {long_date(meeting_day(m))}{where}, {issuer.issuer_name} {_kind_words(m)}."]
    if m.is_thematic and m.thematic_topic:
        lines.append(f"Chuyên đề: {m.thematic_topic}.")
    lines.append(f"Chủ trì: {comrade(m.chair.full_name)}." if m.chair else "Chủ trì: (chưa ghi).")
    lines.append(f"Thư ký: {comrade(m.recorder.full_name)}." if m.recorder else "Thư ký: (chưa ghi).")
    supervisors = [g for g in record.guests if g.is_supervisor]
    others = [g for g in record.guests if not g.is_supervisor]
    for label, people in (("Cán bộ cấp trên dự sinh hoạt", supervisors), ("Khách mời", others)):
        if people:
            named = "; ".join(comrade(g.name) + (f", {g.role}" if g.role else "") for g in people)
            lines.append(f"{label}: {named}.")
    return lines


def _attendance(record: Record) -> list[str]:
    t = record.totals
    lines = [
        f"Tổng số đảng viên của chi bộ: {t.on_roll} đồng chí; trong đó chính thức {t.official}, "
        f"dự bị {t.probationary}; được miễn sinh hoạt {t.exempt}.",
        f"Số đảng viên phải dự họp: {t.required}. Có mặt: {t.present} đồng chí ({percent(t.present, t.required)}); "
        f"vắng: {t.absent} đồng chí, trong đó có lý do {t.excused}, không có lý do {t.unexcused}.",
    ]
    excused = [a for a in record.absentees if a.status == Attendance.Status.EXCUSED]
    unexcused = [a for a in record.absentees if a.status == Attendance.Status.UNEXCUSED]
    if excused:
        lines.append("Vắng có lý do:")
        lines += [f"- {comrade(a.member.full_name, capital=True)}: {a.reason}." for a in excused]
    if unexcused:
        lines.append("Vắng không có lý do:")
        lines += [
            f"- {comrade(a.member.full_name, capital=True)}" + (f" ({a.reason})." if a.reason else ".")
            for a in unexcused
        ]
    if record.late:
        late = "; ".join(
            f"{comrade(a.member.full_name)} ({a.arrived_at:%H:%M})" if a.arrived_at else comrade(a.member.full_name)
            for a in record.late
        )
        lines.append(f"Đến muộn: {late}.")
    if record.exempt_present:
        lines.append(
            "Đảng viên được miễn sinh hoạt có dự: "
            + "; ".join(comrade(a.member.full_name) for a in record.exempt_present)
            + "."
        )
    verdict = "đạt" if t.attendance_met else "chưa đạt"
    lines.append(
        f"Tỷ lệ dự họp {percent(t.present, t.required)}, {verdict} tiêu chí chất lượng "
        f"(tối thiểu {t.attendance_threshold_pct}%)."
    )
    return lines


def _agenda(record: Record) -> list[str]:
    lines: list[str] = []
    for i, item in enumerate(record.agenda, start=1):
        by = f" (trình bày: {comrade(item.presenter.full_name)})" if item.presenter else ""
        lines.append(f"{i}. {item.title}{by}.")
        lines += [f"   {line.strip()}" for line in item.notes.splitlines() if line.strip()]
    return (lines or ["(Chưa ghi chương trình.)"]) + _directives(record)


def _discussion(record: Record) -> list[str]:
    t = record.totals
    if not record.turns:
        lines = ["Không có ý kiến phát biểu."]
    else:
        lines = [
            f"Có {len(record.turns)} lượt phát biểu; {t.speakers} đồng chí phải dự họp đã phát biểu "
            f"({percent(t.speakers, t.present)} số đảng viên phải dự họp có mặt; "
            f"yêu cầu tối thiểu {t.speakers_threshold_pct}%: {'đạt' if t.speakers_met else 'chưa đạt'}).",
        ]
        if t.exempt_speakers:
            lines[0] += f" Ngoài ra có {t.exempt_speakers} đảng viên được miễn sinh hoạt phát biểu (không tính tỷ lệ)."
        for turn in record.turns:
            summary = turn.summary.strip() or "(không ghi tóm tắt)"
            lines.append(
                f"- {comrade(turn.member.full_name, capital=True)} ({turn.get_kind_display().lower()}): {summary}"
            )
    return lines + _guidance(record)


def _guidance(record: Record) -> list[str]:
    """Ý kiến chỉ đạo: the remarks of those attending from above, with what the cell answered (C11)."""
    if not record.remarks:
        return []
    # Imported here: the supervision app builds on this one (see _last_month_review).
    from chibo.supervision.selectors import guidance_lines

    lines = guidance_lines(record.meeting)
    return ["Ý kiến chỉ đạo:", *lines] if lines else []


def _directives(record: Record) -> list[str]:
    """The directives from above disseminated at the meeting (C12)."""
    from chibo.directives.selectors import minutes_lines  # see _last_month_review

    return minutes_lines(record.meeting)


def vote_sentence(vote: Vote | None) -> str:
    if vote is None:
        return "Chi bộ không tiến hành biểu quyết."
    rule = RuleSetVersion.VotePassRule(vote.pass_rule).label
    result = "được thông qua" if vote.passed else "không được thông qua"
    return (
        f"Biểu quyết thông qua nghị quyết: {vote.voters_present} đảng viên chính thức có mặt; "
        f"tán thành {vote.votes_for} ({percent(vote.votes_for, vote.voters_present)}), "
        f"không tán thành {vote.votes_against}, không biểu quyết {vote.votes_abstain}. "
        f"Theo quy định ({str(rule).lower()}), nghị quyết {result}."
    )


def _conclusion(record: Record) -> list[str]:
    lines: list[str] = []
    draft = [line.strip() for line in record.meeting.draft_resolution.splitlines() if line.strip()]
    if draft:
        lines.append("Chủ trì kết luận, chi bộ thống nhất các nội dung nghị quyết:")
        lines += draft
    lines.append(vote_sentence(record.vote))
    return lines


def _closing(record: Record) -> list[str]:
    m = record.meeting
    if m.ended_at is None:
        end = "Cuộc họp kết thúc cùng ngày."
    elif timezone.localdate(m.ended_at) == meeting_day(m):
        end = f"Cuộc họp kết thúc lúc {clock(m.ended_at)} cùng ngày."
    else:
        end = f"Cuộc họp kết thúc lúc {clock(m.ended_at)}, {long_date(timezone.localdate(m.ended_at))}."
    return [end, "Biên bản đã được đọc lại trước chi bộ; các đồng chí dự họp nhất trí với nội dung biên bản."]


def committee_of(body: str) -> str:
    """The committee that receives a report for the party organization `body`: "Đảng bộ phường Bình Thạnh"
    → "Đảng ủy phường Bình Thạnh" (đảng bộ: the organization; đảng ủy: its committee)."""
    for word in ("Đảng bộ ", "đảng bộ "):
        if body.startswith(word):
            return "Đảng ủy " + body[len(word) :]
    return body


def _recipients(issuer: Issuer) -> list[str]:
    above = [f"- {committee_of(issuer.superior_name)} (để báo cáo),"] if issuer.superior_name else []
    return [*above, "- Lưu chi bộ."]


def leadership_words(record: Record) -> str:
    """Who leads the cell, as the documents name it: a cell with fewer than 9 official members elects a
    secretary (and a deputy), not a committee (Điều lệ Đảng, Art. 24)."""
    return "Chi ủy" if record.totals.official >= 9 else "Bí thư chi bộ"


def _results(record: Record) -> list[str]:
    """The short section on last month's results, printed before "QUYẾT NGHỊ"."""
    from chibo.tasks.selectors import review_counts  # see _last_month_review

    t = record.totals
    counts = review_counts(record.meeting)
    lines = [f"Kỳ họp có {t.present}/{t.required} đảng viên phải dự họp có mặt ({percent(t.present, t.required)})."]
    if counts["total"]:
        done = counts["reviewed"] - counts["unfinished"]
        lines.append(
            f"Chi bộ kiểm điểm {counts['reviewed']}/{counts['total']} phần việc được giao tại nghị quyết kỳ trước: "
            f"hoàn thành {done}, chưa hoàn thành {counts['unfinished']}; biểu dương {counts['commended']}, "
            f"nhắc nhở {counts['reminded']}."
        )
    else:
        lines.append("Kỳ trước không có phần việc giao cho đảng viên cần kiểm điểm.")
    return lines


def _last_month_review(record: Record) -> list[str]:
    """The review of last month's tasks (C8), recorded in the tasks app."""
    # Imported here: the tasks app imports this module (its review respects locked minutes).
    from chibo.tasks.selectors import minutes_review_lines

    return minutes_review_lines(record.meeting)


def _score(record: Record) -> list[str]:
    """The meeting's quality score (C14) as it stands when the minutes are composed."""
    if not apps.is_installed("chibo.quality"):
        return []
    # Imported here: the quality app is built on this one (its score follows the minutes' lock).
    from chibo.quality.selectors import score_lines

    return score_lines(record.meeting)


def minutes_sections(record: Record, issuer: Issuer) -> dict[str, str]:
    parts = {
        "opening": _opening(record, issuer),
        "attendance": _attendance(record),
        "agenda": _agenda(record),
        "discussion": _last_month_review(record) + _discussion(record),
        "conclusion": _conclusion(record),
        "score": _score(record),
        "closing": _closing(record),
        "recipients": _recipients(issuer),
    }
    return {key: "\n".join(lines) for key, lines in parts.items()}


# --- the resolution ----------------------------------------------------------------------------------

# "1.", "1)", "a)", "-", "+", "•" before a clause of the draft.
_BULLET = re.compile(r"^\s*(?:\d+[.)]|[a-zđ][.)]|[-+•*])\s*", re.IGNORECASE)


def resolution_clauses(meeting: Meeting) -> list[str]:
    """The operative clauses of the draft resolution (Meeting.draft_resolution): one a line, numbering dropped."""
    from chibo.tasks.selectors import resolution_task_lines  # see _last_month_review

    clauses = [_BULLET.sub("", line).strip() for line in meeting.draft_resolution.splitlines()]
    return [c for c in clauses if c] + resolution_task_lines(meeting)


def resolution_sections(record: Record, issuer: Issuer) -> dict[str, str]:
    m = record.meeting
    grounds = [
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        f"Căn cứ Quy chế làm việc của {issuer.issuer_name};",
        f"Căn cứ kết quả họp chi bộ ngày {short_date(meeting_day(m))},",
    ]
    implementation = [
        f"{leadership_words(record)} có trách nhiệm triển khai, phân công đảng viên thực hiện và kiểm điểm kết quả "
        "tại kỳ sinh hoạt chi bộ tháng sau; đảng viên được phân công chủ động thực hiện nhiệm vụ.",
    ]
    if record.vote is not None:
        v = record.vote
        implementation.append(
            f"Nghị quyết được chi bộ biểu quyết thông qua với {v.votes_for}/{v.voters_present} đảng viên chính thức "
            f"có mặt tán thành ({percent(v.votes_for, v.voters_present)})."
        )
    return {
        "grounds": "\n".join(grounds),
        "results": "\n".join(_results(record)),
        "implementation": "\n".join(implementation),
        "recipients": "\n".join(["- Đảng viên trong chi bộ,", *_recipients(issuer)]),
    }
