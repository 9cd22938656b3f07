"""Who may use the supervision pages and API (the scope matrix, chibo/core/scope_matrix.py).

A committee's pages (coverage, assignments, rota) answer whoever sees the committee (the ward's officers, the
viewer, those above); changes need Perm.SUPERVISE (officers), the viewer gets 403. The remark actions follow
the meeting: its readers flag their own remark (the service then refuses who is not attending), those who
run it answer. A persona with no committee in sight gets 404 on the pages without `?org=`.
"""

from datetime import date
from typing import Any

from chibo.meetings import services as meetings
from chibo.meetings.models import SupervisorRemark
from chibo.meetings.tests.scope_cases import _opened
from chibo.supervision import services
from chibo.supervision.models import Assignment
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_OFFICERS, ANHOA_VISIBLE, WARD_VISIBLE, ScopeCase

WITH_A_COMMITTEE = WARD_VISIBLE | {"outsider"}
READERS_ONLY = ANHOA_VISIBLE - ANHOA_EDITORS


def _ward(w: World) -> dict[str, Any]:
    return {"org": w.ward.pk}


def _assignment(w: World) -> Assignment:
    return services.assignment_create(
        actor=None, committee=w.ward, cadre=w.viewer, cell=w.anhoa, title="Đảng ủy viên", valid_from=date(2021, 1, 1)
    )


def _plan(w: World) -> dict[str, Any]:
    _assignment(w)
    plan = services.rota_propose(actor=None, committee=w.ward, starts_on=date(2021, 4, 1))
    return {"pk": plan.pk}


def _visit(w: World) -> dict[str, Any]:
    _assignment(w)
    plan = services.rota_propose(actor=None, committee=w.ward, starts_on=date(2021, 4, 1))
    return {"pk": plan.visits.first().pk}  # type: ignore[union-attr]


def _remark(w: World) -> SupervisorRemark:
    meeting = _opened(w)
    meetings.guest_add(actor=w.supervisor, meeting=meeting, user=w.supervisor, is_supervisor=True)
    return services.remark_record(actor=w.supervisor, meeting=meeting, text="Đề nghị báo cáo.", asks_action=True)


CASES = [
    ScopeCase("supervision:coverage", allowed=WITH_A_COMMITTEE),
    ScopeCase("supervision:coverage", allowed=WARD_VISIBLE, query=_ward, label="org"),
    ScopeCase("supervision:assignments", allowed=WARD_VISIBLE, query=_ward),
    ScopeCase(
        "supervision:assignment_end",
        allowed=ANHOA_OFFICERS,
        forbidden={"viewer"},
        args=lambda w: {"pk": _assignment(w).pk},
        method="POST",
    ),
    ScopeCase("supervision:rota_list", allowed=WARD_VISIBLE, query=_ward),
    ScopeCase("supervision:rota", allowed=WARD_VISIBLE, args=_plan),
    ScopeCase("supervision:rota_accept", allowed=ANHOA_OFFICERS, forbidden={"viewer"}, args=_plan, method="POST"),
    ScopeCase(
        "supervision:rota_visit_remove", allowed=ANHOA_OFFICERS, forbidden={"viewer"}, args=_visit, method="POST"
    ),
    ScopeCase("supervision:remark_flag", allowed=ANHOA_VISIBLE, args=lambda w: {"pk": _opened(w).pk}, method="POST"),
    ScopeCase(
        "supervision:remark_answer",
        allowed=ANHOA_EDITORS,
        forbidden=READERS_ONLY,
        args=lambda w: {"pk": _remark(w).pk},
        method="POST",
    ),
    # API
    ScopeCase("GET /api/v1/supervision/assignments", allowed=WARD_VISIBLE, query=_ward),
    ScopeCase("POST /api/v1/supervision/assignments", allowed=ANHOA_OFFICERS, forbidden={"viewer"}, query=_ward),
    ScopeCase(
        "POST /api/v1/supervision/assignments/{assignment_id}/end",
        allowed=ANHOA_OFFICERS,
        forbidden={"viewer"},
        args=lambda w: {"assignment_id": _assignment(w).pk},
    ),
    ScopeCase("GET /api/v1/supervision/coverage", allowed=WARD_VISIBLE, query=_ward),
    ScopeCase(
        "GET /api/v1/supervision/meetings/{meeting_id}/remarks",
        allowed=ANHOA_VISIBLE,
        args=lambda w: {"meeting_id": _opened(w).pk},
    ),
    ScopeCase(
        "POST /api/v1/supervision/meetings/{meeting_id}/remarks",
        allowed=ANHOA_VISIBLE,
        args=lambda w: {"meeting_id": _opened(w).pk},
    ),
    ScopeCase(
        "POST /api/v1/supervision/remarks/{remark_id}/reply",
        allowed=ANHOA_EDITORS,
        forbidden=READERS_ONLY,
        args=lambda w: {"remark_id": _remark(w).pk},
    ),
]
