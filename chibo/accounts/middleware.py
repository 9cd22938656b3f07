"""Officers (administrators and organization officers) must pass a second factor (C3)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from chibo.accounts.scope import is_officer

# The only views an officer reaches before the second factor: signing in and out, the second factor itself,
# the language switch and the health check. Named by view, not by path prefix, so that a new page under
# /accounts/ is not opened by accident.
OPEN_VIEWS = frozenset({"accounts:login", "accounts:logout", "accounts:two_factor", "set_language", "core:healthz"})


class RequireOfficerTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if (
            not settings.CHIBO_REQUIRE_OFFICER_2FA
            or not user.is_authenticated
            or user.is_verified()  # type: ignore[union-attr,attr-defined]
            or (request.resolver_match and request.resolver_match.view_name in OPEN_VIEWS)
            or not is_officer(user)
        ):
            return None
        # A bearer-token API call has no session user here and never reaches this point; a session one does.
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Cần xác thực hai lớp trước khi dùng API bằng phiên đăng nhập.")}, status=403
            )
        target = f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return _htmx_refusal(request, target)
        return redirect(target)


def _htmx_refusal(request: HttpRequest, target: str) -> HttpResponse:
    """A fragment asked for before the second factor: htmx would swap a whole page into it.

    From an ordinary page (whose session lost its verification), htmx is told to navigate to the second
    factor; from the sign-in or second-factor page itself (a badge in the layout polling), it is refused
    quietly, or it would reload that page for ever.
    """
    current = urlsplit(request.headers.get("HX-Current-URL", "")).path
    try:
        on_open_page = resolve(current).view_name in OPEN_VIEWS
    except Resolver404:
        on_open_page = False
    if on_open_page:
        return HttpResponse(status=403)
    response = HttpResponse(status=204)
    response["HX-Redirect"] = target
    return response
