"""Who may use the household pages and API (the scope matrix, chibo/testing/scope_matrix.py).

The cell committee and the levels above (those who list An Hòa's members) see its households; the plain
member of An Hòa sees the household in their charge; managing needs EDIT_MEMBERS (others who see: 403).
"""

from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_ROLL, SIGNED_IN, ScopeCase

IN_CHARGE = ANHOA_ROLL | {"anhoa_member"}
HEAD = "Lê Văn Chủ Hộ"


def household(w):  # type: ignore[no-untyped-def]
    """An Hòa's area and one household, in the charge of An Hòa's plain member."""
    from datetime import date

    from chibo.households import services
    from chibo.households.models import Household

    found = Household.objects.filter(cell=w.anhoa, head_name=HEAD).first()
    if found is not None:
        return found
    services.area_set(actor=None, cell=w.anhoa, ward="Phường Bình Thạnh", hamlets=["An Hòa"])
    created = services.household_create(actor=None, cell=w.anhoa, head_name=HEAD, hamlet="An Hòa", people=4)
    services.assignment_set(actor=None, household=created, member=w.member_of_anhoa, day=date(2025, 1, 1))
    return created


def _pk(w):  # type: ignore[no-untyped-def]
    return {"pk": household(w).pk}


def _household_id(w):  # type: ignore[no-untyped-def]
    return {"household_id": household(w).pk}


def _event(w):  # type: ignore[no-untyped-def]
    from datetime import date

    from chibo.households import services

    event = services.event_record(
        actor=None,
        household=household(w),
        kind="arrival",
        occurred_on=date(2025, 1, 2),
        arrived_from="TP. Hồ Chí Minh",
        arrived_on=date(2025, 1, 2),
        follow_up_on=date(2025, 1, 16),
    )
    return {"pk": event.pk}


def _plan(w):  # type: ignore[no-untyped-def]
    from chibo.households import services

    household(w)
    plan = services.plan_propose(actor=None, cell=w.anhoa, min_load=0, max_load=5)
    return {"pk": plan.pk}


def _anhoa(w):  # type: ignore[no-untyped-def]
    household(w)
    return {"org": w.anhoa.pk}


def _nothing_but_the_household(w):  # type: ignore[no-untyped-def]
    household(w)
    return {}


def _head(w):  # type: ignore[no-untyped-def]
    household(w)
    return HEAD


_MANAGE = {"allowed": ANHOA_EDITORS, "forbidden": ANHOA_ROLL - ANHOA_EDITORS, "query": _anhoa}
_MANAGE_HOUSEHOLD = {"allowed": ANHOA_EDITORS, "forbidden": IN_CHARGE - ANHOA_EDITORS, "args": _pk}
_LOG = {"allowed": ANHOA_EDITORS | {"anhoa_member"}, "forbidden": {"viewer"}}

CASES = [
    # Everyone gets the list, filtered: the household shows to An Hòa's readers and the member in charge.
    ScopeCase("households:list", allowed=SIGNED_IN, query=_nothing_but_the_household, shows=_head, seen_by=IN_CHARGE),
    ScopeCase("households:list", label="An Hòa", allowed=ANHOA_ROLL, query=_anhoa),
    ScopeCase("households:detail", allowed=IN_CHARGE, args=_pk),
    ScopeCase("households:edit", **_MANAGE_HOUSEHOLD),
    ScopeCase("households:assign", method="POST", **_MANAGE_HOUSEHOLD),
    ScopeCase("households:event_add", args=_pk, **_LOG),
    ScopeCase("households:event_notified", method="POST", args=_event, **_LOG),
    ScopeCase("households:event_done", method="POST", args=_event, **_LOG),
    ScopeCase("households:create", **_MANAGE),
    ScopeCase("households:area", **_MANAGE),
    ScopeCase("households:homes", **_MANAGE),
    ScopeCase("households:plan_new", **_MANAGE),
    ScopeCase("households:plan", allowed=ANHOA_EDITORS, forbidden={"viewer"}, args=_plan),
    ScopeCase("households:plan_apply", method="POST", allowed=ANHOA_EDITORS, forbidden={"viewer"}, args=_plan),
    ScopeCase("households:map", allowed=SIGNED_IN, query=_nothing_but_the_household),
    ScopeCase("households:map", label="An Hòa", allowed=ANHOA_ROLL, query=_anhoa),
    ScopeCase("households:import", **_MANAGE),
    ScopeCase("households:template", **_MANAGE),
    ScopeCase("households:export", allowed=ANHOA_ROLL, query=_anhoa),
    ScopeCase("households:health", allowed=ANHOA_ROLL, query=_anhoa),
    ScopeCase("households:health_export", allowed=ANHOA_ROLL, query=_anhoa),
    # The API, scoped like the pages.
    ScopeCase(
        "GET /api/v1/households",
        allowed=SIGNED_IN,
        query=_nothing_but_the_household,
        shows=_head,
        seen_by=IN_CHARGE,
    ),
    ScopeCase("GET /api/v1/households/events", allowed=SIGNED_IN),
    ScopeCase("GET /api/v1/households/{household_id}", allowed=IN_CHARGE, args=_household_id),
    ScopeCase("GET /api/v1/households/{household_id}/assignments", allowed=IN_CHARGE, args=_household_id),
    ScopeCase(
        "POST /api/v1/households/{household_id}/assignments",
        allowed=ANHOA_EDITORS,
        forbidden=IN_CHARGE - ANHOA_EDITORS,
        args=_household_id,
    ),
    ScopeCase("GET /api/v1/households/{household_id}/events", allowed=IN_CHARGE, args=_household_id),
    # An empty event is refused (422) for whoever may log it; the viewer reaches the household but is refused.
    ScopeCase("POST /api/v1/households/{household_id}/events", allowed=IN_CHARGE, args=_household_id),
    ScopeCase(
        "POST /api/v1/households/cells/{cell_id}/plans",
        allowed=ANHOA_EDITORS,
        forbidden=ANHOA_ROLL - ANHOA_EDITORS,
        args=lambda w: {"cell_id": (household(w), w.anhoa.pk)[1]},
    ),
    ScopeCase(
        "GET /api/v1/households/plans/{plan_id}",
        allowed=ANHOA_EDITORS,
        forbidden={"viewer"},
        args=lambda w: {"plan_id": _plan(w)["pk"]},
    ),
]
