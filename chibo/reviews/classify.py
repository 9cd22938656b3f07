"""The proposal (C15): points on 100 and a level from a member's evidence, under the rule set's
classification settings (chibo.rules.models.classification_qd366 and the earlier periods' presets).

One function, `propose`, used by the pages, the API, the province's background job and the tests. It
says why: each reason is a message id with its figures, translated when shown.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chibo.reviews.evidence import Evidence
from chibo.reviews.models import LEVEL_ORDER, SHORT, Level, MemberReview

COMMITMENT_SHARE = {"excellent": 1.0, "good": 0.8, "fair": 0.6, "poor": 0.2}
NotRated = MemberReview.NotRated


@dataclass
class Proposal:
    not_rated: str = ""
    points: int | None = None
    level: str = ""
    reasons: list[dict] = field(default_factory=list)

    def say(self, text: str, **params: object) -> None:
        self.reasons.append({"text": text, "params": params})


def reason_texts(reasons: list[dict]) -> list[str]:
    """The stored reasons in the reader's language."""
    out = []
    for r in reasons:
        params = {k: (SHORT.get(v, v) if isinstance(v, str) else v) for k, v in r.get("params", {}).items()}
        out.append(_(r["text"]) % params if params else _(r["text"]))
    return out


def _months_before(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 - months, 12)
    return date(day.year + y, m + 1, min(day.day, 28))


def not_rated_reason(e: Evidence, *, settings: dict, rate_probationary: bool, year_end: date) -> str:
    """Exempt and suspended members are listed, not rated; members admitted under the set months write a
    self-review only; probationary members as the rule set says."""
    if e.exempt_at_year_end:
        return NotRated.EXEMPT
    if e.suspended_at_year_end:
        return NotRated.SUSPENDED
    months = settings["admitted_months_before_rating"]
    if e.joined_on and date.fromisoformat(e.joined_on) > _months_before(year_end, months):
        return NotRated.NEW
    if not e.official_at_year_end and not rate_probationary:
        return NotRated.PROBATIONARY
    return ""


def points_for(e: Evidence, settings: dict, p: Proposal) -> int:
    w = settings["weights"]
    attendance = w["attendance"] * (e.present / e.required if e.required else 1.0)
    attendance = max(0.0, attendance - settings["unexcused_penalty"] * e.unexcused)
    tasks = w["tasks"] * ((e.on_time + 0.5 * e.late) / e.reviewed if e.reviewed else 1.0)
    # Speaking at half the meetings attended earns the full share.
    expected = max(1, e.present // 2)
    speaking = w["speaking"] * (min(1.0, e.turns / expected) if e.present else 1.0)
    if e.commitment_level:
        commitment = w["commitment"] * COMMITMENT_SHARE.get(e.commitment_level, 0.5)
    else:
        commitment = w["commitment"] * (0.5 if e.commitment_id else 0.3)
    criticism = w["criticism"] * (e.criticism_resolved / e.criticism_records if e.criticism_records else 1.0)
    penalty = settings["reminder_penalty"] * e.reminded
    total = round(attendance + tasks + speaking + commitment + criticism - penalty)
    p.say(
        gettext_noop(
            "Điểm %(points)s/100: dự họp %(a)s, nhiệm vụ %(t)s, phát biểu %(s)s, làm theo Bác %(c)s, "
            "phê bình %(k)s, trừ nhắc nhở %(r)s."
        ),
        points=max(0, min(100, total)),
        a=round(attendance),
        t=round(tasks),
        s=round(speaking),
        c=round(commitment),
        k=round(criticism),
        r=penalty,
    )
    return max(0, min(100, total))


def _lower(level: str, to: str) -> str:
    """The lower of two levels."""
    return max(level, to, key=LEVEL_ORDER.index)


def propose(
    e: Evidence,
    *,
    settings: dict,
    rate_probationary: bool,
    self_grades: dict | None = None,
    discipline_exception: str = "",
) -> Proposal:
    p = Proposal()
    year_end = date(e.year, 12, 31)
    p.not_rated = not_rated_reason(e, settings=settings, rate_probationary=rate_probationary, year_end=year_end)
    if p.not_rated:
        p.say(gettext_noop("Không xếp loại: %(why)s."), why=str(NotRated(p.not_rated).label))
        return p
    points = points_for(e, settings, p)
    cut = settings["cutoffs"]
    level: str = (
        Level.EXCELLENT
        if points >= cut["excellent"]
        else Level.GOOD
        if points >= cut["good"]
        else Level.FAIR
        if points >= cut["fair"]
        else Level.POOR
    )
    unfinished = e.late + e.not_done
    if level == Level.EXCELLENT and settings["excellent_all_on_time"] and unfinished:
        level = Level.GOOD
        p.say(
            gettext_noop("Chưa đạt HTXSNV: %(late)s nhiệm vụ chậm, %(not_done)s chưa hoàn thành (cần 100%% đúng hạn)."),
            late=e.late,
            not_done=e.not_done,
        )
    above = settings["above_requirement_pct"]
    if level == Level.EXCELLENT and above and (not e.tasks or e.commended * 100 < above * e.tasks):
        level = Level.GOOD
        p.say(
            gettext_noop("Chưa đạt HTXSNV: biểu dương %(n)s/%(t)s nhiệm vụ, cần ít nhất %(pct)s%% vượt yêu cầu."),
            n=e.commended,
            t=e.tasks,
            pct=above,
        )
    if level == Level.GOOD and settings["good_all_on_time"] and unfinished:
        level = Level.FAIR
        p.say(gettext_noop("Chưa đạt HTTNV: còn %(n)s nhiệm vụ không đúng hạn (cần 100%% đúng hạn)."), n=unfinished)
    if level == Level.FAIR and settings["fair_all_done"] and e.not_done:
        level = Level.POOR
        p.say(gettext_noop("Chưa đạt HTNV: %(n)s nhiệm vụ không hoàn thành (cần hoàn thành 100%%)."), n=e.not_done)
    cap_days = settings["sick_leave_months_cap"] * 30
    if cap_days and e.ill_health_days >= cap_days and LEVEL_ORDER.index(level) < LEVEL_ORDER.index(Level.FAIR):
        level = Level.FAIR
        p.say(
            gettext_noop("Nghỉ điều trị %(days)s ngày trong năm (từ %(months)s tháng): không xếp HTTNV trở lên."),
            days=e.ill_health_days,
            months=settings["sick_leave_months_cap"],
        )
    poor = [k for k, v in (self_grades or {}).items() if isinstance(v, dict) and v.get("grade") == "poor"]
    if poor and settings["poor_criterion_means_not_completed"]:
        level = Level.POOR
        p.say(gettext_noop("Có %(n)s tiêu chí tự đánh giá mức Kém: KHTNV."), n=len(poor))
    if e.disciplines and settings["discipline_means_not_completed"]:
        if settings["discipline_exception_allowed"] and discipline_exception.strip():
            p.say(
                gettext_noop("Bị kỷ luật trong năm, nhưng chi bộ ghi nhận ngoại lệ: %(why)s"), why=discipline_exception
            )
        else:
            level = _lower(level, Level.POOR)
            p.say(
                gettext_noop("Bị kỷ luật trong năm (quyết định số %(number)s ngày %(day)s): KHTNV."),
                number=e.disciplines[0]["decision_number"],
                day=date.fromisoformat(e.disciplines[0]["decided_on"]).strftime("%d/%m/%Y"),
            )
    p.points, p.level = points, level
    p.say(gettext_noop("Đề xuất: %(level)s."), level=level)
    return p
