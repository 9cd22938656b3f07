"""Writes of the year-end review (C15). Pages, API, the background job, the import and tests call these."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.selectors import member_ids_on_roll
from chibo.reviews.classify import propose
from chibo.reviews.criteria import GRADE_KEYS, criteria_for, form_for
from chibo.reviews.evidence import Evidence, gather, stored
from chibo.reviews.models import LEVEL_ORDER, CellReview, Level, MemberReview, ReviewAmendment
from chibo.rules.selectors import ruleset_for

Status = CellReview.Status


def year_end(year: int) -> date:
    """The day the year's status is read: 31/12, or today while the year is still running."""
    return min(date(year, 12, 31), today())


def upper_level(org: Organization) -> Organization | None:
    """The committee above a cell (the ward's for its cells), which decides its members' levels."""
    if org.depth <= 1:
        return None
    return Organization.objects.filter(path=org.path[: -org.steplen]).first()


def can_decide(user: User | Any, org: Organization) -> bool:
    """Only the upper level decides: an officer of the node above `org` (or higher up)."""
    parent = upper_level(org)
    return parent is not None and has_perm_on(user, parent, Perm.EDIT_ORG)


def _check_decider(actor: User | None, org: Organization) -> None:
    if actor is not None and not can_decide(actor, org):
        raise ChiboError(_("Chỉ cấp ủy cấp trên của %(org)s được quyết định xếp loại.") % {"org": org.name})


def _apply(review: MemberReview, evidence: Evidence, *, settings: dict, rate_probationary: bool) -> None:
    proposal = propose(
        evidence,
        settings=settings,
        rate_probationary=rate_probationary,
        self_grades=review.self_grades,
        discipline_exception=review.discipline_exception,
    )
    review.evidence = evidence.as_json()
    review.not_rated = proposal.not_rated
    review.points = proposal.points
    review.proposed_level = proposal.level
    review.reasons = proposal.reasons


def build_member_reviews(
    cell_review: CellReview, member_ids: list[int], evidence: dict[int, Evidence]
) -> list[MemberReview]:
    """Unsaved reviews with their evidence and proposals (the start of a review and the province's job)."""
    rules = cell_review.ruleset
    assert rules is not None
    reviews = []
    for pk in member_ids:
        e = evidence[pk]
        review = MemberReview(
            cell_review=cell_review, member_id=pk, form=form_for(holds_post=e.holds_post, occupation=e.occupation)
        )
        _apply(review, e, settings=rules.classification, rate_probationary=rules.rate_probationary)
        reviews.append(review)
    return reviews


def roll_at_year_end(org: Organization, year: int) -> list[int]:
    return list(member_ids_on_roll([org.pk], year_end(year)).values_list("member_id", flat=True))


@transaction.atomic
def review_start(*, actor: User | None, org: Organization, year: int) -> CellReview:
    """Open a cell's review of `year`: every member on its roll at the year's end, with the evidence of the
    year and the proposal under the rule set in force at the cell on 31/12."""
    if not org.is_cell:
        raise ChiboError(_("Chỉ chi bộ tổ chức kiểm điểm đảng viên."), field="org")
    if year > today().year or year < 1990:
        raise ChiboError(_("Năm kiểm điểm không hợp lệ."), field="year")
    if CellReview.objects.filter(org=org, year=year).exists():
        raise ChiboError(_("%(org)s đã có kiểm điểm năm %(year)s.") % {"org": org.name, "year": year}, field="year")
    try:
        with transaction.atomic():
            cell_review = CellReview.objects.create(
                org=org, year=year, ruleset=ruleset_for(org, date(year, 12, 31)), created_by=actor
            )
    except IntegrityError as exc:
        raise ChiboError(_("Vừa có người mở kiểm điểm năm này, hãy tải lại trang.")) from exc
    ids = roll_at_year_end(org, year)
    MemberReview.objects.bulk_create(build_member_reviews(cell_review, ids, gather(ids, year, as_of=year_end(year))))
    return cell_review


