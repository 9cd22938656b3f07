"""Member pages: list (scoped, searchable, in Vietnamese name order) and the member's record."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chibo.accounts.scope import Perm, can_see_sensitive, get_member_for_user, get_org_for_user, members_with
from chibo.core.pagination import paginate
from chibo.members.models import Member
from chibo.members.selectors import in_name_order


def _filtered_members(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The list behind the page and its Excel export: scope, then the filters in the query string."""
    qs = members_with(request.user, Perm.LIST_MEMBERS).current()
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.LIST_MEMBERS)  # type: ignore[arg-type]
        qs = qs.filter(org__path__startswith=org.path)
    if request.GET.get("q"):
        qs = qs.search(request.GET["q"])
    if request.GET.get("status") in Member.Status.values:
        qs = qs.filter(status=request.GET["status"])
    return in_name_order(qs.select_related("org")), org


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    qs, org = _filtered_members(request)
    return render(
        request,
        "members/list.html",
        {"page": paginate(request, qs), "org": org, "q": request.GET.get("q", ""), "statuses": Member.Status.choices},
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk)
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "sensitive": can_see_sensitive(request.user, member),  # type: ignore[arg-type]
            "memberships": member.memberships.select_related("org").order_by("-started_on"),
            "positions": member.positions.select_related("org").order_by("-started_on"),
            "exemptions": member.exemptions.order_by("-started_on"),
        },
    )
