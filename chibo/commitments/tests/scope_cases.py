"""Who may use the commitment pages and API: the member their own; the roll's readers (officers, the
secretary, the viewer) see An Hòa's; the cell committee and officers register for members and review.
Those who see but may not act get 403; everyone else 404."""

from typing import Any

from chibo.commitments import services
from chibo.commitments.models import Commitment
from chibo.core.dates import today
from chibo.testing.factories import World
from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_ROLL, SIGNED_IN, ScopeCase

OWN = ANHOA_ROLL | {"anhoa_member"}  # see the plain member's commitments
NOTERS = ANHOA_EDITORS | {"anhoa_member"}


def _commitment(w: World) -> Commitment:
    return services.commitment_register(
        actor=None, member=w.member_of_anhoa, year=today().year, content="Giữ gìn vệ sinh khu phố"
    )


def commitment(w: World) -> dict[str, Any]:
    return {"pk": _commitment(w).pk}


def api_commitment(w: World) -> dict[str, Any]:
    return {"commitment_id": _commitment(w).pk}


def registered(w: World) -> dict[str, Any]:
    _commitment(w)
    return {}


def _text(w: World) -> str:
    return "Giữ gìn vệ sinh khu phố"


CASES = [
    ScopeCase("commitments:mine", allowed=SIGNED_IN, args=registered, shows=_text, seen_by={"anhoa_member"}),
    ScopeCase("commitments:detail", allowed=OWN, args=commitment),
    ScopeCase("commitments:note", allowed=NOTERS, forbidden={"viewer"}, args=commitment, method="POST"),
    ScopeCase(
        "commitments:review",
        allowed=ANHOA_EDITORS,
        forbidden={"viewer", "anhoa_member"},
        args=commitment,
        method="POST",
    ),  # fmt: skip
    ScopeCase(
        "commitments:register", allowed=NOTERS, forbidden={"viewer"}, args=lambda w: {"pk": w.member_of_anhoa.pk}
    ),
    ScopeCase("commitments:summary", allowed=ANHOA_ROLL, args=lambda w: {"org_pk": w.anhoa.pk}),
    ScopeCase("GET /api/v1/commitments", allowed=SIGNED_IN, args=registered, shows=_text, seen_by=OWN),
    ScopeCase(
        "POST /api/v1/commitments/members/{member_id}",
        allowed=NOTERS,
        forbidden={"viewer"},
        args=lambda w: {"member_id": w.member_of_anhoa.pk},
    ),
    ScopeCase(
        "GET /api/v1/commitments/cells/{org_id}/summary", allowed=ANHOA_ROLL, args=lambda w: {"org_id": w.anhoa.pk}
    ),
    ScopeCase("GET /api/v1/commitments/{commitment_id}", allowed=OWN, args=api_commitment),
    ScopeCase(
        "POST /api/v1/commitments/{commitment_id}/notes", allowed=NOTERS, forbidden={"viewer"}, args=api_commitment
    ),
    ScopeCase(
        "PUT /api/v1/commitments/{commitment_id}/review",
        allowed=ANHOA_EDITORS,
        forbidden={"viewer", "anhoa_member"},
        args=api_commitment,
    ),
]
