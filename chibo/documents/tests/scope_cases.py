"""Who may use the minutes and resolution pages and API (the scope matrix, chibo/testing/scope_matrix.py).

Readers (Perm.ATTEND_MEETINGS on An Hòa) see, download and print; those who run its meetings
(Perm.RUN_MEETINGS) compose, edit and amend, the other readers get 403 there. Signing is open to readers:
the service refuses anyone but the signer the document names, with a message.
"""

from datetime import time
from typing import Any

from chibo.core.dates import today
from chibo.documents import services
from chibo.documents.models import MeetingDocument
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance, Meeting
from chibo.rules.selectors import ruleset_for
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_VISIBLE, ScopeCase

_READERS_ONLY = ANHOA_VISIBLE - ANHOA_EDITORS


def _closed_meeting(w: World) -> Meeting:
    """Today's meeting of An Hòa, everyone present, the resolution voted, closed."""
    day = today()
    meeting = Meeting.objects.create(
        org=w.anhoa,
        kind=Meeting.Kind.EXTRAORDINARY,
        scheduled_date=day,
        scheduled_time=time(0, 0),
        ruleset=ruleset_for(w.anhoa, day),
        draft_resolution="Thu đảng phí đúng hạn.",
    )
    meeting = meeting_services.meeting_open(
        actor=None, meeting=meeting, chair=w.anhoa_secretary.member, recorder=w.member_of_anhoa
    )
    for row in meeting.attendances.select_related("member"):
        meeting_services.attendance_record(
            actor=None, meeting=meeting, member=row.member, status=Attendance.Status.PRESENT
        )
    voters = meeting.attendances.filter(is_official=True).count()
    meeting_services.vote_record(actor=None, meeting=meeting, votes_for=voters, votes_against=0, votes_abstain=0)
    return meeting_services.meeting_close(actor=None, meeting=meeting)


def _minutes(w: World) -> MeetingDocument:
    return services.document_compose(actor=None, meeting=_closed_meeting(w), kind=MeetingDocument.Kind.MINUTES)


def _meeting(w: World) -> dict[str, Any]:
    return {"meeting_pk": _closed_meeting(w).pk}


def _compose(w: World) -> dict[str, Any]:
    return {"meeting_pk": _closed_meeting(w).pk, "kind": MeetingDocument.Kind.MINUTES}


def _document(w: World) -> dict[str, Any]:
    return {"pk": _minutes(w).pk}


def _locked(w: World) -> dict[str, Any]:
    document = _minutes(w)
    services.document_sign(actor=w.anhoa_secretary, document=document, role="chair")
    services.document_sign(actor=w.anhoa_member, document=document, role="recorder")
    return {"pk": document.pk}


def _book(w: World) -> dict[str, Any]:
    _minutes(w)
    return {"org_pk": w.anhoa.pk, "year": today().year}


def _api_minutes(w: World) -> dict[str, Any]:
    return {"meeting_id": _minutes(w).meeting_id}


def _api_resolution(w: World) -> dict[str, Any]:
    meeting = _closed_meeting(w)
    services.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.RESOLUTION)
    return {"meeting_id": meeting.pk}


_EDIT = {"allowed": ANHOA_EDITORS, "forbidden": _READERS_ONLY}

CASES = [
    ScopeCase("documents:meeting", allowed=ANHOA_VISIBLE, args=_meeting),
    ScopeCase("documents:compose", method="POST", args=_compose, **_EDIT),
    ScopeCase("documents:detail", allowed=ANHOA_VISIBLE, args=_document),
    ScopeCase("documents:edit", args=_document, **_EDIT),
    ScopeCase("documents:sign", method="POST", allowed=ANHOA_VISIBLE, args=_document),
    ScopeCase("documents:unsign", method="POST", allowed=ANHOA_VISIBLE, args=_document),
    ScopeCase("documents:amend", args=_locked, **_EDIT),
    ScopeCase("documents:docx", allowed=ANHOA_VISIBLE, args=_document),
    ScopeCase("documents:print", allowed=ANHOA_VISIBLE, args=_document),
    ScopeCase("documents:book", allowed=ANHOA_VISIBLE, args=_book),
    ScopeCase("documents:book_docx", allowed=ANHOA_VISIBLE, args=_book),
    ScopeCase("documents:book_print", allowed=ANHOA_VISIBLE, args=_book),
    # API
    ScopeCase("GET /api/v1/meetings/{meeting_id}/minutes.docx", allowed=ANHOA_VISIBLE, args=_api_minutes),
    ScopeCase("GET /api/v1/meetings/{meeting_id}/resolution.docx", allowed=ANHOA_VISIBLE, args=_api_resolution),
]