def _check_open(cell_review: CellReview) -> None:
    if cell_review.is_locked:
        raise ChiboError(_("Kiểm điểm năm %(year)s đã khóa.") % {"year": cell_review.year})
    if not cell_review.is_open:
        raise ChiboError(_("Chi bộ đã gửi kết quả lên cấp trên; không sửa được nữa."))


@transaction.atomic
def review_refresh(*, actor: User | None, cell_review: CellReview) -> int:
    """Gather the evidence again while the cell is reviewing (a late task review, a new decision)."""
    _check_open(cell_review)
    reviews = list(cell_review.member_reviews.all())
    evidence = gather([r.member_id for r in reviews], cell_review.year, as_of=year_end(cell_review.year))
    rules = cell_review.ruleset
    assert rules is not None
    for r in reviews:
        _apply(r, evidence[r.member_id], settings=rules.classification, rate_probationary=rules.rate_probationary)
        if r.not_rated:
            r.committee_level = r.cell_level = ""
    fields = ["evidence", "not_rated", "points", "proposed_level", "reasons", "committee_level", "cell_level"]
    MemberReview.objects.bulk_update(reviews, fields, batch_size=500)
    return len(reviews)


def _repropose(review: MemberReview) -> None:
    rules = review.cell_review.ruleset
    assert rules is not None
    evidence = stored(review.evidence) if review.evidence else None
    if evidence is None:
        evidence = gather([review.member_id], review.cell_review.year)[review.member_id]
    _apply(review, evidence, settings=rules.classification, rate_probationary=rules.rate_probationary)


@transaction.atomic
def self_assessment_submit(
    *,
    actor: User | None,
    review: MemberReview,
    grades: dict[str, dict[str, str]],
    strengths: str = "",
    weaknesses: str = "",
    self_level: str = "",
) -> MemberReview:
    """The member's own assessment on their form: every criterion graded, a note where they wish; a
    criterion graded "Kém" needs its note."""
    review = MemberReview.objects.select_for_update().select_related("cell_review", "member").get(pk=review.pk)
    if actor is not None and actor.member_id != review.member_id:
        raise ChiboError(_("Chỉ đảng viên tự kiểm điểm bản của mình."))
    _check_open(review.cell_review)
    clean: dict[str, dict[str, str]] = {}
    for criterion in criteria_for(review.form):
        given = grades.get(criterion.key) or {}
        grade, note = (given.get("grade") or "").strip(), (given.get("note") or "").strip()
        if grade not in GRADE_KEYS:
            raise ChiboError(
                _("Hãy chọn mức tự đánh giá cho tiêu chí “%(c)s”.") % {"c": criterion.label}, field=criterion.key
            )
        if grade == "poor" and not note:
            raise ChiboError(_("Tiêu chí tự đánh giá mức Kém cần ghi rõ lý do."), field=criterion.key)
        clean[criterion.key] = {"grade": grade, "note": note[:2000]}
    if self_level and self_level not in Level.values:
        raise ChiboError(_("Mức tự xếp loại không hợp lệ."), field="self_level")
    review.self_grades = clean
    review.self_strengths, review.self_weaknesses = strengths.strip(), weaknesses.strip()
    review.self_level = self_level if review.is_rated else ""
    review.self_submitted_at = timezone.now()
    _repropose(review)
    review.save()
    return review


@transaction.atomic
def review_meeting_record(
    *,
    actor: User | None,
    cell_review: CellReview,
    meeting_date: date,
    present: int,
    place: str = "",
    chair: Member | None = None,
    recorder: Member | None = None,
) -> CellReview:
    """The cell's review meeting (hội nghị kiểm điểm): its day, place, chair, recorder and attendance."""
    _check_open(cell_review)
    if meeting_date is None or meeting_date > today():
        raise ChiboError(_("Ngày họp kiểm điểm không được ở tương lai."), field="meeting_date")
    if meeting_date.year not in (cell_review.year, cell_review.year + 1):
        raise ChiboError(_("Ngày họp kiểm điểm phải trong tháng cuối năm hoặc đầu năm sau."), field="meeting_date")
    roll = cell_review.member_reviews.count()
    if present is None or not 0 < present <= roll:
        raise ChiboError(_("Số có mặt phải từ 1 đến %(n)s.") % {"n": roll}, field="present")
    cell_review.meeting_date, cell_review.meeting_place, cell_review.present = meeting_date, place.strip(), present
    cell_review.chair, cell_review.recorder = chair, recorder
    cell_review.save(update_fields=["meeting_date", "meeting_place", "present", "chair", "recorder"])
    return cell_review


