"""Writes of a meeting's quality score (C14). Every refusal is a ChiboError with a Vietnamese message at the
field; nothing is half-saved (each function is one transaction, the score row locked)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.documents.models import MeetingDocument
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import live_totals
from chibo.quality.checks import measure
from chibo.quality.models import MeetingScore, ScoreAmendment, ScoreItem
from chibo.quality.selectors import level_for, score_lines, upper_level_attendees
from chibo.rules.scoring import criteria_of


def _lock(score: MeetingScore) -> MeetingScore:
    return MeetingScore.objects.select_for_update().select_related("meeting", "meeting__ruleset").get(pk=score.pk)


def _require_open_for_change(score: MeetingScore) -> None:
    if score.is_locked or score.meeting.minutes_locked:
        raise ChiboError(_("Kết quả chấm điểm đã khóa cùng biên bản; muốn sửa hãy lập đính chính."), field="points")
    if score.is_confirmed:
        raise ChiboError(_("Kết quả chấm điểm đã được cấp trên xác nhận, không sửa được nữa."), field="points")


def _recount(score: MeetingScore) -> None:
    items = list(score.items.all())
    score.total = sum(i.points for i in items)
    score.level = level_for(score.total, {i.key: i.full for i in items}, score.scheme)
    score.save(update_fields=["total", "level", "updated_at"])
    _refresh_minutes(score)


def _refresh_minutes(score: MeetingScore) -> None:
    """A draft of the minutes prints the score as it now stands; a signed one keeps what it was signed with."""
    draft = MeetingDocument.objects.filter(
        meeting=score.meeting, kind=MeetingDocument.Kind.MINUTES, status=MeetingDocument.Status.DRAFT
    ).first()
    if draft is not None:
        draft.sections = {**draft.sections, "score": "\n".join(score_lines(score.meeting))}
        draft.save(update_fields=["sections", "updated_at"])


@records_actor
@transaction.atomic
def score_propose(*, actor: User | None, meeting: Meeting) -> MeetingScore:
    """Measure every criterion of the meeting's scheme from the record and propose the score; again later
    (the minutes signed, a review recorded) it refreshes what the record measures, keeping the committee's
    reasoned changes. Only a closed meeting is scored; a confirmed score is not measured again."""
    meeting = Meeting.objects.select_for_update().select_related("ruleset").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.CLOSED:
        raise ChiboError(_("Chỉ chấm điểm buổi sinh hoạt đã kết thúc."), field="meeting")
    score = MeetingScore.objects.select_for_update().filter(meeting=meeting).first()
    if score is not None and (score.is_confirmed or score.is_locked):
        return score
    scheme = score.scheme if score is not None else meeting.ruleset.scoring
    criteria = criteria_of(scheme)
    measured = measure(meeting, [c["check"] for c in criteria])
    labels = {g["key"]: g.get("label", g["key"]) for g in scheme["groups"]}
    if score is None:
        score = MeetingScore.objects.create(
            meeting=meeting,
            ruleset=meeting.ruleset,
            scheme=scheme,
            total=0,
            max_total=scheme["total"],
            level="poor",
            proposed_at=timezone.now(),
        )
    existing = {i.key: i for i in score.items.all()}
    for position, c in enumerate(criteria, start=1):
        m = measured[c["check"]]
        points = int(c["points"] * m.share)
        item = existing.get(c["key"]) or ScoreItem(score=score, key=c["key"])
        adjusted = item.pk is not None and item.reason and item.points != item.measured_points
        item.position, item.group, item.group_label = position, c["group"], labels[c["group"]]
        item.label, item.max_points = c.get("label", c["key"]), c["points"]
        item.measured_points, item.met = points, m.met
        item.evidence, item.evidence_url = m.evidence, m.url
        if not adjusted:
            item.points, item.reason = points, ""
        item.save()
    _recount(score)
    return score


def _measure_again(score: MeetingScore, *, checks: set[str]) -> None:
    """Measure the named checks again and recount; a criterion the committee changed keeps its points."""
    criteria = [c for c in criteria_of(score.scheme) if c["check"] in checks]
    measured = measure(score.meeting, [c["check"] for c in criteria])
    for c in criteria:
        item = score.items.get(key=c["key"])
        m = measured[c["check"]]
        item.measured_points, item.met = int(c["points"] * m.share), m.met
        item.evidence, item.evidence_url = m.evidence, m.url
        if not item.reason:
            item.points = item.measured_points
        item.save(update_fields=["measured_points", "met", "evidence", "evidence_url", "points"])
    _recount(score)


def _item_with_points(score: MeetingScore, key: str, points: int) -> ScoreItem:
    """The score's criterion `key`, and `points` checked against its range (adjusting and amending alike)."""
    item = score.items.filter(key=key).first()
    if item is None:
        raise ChiboError(_("Không có tiêu chí này trong cách chấm điểm."), field="key")
    if not isinstance(points, int) or not 0 <= points <= item.max_points:
        raise ChiboError(
            _("Điểm của tiêu chí “%(c)s” phải từ 0 đến %(m)s.") % {"c": item.label, "m": item.max_points},
            field="points",
        )
    return item


