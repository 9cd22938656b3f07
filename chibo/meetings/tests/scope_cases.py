"""Who may use the meeting pages and API (the scope matrix, chibo/testing/scope_matrix.py).

Readers of An Hòa's meetings (Perm.ATTEND_MEETINGS: officers above, the secretary, the viewer, the member,
the supervisor) see them and may ask to speak, check in and leave a remark (the services then refuse
who does not fit, with a message); those who run its meetings (Perm.RUN_MEETINGS: officers and the
secretary) record and change them, the other readers get 403 there. Everyone else: 404.
"""

from datetime import time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.core.dates import today
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting
from chibo.rules.selectors import ruleset_for
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_VISIBLE, SIGNED_IN, WARD_VISIBLE, ScopeCase

RUNNERS = ANHOA_EDITORS
READERS_ONLY = ANHOA_VISIBLE - ANHOA_EDITORS


def _planned(w: World) -> Meeting:
    """Today's (extraordinary, so never clashing with a regular one) meeting of An Hòa, with an agenda."""
    day = today()
    meeting = Meeting.objects.create(
        org=w.anhoa,
        kind=Meeting.Kind.EXTRAORDINARY,
        scheduled_date=day,
        scheduled_time=time(0, 0),
        ruleset=ruleset_for(w.anhoa, day),
    )
    services.agenda_from_template(actor=None, meeting=meeting)
    return meeting


def _opened(w: World) -> Meeting:
    """The same, opened, everyone present, one member on the list of speakers."""
    meeting = services.meeting_open(
        actor=None, meeting=_planned(w), chair=w.anhoa_secretary.member, recorder=w.member_of_anhoa
    )
    for row in meeting.attendances.select_related("member"):
        services.attendance_record(actor=None, meeting=meeting, member=row.member, status=Attendance.Status.PRESENT)
    services.speaker_add(actor=None, meeting=meeting, member=w.member_of_anhoa)
    services.guest_add(actor=None, meeting=meeting, name="Nguyễn Văn Khách", role="Trưởng ấp")
    return meeting


def planned(w: World) -> dict[str, Any]:
    return {"pk": _planned(w).pk}


def opened(w: World) -> dict[str, Any]:
    return {"pk": _opened(w).pk}


def with_item(w: World) -> dict[str, Any]:
    m = _planned(w)
    return {"pk": m.pk, "item_pk": m.agenda_items.order_by("position").first().pk}  # type: ignore[union-attr]


def with_attachment(w: World) -> dict[str, Any]:
    m = _planned(w)
    a = services.attachment_add(actor=None, meeting=m, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    return {"pk": m.pk, "attachment_pk": a.pk}


def with_member(w: World) -> dict[str, Any]:
    return {"pk": _opened(w).pk, "member_pk": w.member_of_anhoa.pk}


def with_guest(w: World) -> dict[str, Any]:
    m = _opened(w)
    return {"pk": m.pk, "guest_pk": m.guests.get().pk}


def with_turn(w: World) -> dict[str, Any]:
    m = _opened(w)
    return {"pk": m.pk, "turn_pk": m.turns.get().pk}


def api_meeting(w: World) -> dict[str, Any]:
    return {"meeting_id": _opened(w).pk}


def api_planned(w: World) -> dict[str, Any]:
    return {"meeting_id": _planned(w).pk}


def api_member(w: World) -> dict[str, Any]:
    return {"meeting_id": _opened(w).pk, "member_id": w.member_of_anhoa.pk}


def api_turn(w: World) -> dict[str, Any]:
    m = _opened(w)
    return {"meeting_id": m.pk, "turn_id": m.turns.get().pk}


def _run(target: str, args: Any, method: str = "POST") -> ScopeCase:
    return ScopeCase(target, allowed=RUNNERS, forbidden=READERS_ONLY, args=args, method=method)


def _read(target: str, args: Any, method: str = "GET") -> ScopeCase:
    return ScopeCase(target, allowed=ANHOA_VISIBLE, args=args, method=method)


CASES = [
    ScopeCase("meetings:list", allowed=SIGNED_IN),
    ScopeCase("meetings:list", allowed=ANHOA_VISIBLE, query=lambda w: {"org": w.anhoa.pk}, label="org"),
    ScopeCase("meetings:readiness", allowed=SIGNED_IN),
    ScopeCase("meetings:readiness", allowed=WARD_VISIBLE, query=lambda w: {"org": w.ward.pk}, label="org"),
    _read("meetings:detail", planned),
    _read("meetings:attachment", with_attachment),
    _run("meetings:prepare", planned, method="GET"),
    _run("meetings:agenda_template", planned),
    _run("meetings:agenda_add", planned),
    _run("meetings:agenda_item", with_item),
    _run("meetings:agenda_move", with_item),
    _run("meetings:agenda_delete", with_item),
    _run("meetings:draft_save", planned),
    _run("meetings:attachment_add", planned),
    _run("meetings:attachment_delete", with_attachment),
    _read("meetings:live", opened),
    _read("meetings:live_panel", opened),
    _read("meetings:live_speakers", opened),
    _run("meetings:open", planned),
    _run("meetings:officers", opened),
    _run("meetings:attendance", with_member),
    _run("meetings:attendance_all", opened),
    _run("meetings:guest_add", opened),
    _run("meetings:guest_remove", with_guest),
    _read("meetings:checkin", opened, method="POST"),
    _run("meetings:agenda_advance", opened),
    _run("meetings:speaker_add", opened),
    _read("meetings:speaker_request", opened, method="POST"),
    _run("meetings:turn_save", with_turn),
    _run("meetings:turn_start", with_turn),
    _run("meetings:turn_finish", with_turn),
    _run("meetings:turn_withdraw", with_turn),
    _run("meetings:vote", opened),
    _read("meetings:remark", opened, method="POST"),
    _run("meetings:close", opened),
    # API
    ScopeCase("GET /api/v1/meetings", allowed=SIGNED_IN),
    ScopeCase("GET /api/v1/meetings", allowed=ANHOA_VISIBLE, query=lambda w: {"org": w.anhoa.pk}, label="org"),
    _read("GET /api/v1/meetings/{meeting_id}", api_meeting),
    _run("POST /api/v1/meetings/{meeting_id}/open", api_planned),
    _run("POST /api/v1/meetings/{meeting_id}/close", api_meeting),
    _read("GET /api/v1/meetings/{meeting_id}/attendance", api_meeting),
    _run("PUT /api/v1/meetings/{meeting_id}/attendance/{member_id}", api_member),
    _read("GET /api/v1/meetings/{meeting_id}/speakers", api_meeting),
    _run("POST /api/v1/meetings/{meeting_id}/speakers", api_meeting),
    _read("POST /api/v1/meetings/{meeting_id}/speakers/request", api_meeting),
    _run("POST /api/v1/meetings/{meeting_id}/speakers/{turn_id}/start", api_turn),
    _run("POST /api/v1/meetings/{meeting_id}/speakers/{turn_id}/finish", api_turn),
    _run("PATCH /api/v1/meetings/{meeting_id}/speakers/{turn_id}", api_turn),
    _read("GET /api/v1/meetings/{meeting_id}/votes", api_meeting),
    _run("POST /api/v1/meetings/{meeting_id}/votes", api_meeting),
]
