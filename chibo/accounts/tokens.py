"""API tokens (C17): issued once, kept only as a SHA-256 hash, revocable, their last use recorded.

The raw token is returned by `token_issue()` and never stored; a lost token is revoked and a new one
issued. Checking the password (and django-axes' throttling, which needs the request) is the sign-in
endpoint's job in chibo/accounts/api.py; these functions start from a known user.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from chibo.accounts.models import ApiToken, User
from chibo.core.errors import ChiboError

# Recording every request's time would turn each API read into a write; a minute is precise enough
# to tell a token still in use from an abandoned one.
LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def token_issue(*, user: User, label: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the saved row and the raw token, which is shown to the caller once."""
    if not user.is_active:
        raise ChiboError(_("Tài khoản đã bị khóa, không thể cấp mã truy cập."))
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw), label=label.strip()[:100])
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token matching `raw` (with its user), or None; notes the time of use, once a minute at most."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A plain UPDATE: two requests racing here both write a time within the same second.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def get_token_for_user(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's answers 404."""
    try:
        return tokens_of(user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; revoking twice keeps the first time."""
    if token.user_id != actor.pk:
        raise ChiboError(_("Chỉ được thu hồi mã truy cập của chính mình."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. In an operation, `request.user` is the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is not None:
            request.user = found.user
        return found
