from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chibo.accounts.models import RoleGrant
from chibo.accounts.scope import Perm, orgs_with, roles_of
from chibo.core.home import sections_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The starting page: what needs the person now (the apps' sections), then their roles."""
    grants = RoleGrant.objects.filter(user_id=request.user.pk or 0).select_related("org").order_by("org__path")
    return render(
        request,
        "core/home.html",
        {
            "sections": sections_for(request.user),
            "grants": grants,
            "roles": roles_of(request.user),
            "can_list_members": orgs_with(request.user, Perm.LIST_MEMBERS).exists(),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
