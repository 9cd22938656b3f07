"""Who may use the directives pages and API (the scope matrix, chibo/core/scope_matrix.py).

The ward's register answers whoever sees the ward; registering needs Perm.SUPERVISE (the viewer gets 403).
A directive to the ward is read by whoever sees the ward or one of the cells it reaches (An Hòa's and Bình
Hòa's people), not by the other ward's officer. A dissemination is recorded by those who run the meeting.
"""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.directives import services
from chibo.directives.models import Directive
from chibo.meetings.tests.scope_cases import _opened
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_OFFICERS, ANHOA_VISIBLE, SIGNED_IN, WARD_VISIBLE, ScopeCase

READERS_ONLY = ANHOA_VISIBLE - ANHOA_EDITORS
REACHED = SIGNED_IN - {"outsider"}


def _directive(w: World, upload: bool = False) -> Directive:
    return services.directive_register(
        actor=None,
        target=w.ward,
        number="01-CT/TW",
        issued_on=date(2021, 3, 9),
        issuer="Bộ Chính trị",
        summary="Tổ chức học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
        deadline=date(2021, 6, 30),
        upload=SimpleUploadedFile("ct01.pdf", b"%PDF-1.4 ct01") if upload else None,
    )


def _ward(w: World) -> dict[str, Any]:
    return {"org": w.ward.pk}


CASES = [
    ScopeCase("directives:list", allowed=WARD_VISIBLE, query=_ward),
    ScopeCase("directives:detail", allowed=REACHED, args=lambda w: {"pk": _directive(w).pk}),
    ScopeCase("directives:file", allowed=REACHED, args=lambda w: {"pk": _directive(w, upload=True).pk}),
    ScopeCase(
        "directives:disseminate",
        allowed=ANHOA_EDITORS,
        forbidden=READERS_ONLY,
        args=lambda w: {"pk": _opened(w).pk},
        method="POST",
    ),
    # API
    ScopeCase("GET /api/v1/directives", allowed=WARD_VISIBLE, query=_ward),
    ScopeCase("POST /api/v1/directives", allowed=ANHOA_OFFICERS, forbidden={"viewer"}, query=_ward),
    ScopeCase(
        "GET /api/v1/directives/{directive_id}/compliance",
        allowed=REACHED,
        args=lambda w: {"directive_id": _directive(w).pk},
    ),
    ScopeCase(
        "POST /api/v1/directives/meetings/{meeting_id}/disseminations",
        allowed=ANHOA_EDITORS,
        forbidden=READERS_ONLY,
        args=lambda w: {"meeting_id": _opened(w).pk},
    ),
]