@records_actor
@transaction.atomic
def score_adjust(*, actor: User, score: MeetingScore, key: str, points: int, reason: str) -> ScoreItem:
    """The cell committee changes a criterion's points, only with a written reason (kept and shown)."""
    score = _lock(score)
    _require_open_for_change(score)
    item = _item_with_points(score, key, points)
    reason = (reason or "").strip()
    if points != item.measured_points and not reason:
        raise ChiboError(_("Ghi lý do khi đổi điểm so với hồ sơ buổi họp."), field="reason")
    item.points = points
    item.reason = reason if points != item.measured_points else ""
    item.changed_by, item.changed_at = actor, timezone.now()
    item.save(update_fields=["points", "reason", "changed_by", "changed_at"])
    if score.is_voted:
        # The members voted on other points: the vote is taken again.
        score.votes_for = score.votes_against = score.votes_abstain = None
        score.voted_at, score.vote_recorded_by = None, None
        score.save(update_fields=["votes_for", "votes_against", "votes_abstain", "voted_at", "vote_recorded_by"])
    _recount(score)
    return item


@records_actor
@transaction.atomic
def score_vote_record(
    *, actor: User, score: MeetingScore, votes_for: int, votes_against: int, votes_abstain: int
) -> MeetingScore:
    """The members' vote on the proposed score: official members present vote, as on the resolution."""
    score = _lock(score)
    _require_open_for_change(score)
    voters = live_totals(score.meeting).voters
    counts = (votes_for, votes_against, votes_abstain)
    if any(not isinstance(n, int) or n < 0 for n in counts):
        raise ChiboError(_("Số phiếu không được âm."), field="votes_for")
    if sum(counts) > voters:
        raise ChiboError(
            _("Tổng số biểu quyết (%(sum)s) vượt số đảng viên chính thức có mặt (%(voters)s).")
            % {"sum": sum(counts), "voters": voters},
            field="votes_for",
        )
    score.votes_for, score.votes_against, score.votes_abstain = counts
    score.voted_at, score.vote_recorded_by = timezone.now(), actor
    score.save(update_fields=["votes_for", "votes_against", "votes_abstain", "voted_at", "vote_recorded_by"])
    _refresh_minutes(score)
    return score


@records_actor
@transaction.atomic
def score_confirm(*, actor: User, score: MeetingScore) -> MeetingScore:
    """The cadre who attended from above confirms the score the members voted."""
    score = _lock(score)
    if score.is_confirmed:
        raise ChiboError(_("Kết quả chấm điểm đã được xác nhận."), field="confirm")
    if actor not in upper_level_attendees(score.meeting):
        raise ChiboError(
            _("Chỉ cán bộ cấp trên đã dự buổi sinh hoạt này mới xác nhận được kết quả chấm điểm."), field="confirm"
        )
    if not score.is_voted:
        raise ChiboError(_("Chi bộ chưa biểu quyết kết quả chấm điểm."), field="confirm")
    score.confirmed_by, score.confirmed_at = actor, timezone.now()
    score.confirmed_by_name = (actor.get_full_name() or actor.username)[:160]
    score.save(update_fields=["confirmed_by", "confirmed_at", "confirmed_by_name", "updated_at"])
    _refresh_minutes(score)
    return score


@transaction.atomic
def score_lock_with_minutes(*, meeting: Meeting) -> MeetingScore | None:
    """The minutes are signed by all and locked: the score locks with them (called by chibo.documents).
    Signing is itself a criterion (minutes signed within the rule set's days), so it is measured now, even
    on a score already confirmed: a fact of the record, not a judgement the committee or the upper level
    made (their changes with a reason are kept)."""
    score = MeetingScore.objects.select_for_update().filter(meeting=meeting).first()
    if score is None or not score.is_confirmed:
        score = score_propose(actor=None, meeting=meeting)
    else:
        _measure_again(score, checks={"minutes_signed"})
    if score.locked_at is None:
        score.locked_at = timezone.now()
        score.save(update_fields=["locked_at", "updated_at"])
    return score


@records_actor
@transaction.atomic
def score_amend(*, actor: User, score: MeetingScore, key: str, points: int, reason: str) -> ScoreAmendment:
    """A change after the score locked: an amendment with its reason, before and after, never silent."""
    score = _lock(score)
    if not (score.is_locked or score.meeting.minutes_locked):
        raise ChiboError(_("Kết quả chưa khóa: hãy điều chỉnh điểm trực tiếp."), field="points")
    item = _item_with_points(score, key, points)
    reason = (reason or "").strip()
    if not reason:
        raise ChiboError(_("Ghi lý do đính chính."), field="reason")
    if points == item.points:
        raise ChiboError(_("Điểm mới trùng điểm hiện tại."), field="points")
    amendment = ScoreAmendment.objects.create(
        score=score, key=key, label=item.label, before=item.points, after=points, reason=reason, author=actor
    )
    item.points = points
    item.reason = reason
    item.changed_by, item.changed_at = actor, timezone.now()
    item.save(update_fields=["points", "reason", "changed_by", "changed_at"])
    _recount(score)
    return amendment
