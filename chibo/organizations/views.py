"""Pages of the organization tree: drill-down from the user's top nodes, node detail with history."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on, orgs_with
from chibo.core.dates import today
from chibo.core.pagination import paginate
from chibo.members.models import Member
from chibo.organizations.models import Organization, RestructuringEvent
from chibo.organizations.selectors import ancestors_on, children_on, version_on


def _as_of(request: HttpRequest) -> date:
    return parse_date(request.GET.get("as_of") or "") or today()


def _top_nodes(user, orgs):  # type: ignore[no-untyped-def]
    """The highest visible nodes: those whose parent the user cannot see."""
    visible = list(orgs.order_by("path").only("pk", "path", "depth", "name", "kind", "dissolved_on"))
    tops: list[Organization] = []
    for org in visible:
        if not any(org.path.startswith(t.path) for t in tops):
            tops.append(org)
    return tops


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The user's top nodes; each node's page drills down. `as_of` shows the tree on a past date."""
    as_of = _as_of(request)
    tops = _top_nodes(request.user, orgs_with(request.user, Perm.VIEW_ORG))
    rows = []
    for org in tops:
        version = version_on(org, as_of)
        if version is not None:
            rows.append({"org": org, "version": version, "children": children_on(org, as_of)})
    return render(request, "organizations/tree.html", {"rows": rows, "as_of": as_of})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, pk)
    as_of = _as_of(request)
    version = version_on(org, as_of)
    children = children_on(org, as_of) if version else []
    visible_ids = set(orgs_with(request.user).filter(pk__in=[c.org_id for c in children]).values_list("pk", flat=True))
    ancestors = [a for a in ancestors_on(org, as_of) if has_perm_on(request.user, a.org, Perm.VIEW_ORG)]
    events = paginate(
        request,
        RestructuringEvent.objects.filter(org=org).select_related("related_org").order_by("-effective_on", "-id"),
        per_page=20,
    )
    can_list = has_perm_on(request.user, org, Perm.LIST_MEMBERS)
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "version": version,
            "as_of": as_of,
            "children": [c for c in children if c.org_id in visible_ids],
            "ancestors": ancestors,
            "page": events,
            "versions": org.versions.select_related("parent").order_by("-valid_from")[:50],
            "member_count": Member.objects.current().filter(org__path__startswith=org.path).count()
            if can_list
            else None,
            "can_list_members": can_list,
            "can_edit": has_perm_on(request.user, org, Perm.EDIT_ORG),
        },
    )
