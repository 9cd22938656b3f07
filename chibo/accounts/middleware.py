"""Officers (administrators and organization officers) must pass a second factor (C3)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from chibo.accounts.scope import is_officer

# Paths an officer may reach before the second factor: signing in and out, setting up the device.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class RequireOfficerTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.CHIBO_REQUIRE_OFFICER_2FA
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and is_officer(user)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)