@transaction.atomic
def review_appraise(
    *,
    actor: User | None,
    review: MemberReview,
    committee_level: str,
    votes_for: int,
    votes_against: int,
    opinions: str = "",
    discipline_exception: str | None = None,
) -> MemberReview:
    """At the review meeting, for one member: the committee's proposal, the members' opinions, the vote.
    The level is the cell's when more than half of those voting agree."""
    review = MemberReview.objects.select_for_update().select_related("cell_review").get(pk=review.pk)
    cell_review = review.cell_review
    _check_open(cell_review)
    if not review.is_rated:
        raise ChiboError(_("Đảng viên này không xếp loại năm nay (%(why)s).") % {"why": review.get_not_rated_display()})
    if committee_level not in Level.values:
        raise ChiboError(_("Chọn mức chi ủy đề xuất."), field="committee_level")
    if cell_review.present is None:
        raise ChiboError(_("Hãy ghi ngày họp và số có mặt của hội nghị kiểm điểm trước."), field="votes_for")
    for name, value in (("votes_for", votes_for), ("votes_against", votes_against)):
        if value is None or value < 0:
            raise ChiboError(_("Số phiếu không hợp lệ."), field=name)
    if votes_for + votes_against > cell_review.present:
        raise ChiboError(
            _("Tổng số biểu quyết (%(n)s) vượt số có mặt (%(p)s).")
            % {"n": votes_for + votes_against, "p": cell_review.present},
            field="votes_for",
        )
    if votes_for * 2 <= votes_for + votes_against:
        raise ChiboError(
            _("Mức %(level)s chưa được quá nửa tán thành; hãy biểu quyết mức khác.")
            % {"level": Level(committee_level).label},
            field="votes_for",
        )
    if discipline_exception is not None:
        review.discipline_exception = discipline_exception.strip()
        _repropose(review)
    review.committee_level = review.cell_level = committee_level
    review.votes_for, review.votes_against, review.opinions = votes_for, votes_against, opinions.strip()
    review.save()
    return review


def quota_allows(excellent: int, good: int, pct: int) -> int:
    """How many HTXSNV the quota allows: at most `pct` % of those rated HTTNV (rounded down)."""
    return good * pct // 100


def quota_check(*, excellent: int, good: int, rules: Any) -> str:
    """An empty string when the quota holds, else what exceeds it (the setting may be off)."""
    if not rules.excellent_quota_enabled:
        return ""
    allowed = quota_allows(excellent, good, rules.excellent_quota_pct)
    if excellent <= allowed:
        return ""
    return _("%(e)s đảng viên HTXSNV vượt tỷ lệ: tối đa %(pct)s%% số HTTNV (%(g)s), tức %(allowed)s đảng viên.") % {
        "e": excellent,
        "pct": rules.excellent_quota_pct,
        "g": good,
        "allowed": allowed,
    }


