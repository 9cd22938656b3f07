"""A meeting's score over the API (C14, C17): each criterion with its points, maximum and evidence."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from chibo.accounts.scope import Perm
from chibo.core.api_tools import ErrorOut
from chibo.meetings.selectors import get_meeting_for_user
from chibo.quality import selectors

router = Router(tags=["Chất lượng sinh hoạt"])


class ScoreItemOut(Schema):
    key: str
    group: str
    label: str
    points: int
    max_points: int
    measured_points: int
    met: bool
    evidence: str
    evidence_url: str
    reason: str


class ScoreOut(Schema):
    meeting_id: int
    ruleset_id: int
    scheme: str
    total: int
    max_total: int
    level: str
    state: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    confirmed_by: str
    confirmed_at: datetime | None
    items: list[ScoreItemOut]


@router.get("/{meeting_id}/score", response={200: ScoreOut, 404: ErrorOut})
def meeting_score(request: HttpRequest, meeting_id: int) -> dict:
    """Kết quả chấm điểm chất lượng buổi sinh hoạt: từng tiêu chí với điểm, điểm tối đa và căn cứ. 404 khi
    chưa chấm (chỉ chấm sau khi bế mạc)."""
    from ninja.errors import HttpError

    meeting = get_meeting_for_user(request.user, meeting_id, Perm.ATTEND_MEETINGS)
    score = selectors.score_of(meeting)
    if score is None:
        raise HttpError(404, "Buổi sinh hoạt chưa được chấm điểm.")
    return {
        "meeting_id": meeting.pk,
        "ruleset_id": score.ruleset_id,
        "scheme": score.scheme.get("scheme", ""),
        "total": score.total,
        "max_total": score.max_total,
        "level": score.level,
        "state": score.state,
        "votes_for": score.votes_for,
        "votes_against": score.votes_against,
        "votes_abstain": score.votes_abstain,
        "confirmed_by": score.confirmed_by_name,
        "confirmed_at": score.confirmed_at,
        "items": score.item_list,  # type: ignore[attr-defined]
    }
