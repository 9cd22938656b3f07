"""Who may read the dashboards and warnings (those who read the roll: they name members) and acknowledge a
warning (those who run the cell's meetings; the viewer sees it but may not: 403). Everyone else: 404."""

from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_ROLL, WARD_VISIBLE, ScopeCase


def _anhoa(w):  # type: ignore[no-untyped-def]
    return {"pk": w.anhoa.pk}


def _ward(w):  # type: ignore[no-untyped-def]
    return {"pk": w.ward.pk}


CASES = [
    ScopeCase("dashboards:org", allowed=ANHOA_ROLL, args=_anhoa),
    ScopeCase("dashboards:org", allowed=WARD_VISIBLE, args=_ward, label="ward"),
    ScopeCase("dashboards:export", allowed=ANHOA_ROLL, args=_anhoa),
    ScopeCase("dashboards:warnings", allowed=ANHOA_ROLL, args=_anhoa),
    ScopeCase("dashboards:acknowledge", allowed=ANHOA_EDITORS, forbidden={"viewer"}, args=_anhoa, method="POST"),
]
