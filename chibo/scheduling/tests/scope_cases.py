"""Who may use the calendar pages and API (the scope matrix, chibo/testing/scope_matrix.py)."""

from datetime import date

from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_VISIBLE, EVERYONE, SIGNED_IN, WARD_VISIBLE, ScopeCase

# Those who plan some cell's meetings: officers anywhere and the two cells' committees.
_PLANNERS = frozenset({"admin", "town_officer", "ward_officer", "anhoa_secretary", "other_cell_secretary", "outsider"})


def _meeting(w):  # type: ignore[no-untyped-def]
    from chibo.scheduling.services import meeting_plan

    return meeting_plan(actor=None, org=w.anhoa, kind="extraordinary", scheduled_date=date(2025, 3, 20), notify=False)


def _guest(w):  # type: ignore[no-untyped-def]
    from chibo.scheduling.services import guest_invite

    meeting = _meeting(w)
    guest = guest_invite(actor=None, meeting=meeting, name="Khách", email="khach@example.vn")
    return {"pk": meeting.pk, "guest_pk": guest.pk}


def _token(w):  # type: ignore[no-untyped-def]
    from chibo.scheduling.services import feed_for

    return {"token": feed_for(w.member_of_anhoa).token}


# Changing An Hòa's calendar is for those who run its meetings; those who only see it get 403.
_CHANGE_ANHOA = {"allowed": ANHOA_EDITORS, "forbidden": ANHOA_VISIBLE - ANHOA_EDITORS}
_ANHOA_MEETING = _CHANGE_ANHOA | {"args": lambda w: {"pk": _meeting(w).pk}}

CASES = [
    # Without ?org= the month shows the user's highest node, so everyone signed in gets a page.
    ScopeCase("scheduling:month", allowed=SIGNED_IN),
    ScopeCase("scheduling:month", label="An Hòa", allowed=ANHOA_VISIBLE, query=lambda w: {"org": w.anhoa.pk}),
    ScopeCase("scheduling:month", label="ward", allowed=WARD_VISIBLE, query=lambda w: {"org": w.ward.pk}),
    ScopeCase("scheduling:plan", allowed=_PLANNERS, forbidden=SIGNED_IN - _PLANNERS),
    ScopeCase("scheduling:plan", label="An Hòa", query=lambda w: {"org": w.anhoa.pk}, **_CHANGE_ANHOA),
    ScopeCase("scheduling:generate", method="POST", query=lambda w: {"org": w.anhoa.pk}, **_CHANGE_ANHOA),
    ScopeCase("scheduling:reschedule", **_ANHOA_MEETING),
    ScopeCase("scheduling:cancel", **_ANHOA_MEETING),
    ScopeCase("scheduling:guests", **_ANHOA_MEETING),
    ScopeCase("scheduling:guest_remove", method="POST", args=_guest, **_CHANGE_ANHOA),
    ScopeCase("scheduling:feed_settings", allowed=SIGNED_IN),
    # The feed is opened by calendar apps without signing in: the secret token is the key.
    ScopeCase("scheduling:feed", allowed=EVERYONE, args=_token),
    # API: the calendar is filtered by scope; naming a node outside it is 404.
    ScopeCase("GET /api/v1/calendar", allowed=SIGNED_IN),
    ScopeCase("GET /api/v1/calendar", label="An Hòa", allowed=ANHOA_VISIBLE, query=lambda w: {"org": w.anhoa.pk}),
]
