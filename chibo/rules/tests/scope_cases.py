"""Who may use the rule-set pages and API (the scope matrix, chibo/testing/scope_matrix.py)."""

from chibo.testing.scope_matrix import ANHOA_OFFICERS, ANHOA_VISIBLE, WARD_VISIBLE, ScopeCase

# Officers of a node edit its rules; those who only see the node get 403, everyone else 404.
_WARD = {"allowed": ANHOA_OFFICERS, "forbidden": WARD_VISIBLE - ANHOA_OFFICERS, "args": lambda w: {"org_pk": w.ward.pk}}
_ANHOA = {
    "allowed": ANHOA_OFFICERS,
    "forbidden": ANHOA_VISIBLE - ANHOA_OFFICERS,
    "args": lambda w: {"org_pk": w.anhoa.pk},
    "label": "An Hòa",
}

CASES = [
    # Anyone who sees a node reads its rules (read-only for those who may not edit them).
    ScopeCase("rules:org", allowed=WARD_VISIBLE, args=lambda w: {"org_pk": w.ward.pk}),
    ScopeCase("rules:org", allowed=ANHOA_VISIBLE, args=lambda w: {"org_pk": w.anhoa.pk}, label="An Hòa"),
    ScopeCase("rules:create", **_WARD),
    ScopeCase("rules:create", **_ANHOA),
    ScopeCase("rules:create", method="POST", **(_WARD | {"label": "POST"})),
    # Anyone who sees a node may read the rules it meets under.
    ScopeCase("GET /api/v1/rules/in-force", allowed=ANHOA_VISIBLE, query=lambda w: {"org": w.anhoa.pk}),
]
