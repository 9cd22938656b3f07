"""Who may use the review pages and API (the scope matrix, chibo.testing.scope_matrix.py)."""

from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_OFFICERS, ANHOA_ROLL, SIGNED_IN, ScopeCase

YEAR = 2025
OWN = ANHOA_ROLL | {"anhoa_member"}
# Who holds EDIT_MEMBERS or EDIT_ORG somewhere: may import past years' levels.
IMPORTERS = frozenset({"admin", "town_officer", "ward_officer", "anhoa_secretary", "other_cell_secretary", "outsider"})
# Who lists some members: may see a summary.
READERS = IMPORTERS | {"viewer"}
# Who lists the members of the whole ward.
WARD_ROLL = frozenset({"admin", "town_officer", "ward_officer", "viewer"})


def _cell_review(w):  # type: ignore[no-untyped-def]
    from chibo.reviews.services import review_start

    return review_start(actor=None, org=w.anhoa, year=YEAR)


def cell(w):  # type: ignore[no-untyped-def]
    return {"pk": _cell_review(w).pk}


def member(w):  # type: ignore[no-untyped-def]
    return {"pk": _cell_review(w).member_reviews.get(member=w.member_of_anhoa).pk}


def api_member(w):  # type: ignore[no-untyped-def]
    return {"review_id": member(w)["pk"]}


def _run(w):  # type: ignore[no-untyped-def]
    from chibo.reviews.runs import run_create

    return {"pk": run_create(actor=None, org=w.ward, year=YEAR).pk}


def _anhoa(w):  # type: ignore[no-untyped-def]
    return {"org": w.anhoa.pk}


CASES = [
    ScopeCase("reviews:index", allowed=SIGNED_IN),
    ScopeCase("reviews:start", allowed=ANHOA_EDITORS, method="POST", query=_anhoa, forbidden=frozenset()),
    ScopeCase("reviews:summary", allowed=READERS, forbidden=SIGNED_IN - READERS),
    ScopeCase("reviews:summary", label="An Hòa", allowed=ANHOA_ROLL, query=_anhoa),
    ScopeCase("reviews:summary_xlsx", allowed=ANHOA_ROLL, query=_anhoa),
    ScopeCase("reviews:import", allowed=IMPORTERS, forbidden=SIGNED_IN - IMPORTERS),
    ScopeCase("reviews:import_template", allowed=IMPORTERS, forbidden=SIGNED_IN - IMPORTERS),
    ScopeCase("reviews:cell", allowed=ANHOA_ROLL, args=cell),
    ScopeCase("reviews:minutes_docx", allowed=ANHOA_ROLL, args=cell),
    ScopeCase("reviews:meeting", allowed=ANHOA_EDITORS, forbidden={"viewer"}, method="POST", args=cell),
    ScopeCase("reviews:refresh", allowed=ANHOA_EDITORS, forbidden={"viewer"}, method="POST", args=cell),
    ScopeCase("reviews:send", allowed=ANHOA_EDITORS, forbidden={"viewer"}, method="POST", args=cell),
    ScopeCase("reviews:lock", allowed=ANHOA_OFFICERS, forbidden=ANHOA_ROLL - ANHOA_OFFICERS, method="POST", args=cell),
    ScopeCase("reviews:member", allowed=OWN, args=member),
    ScopeCase("reviews:self_docx", allowed=OWN, args=member),
    # Only the member fills in their own form; the committee reads it.
    ScopeCase("reviews:self", allowed={"anhoa_member"}, forbidden=ANHOA_ROLL, args=member),
    ScopeCase("reviews:appraise", allowed=ANHOA_EDITORS, forbidden=OWN - ANHOA_EDITORS, method="POST", args=member),
    ScopeCase("reviews:decide", allowed=ANHOA_OFFICERS, forbidden=OWN - ANHOA_OFFICERS, method="POST", args=member),
    ScopeCase("reviews:org", allowed=ANHOA_ROLL, args=lambda w: {"pk": w.anhoa.pk}),
    ScopeCase(
        "reviews:org_decide",
        allowed=ANHOA_OFFICERS,
        forbidden=ANHOA_ROLL - ANHOA_OFFICERS,
        method="POST",
        args=lambda w: {"pk": w.anhoa.pk},
    ),
    ScopeCase(
        "reviews:run_start",
        allowed=ANHOA_OFFICERS,
        forbidden=ANHOA_ROLL - ANHOA_OFFICERS,
        method="POST",
        args=lambda w: {"pk": w.anhoa.pk},
    ),
    ScopeCase("reviews:run", allowed=WARD_ROLL, args=_run),
    ScopeCase("GET /api/v1/reviews", allowed=SIGNED_IN),
    ScopeCase("GET /api/v1/reviews/organizations", allowed=SIGNED_IN),
    ScopeCase("GET /api/v1/reviews/{review_id}", allowed=OWN, args=api_member),
]
