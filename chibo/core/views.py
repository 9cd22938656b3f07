from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Settings' CSRF_FAILURE_VIEW: the refusal in the site's layout, with the way back to the page the form
    came from (when it is on this site)."""
    referer = request.headers.get("referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(request, "403_csrf.html", {"back": referer if safe else ""}, status=403)
