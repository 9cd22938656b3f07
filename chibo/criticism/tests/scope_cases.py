"""Who may see criticism records: the cell committee and above (Perm.SEE_SENSITIVE) only. A plain member,
the viewer and the supervisor get 404 everywhere, even the list; a committee elsewhere 404 on An Hòa's."""

from typing import Any

from chibo.criticism import services
from chibo.criticism.models import CriticismRecord
from chibo.tasks.tests.builders import hold, months_ago
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ScopeCase

# Everyone holding Perm.SEE_SENSITIVE somewhere (the world's officers and both cell committees).
SENSITIVE_SOMEWHERE = frozenset(
    {"admin", "town_officer", "ward_officer", "anhoa_secretary", "other_cell_secretary", "outsider"}
)


def _record(w: World) -> CriticismRecord:
    meeting = hold(w.anhoa, months_ago(2))
    return services.criticism_record(
        actor=None,
        meeting=meeting,
        member=w.member_of_anhoa,
        kind=CriticismRecord.Kind.SELF_CRITICISM,
        content="Chưa tham gia đủ các buổi sinh hoạt",
        commitment="Dự đủ các buổi sinh hoạt",
    )


def meeting(w: World) -> dict[str, Any]:
    return {"pk": hold(w.anhoa, months_ago(1)).pk}


def record(w: World) -> dict[str, Any]:
    return {"pk": _record(w).pk}


def with_record(w: World) -> dict[str, Any]:
    _record(w)
    return {}


def _criticised(w: World) -> str:
    return w.member_of_anhoa.full_name


CASES = [
    # The lists: a record about An Hòa's plain member is seen by An Hòa's committee and the officers above only.
    ScopeCase(
        "criticism:list", allowed=SENSITIVE_SOMEWHERE, args=with_record, shows=_criticised, seen_by=ANHOA_EDITORS
    ),
    ScopeCase("criticism:list", allowed=ANHOA_EDITORS, query=lambda w: {"org": w.anhoa.pk}, label="org"),
    ScopeCase("criticism:create", allowed=ANHOA_EDITORS, args=meeting),
    ScopeCase("criticism:detail", allowed=ANHOA_EDITORS, args=record),
    ScopeCase("criticism:follow_up", allowed=ANHOA_EDITORS, args=record, method="POST"),
    ScopeCase(
        "GET /api/v1/criticism", allowed=SENSITIVE_SOMEWHERE, args=with_record, shows=_criticised, seen_by=ANHOA_EDITORS
    ),
    ScopeCase("GET /api/v1/criticism", allowed=ANHOA_EDITORS, query=lambda w: {"org": w.anhoa.pk}, label="org"),
    ScopeCase(
        "POST /api/v1/criticism/meetings/{meeting_id}",
        allowed=ANHOA_EDITORS,
        args=lambda w: {"meeting_id": meeting(w)["pk"]},
    ),
    ScopeCase("GET /api/v1/criticism/{record_id}", allowed=ANHOA_EDITORS, args=lambda w: {"record_id": _record(w).pk}),
    ScopeCase(
        "POST /api/v1/criticism/{record_id}/follow-ups",
        allowed=ANHOA_EDITORS,
        args=lambda w: {"record_id": _record(w).pk},
    ),
]
