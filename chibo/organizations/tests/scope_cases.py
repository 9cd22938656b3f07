"""Who may use the organization tree's pages and API (the scope matrix, chibo/testing/scope_matrix.py)."""

from chibo.testing.scope_matrix import (
    ANHOA_OFFICERS,
    ANHOA_ROLL,
    ANHOA_VISIBLE,
    SIGNED_IN,
    WARD_VISIBLE,
    ScopeCase,
)


def _anhoa(w):  # type: ignore[no-untyped-def]
    return {"pk": w.anhoa.pk}


def _ward(w):  # type: ignore[no-untyped-def]
    return {"pk": w.ward.pk}


# Restructuring An Hòa is for the officers above it; those who only see it get 403, the rest 404.
_RESTRUCTURE = {"allowed": ANHOA_OFFICERS, "forbidden": ANHOA_VISIBLE - ANHOA_OFFICERS, "args": _anhoa}

CASES = [
    ScopeCase("organizations:tree", allowed=SIGNED_IN),
    ScopeCase("organizations:admin_units", allowed=SIGNED_IN),
    ScopeCase("organizations:detail", allowed=ANHOA_VISIBLE, args=_anhoa),
    ScopeCase(
        "organizations:detail",
        label="other ward",
        allowed=frozenset({"admin", "town_officer", "outsider"}),
        args=lambda w: {"pk": w.other_ward_cell.pk},
    ),
    ScopeCase(
        "organizations:create_child", allowed=ANHOA_OFFICERS, forbidden=WARD_VISIBLE - ANHOA_OFFICERS, args=_ward
    ),
    ScopeCase("organizations:rename", **_RESTRUCTURE),
    ScopeCase("organizations:move", **_RESTRUCTURE),
    ScopeCase("organizations:merge", **_RESTRUCTURE),
    ScopeCase("organizations:split", **_RESTRUCTURE),
    ScopeCase("organizations:dissolve", **_RESTRUCTURE),
    # API
    ScopeCase("GET /api/v1/orgs", allowed=SIGNED_IN, shows=lambda w: w.anhoa.name, seen_by=ANHOA_VISIBLE),
    ScopeCase("GET /api/v1/orgs/{org_id}", allowed=ANHOA_VISIBLE, args=lambda w: {"org_id": w.anhoa.pk}),
    ScopeCase(
        "GET /api/v1/orgs/{org_id}",
        label="other ward",
        allowed=frozenset({"admin", "town_officer", "outsider"}),
        args=lambda w: {"org_id": w.other_ward_cell.pk},
    ),
    ScopeCase("GET /api/v1/orgs/{org_id}/children", allowed=WARD_VISIBLE, args=lambda w: {"org_id": w.ward.pk}),
    ScopeCase("GET /api/v1/orgs/{org_id}/members", allowed=ANHOA_ROLL, args=lambda w: {"org_id": w.anhoa.pk}),
]
