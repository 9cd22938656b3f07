"""The security log (logger "chibo.security"): what an administrator must see about attacks on sign-in.

django-axes locks out a username from one address at a time (AXES_LOCKOUT_PARAMETERS), so an attacker
who knows an officer's username cannot lock them out from everywhere. Trying it from many addresses is
still an attack worth knowing about: when one username has failed from CHIBO_SIGNIN_ALERT_ADDRESSES
different addresses within the cool-off period, a warning names the account (by id, not by name: logs
carry nothing personal, C19) and the number of addresses. Every lockout is logged as well.
"""

import ipaddress
import logging
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from chibo.accounts.models import User

logger = logging.getLogger("chibo.security")


def client_ip(request: Any) -> str | None:
    """The client's address as the trusted proxies saw it (settings.AXES_CLIENT_IP_CALLABLE).

    Each of the CHIBO_TRUSTED_PROXY_COUNT proxies appends the address it received the request from to
    X-Forwarded-For, so the client is the N-th entry from the right; entries to its left are whatever the
    client sent, and are ignored. Without proxies (development), REMOTE_ADDR. (django-ipware's proxy count
    assumes proxies also list themselves, which nginx's $proxy_add_x_forwarded_for does not.)
    """
    count = settings.CHIBO_TRUSTED_PROXY_COUNT
    candidate = request.META.get("REMOTE_ADDR") or None
    if count:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        candidate = entries[-count] if len(entries) >= count else None
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None


def _account(username: str | None) -> str:
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first() if username else None
    return f"user #{user_id}" if user_id else "an unknown username"


def on_locked_out(
    sender: Any, request: Any = None, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    logger.warning("sign-in locked out for %s from one address", _account(username))


def on_login_failed(sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any) -> None:
    username = (credentials or {}).get("username")
    if not username:
        return
    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    addresses = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since).values("ip_address").distinct().count()
    )
    if addresses >= settings.CHIBO_SIGNIN_ALERT_ADDRESSES:
        logger.warning(
            "failed sign-ins for %s from %s different addresses within %s minutes",
            _account(username),
            addresses,
            round(float(settings.AXES_COOLOFF_TIME) * 60),
        )
