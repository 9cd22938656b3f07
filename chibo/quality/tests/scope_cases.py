"""Who may see and act on a meeting's score (the scope matrix, chibo/core/scope_matrix.py): readers of An
Hòa's meetings see it; those who run its meetings adjust it and record the vote, other readers get 403;
confirming is open to readers (the service then accepts only the cadre who attended from above). A cell's
levels: whoever sees the cell. Everyone else: 404."""

from typing import Any

from chibo.quality.tests.conftest import closed_meeting
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_VISIBLE, ScopeCase

READERS_ONLY = ANHOA_VISIBLE - ANHOA_EDITORS


def closed(w: World) -> dict[str, Any]:
    return {"pk": closed_meeting(w).pk}


def api_closed(w: World) -> dict[str, Any]:
    return {"meeting_id": closed_meeting(w).pk}


CASES = [
    ScopeCase("quality:score", allowed=ANHOA_VISIBLE, args=closed),
    ScopeCase("quality:propose", allowed=ANHOA_EDITORS, forbidden=READERS_ONLY, args=closed, method="POST"),
    ScopeCase("quality:adjust", allowed=ANHOA_EDITORS, forbidden=READERS_ONLY, args=closed, method="POST"),
    ScopeCase("quality:vote", allowed=ANHOA_EDITORS, forbidden=READERS_ONLY, args=closed, method="POST"),
    ScopeCase("quality:confirm", allowed=ANHOA_VISIBLE, args=closed, method="POST"),
    ScopeCase("quality:cell", allowed=ANHOA_VISIBLE, args=lambda w: {"org_pk": w.anhoa.pk}),
    ScopeCase("GET /api/v1/meetings/{meeting_id}/score", allowed=ANHOA_VISIBLE, args=api_closed),
]