@transaction.atomic
def review_send(*, actor: User | None, cell_review: CellReview, quota_exception: str = "") -> CellReview:
    """The cell sends its proposal up: every rated member voted, the HTXSNV quota checked (or an exception
    recorded with its reason)."""
    cell_review = CellReview.objects.select_for_update().get(pk=cell_review.pk)
    _check_open(cell_review)
    reviews = list(cell_review.member_reviews.all())
    missing = [r for r in reviews if r.is_rated and not r.cell_level]
    if missing:
        raise ChiboError(
            _("Còn %(n)s đảng viên chưa được chi bộ biểu quyết mức xếp loại.") % {"n": len(missing)}, field=None
        )
    levels = [r.cell_level for r in reviews if r.is_rated]
    over = quota_check(
        excellent=levels.count(Level.EXCELLENT), good=levels.count(Level.GOOD), rules=cell_review.ruleset
    )
    if over and not quota_exception.strip():
        raise ChiboError(over + " " + _("Ghi lý do ngoại lệ hoặc giảm mức."), field="quota_exception")
    cell_review.quota_exception = quota_exception.strip() if over else ""
    cell_review.status, cell_review.sent_at, cell_review.sent_by = Status.SENT, timezone.now(), actor
    cell_review.save(update_fields=["quota_exception", "status", "sent_at", "sent_by"])
    return cell_review


@transaction.atomic
def review_decide(*, actor: User | None, review: MemberReview, level: str, reason: str = "") -> MemberReview:
    """The upper level approves the cell's level or changes it, with a reason."""
    review = MemberReview.objects.select_for_update().select_related("cell_review__org").get(pk=review.pk)
    cell_review = review.cell_review
    _check_decider(actor, cell_review.org)
    if cell_review.status != Status.SENT:
        raise ChiboError(_("Chỉ quyết định khi chi bộ đã gửi kết quả và năm chưa khóa."))
    if not review.is_rated:
        raise ChiboError(_("Đảng viên này không xếp loại năm nay."))
    if level not in Level.values:
        raise ChiboError(_("Chọn mức xếp loại."), field="level")
    if level != review.cell_level and not reason.strip():
        raise ChiboError(_("Đổi mức chi bộ đề nghị phải ghi lý do."), field="reason")
    review.decided_level, review.decision_reason = level, reason.strip()
    review.decided_by, review.decided_at = actor, timezone.now()
    review.save(update_fields=["decided_level", "decision_reason", "decided_by", "decided_at", "updated_at"])
    return review


@transaction.atomic
def review_lock(*, actor: User | None, cell_review: CellReview) -> CellReview:
    """The upper level closes the year: the levels not changed are approved as the cell proposed."""
    cell_review = CellReview.objects.select_for_update().select_related("org").get(pk=cell_review.pk)
    _check_decider(actor, cell_review.org)
    if cell_review.status != Status.SENT:
        raise ChiboError(_("Chỉ khóa khi chi bộ đã gửi kết quả."))
    now = timezone.now()
    undecided = cell_review.member_reviews.filter(decided_level="").exclude(cell_level="")
    for r in undecided:
        r.decided_level, r.decided_by, r.decided_at = r.cell_level, actor, now
    MemberReview.objects.bulk_update(list(undecided), ["decided_level", "decided_by", "decided_at"])
    cell_review.status, cell_review.locked_at, cell_review.locked_by = Status.LOCKED, now, actor
    cell_review.save(update_fields=["status", "locked_at", "locked_by"])
    return cell_review


@transaction.atomic
def review_amend(*, actor: User, review: MemberReview, level: str, reason: str) -> ReviewAmendment:
    """After the lock, a level changes only as an amendment: who, when, why, before and after."""
    review = MemberReview.objects.select_for_update().select_related("cell_review__org").get(pk=review.pk)
    _check_decider(actor, review.cell_review.org)
    if not review.cell_review.is_locked:
        raise ChiboError(_("Năm chưa khóa: hãy quyết định trực tiếp."))
    if level not in Level.values:
        raise ChiboError(_("Chọn mức xếp loại."), field="level")
    if level == review.decided_level:
        raise ChiboError(_("Mức mới trùng mức đã quyết định."), field="level")
    if not reason.strip():
        raise ChiboError(_("Hãy ghi lý do đính chính."), field="reason")
    amendment = ReviewAmendment.objects.create(
        member_review=review, before=review.decided_level, after=level, reason=reason.strip(), author=actor
    )
    review.decided_level = level
    review.save(update_fields=["decided_level", "updated_at"])
    return amendment


def best_of(levels: list[str]) -> str:
    return min(levels, key=LEVEL_ORDER.index) if levels else ""
