"""Who may use the notice pages and API (the scope matrix, chibo/testing/scope_matrix.py)."""

from datetime import timedelta

from chibo.testing.scope_matrix import SIGNED_IN, ScopeCase


def _notice_to_member(w):  # type: ignore[no-untyped-def]
    from chibo.core.dates import today
    from chibo.notices.services import meeting_notices_send
    from chibo.scheduling.services import meeting_plan

    meeting = meeting_plan(
        actor=None, org=w.anhoa, kind="extraordinary", scheduled_date=today() + timedelta(days=3), notify=False
    )
    meeting_notices_send(meeting_id=meeting.pk, kind="invitation")
    return meeting.notices.get(member=w.member_of_anhoa)


CASES = [
    # Everyone has an inbox of their own.
    ScopeCase("notices:inbox", allowed=SIGNED_IN),
    ScopeCase("notices:badge", allowed=SIGNED_IN),
    ScopeCase("notices:read_all", allowed=SIGNED_IN, method="POST"),
    # A notice is its recipient's only: anyone else gets 404.
    ScopeCase("notices:read", allowed={"anhoa_member"}, method="POST", args=lambda w: {"pk": _notice_to_member(w).pk}),
    ScopeCase("GET /api/v1/notices", allowed=SIGNED_IN),
    ScopeCase(
        "POST /api/v1/notices/{notice_id}/read",
        allowed={"anhoa_member"},
        args=lambda w: {"notice_id": _notice_to_member(w).pk},
    ),
]
