from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.scope import Perm, holds_anywhere


def nav(request: HttpRequest) -> dict[str, object]:
    """Flags the base layout's menu needs. Lazy, and read from the grants the view already loaded."""
    user = getattr(request, "user", None)
    return {
        "nav_manage_accounts": SimpleLazyObject(
            lambda: bool(user and user.is_authenticated and holds_anywhere(user, Perm.MANAGE_ACCOUNTS))
        ),
        # Committees' officers: the supervision rota and the directives register (C11, C12).
        "nav_supervision": SimpleLazyObject(
            lambda: bool(user and user.is_authenticated and holds_anywhere(user, Perm.SUPERVISE))
        ),
    }
