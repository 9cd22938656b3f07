from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.scope import Perm, highest_org_seen, holds_anywhere


def nav(request: HttpRequest) -> dict[str, object]:
    """Flags the base layout's menu needs: each entry shows only to those who may use it. Lazy, and read
    from the grants the view already loaded."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)

    def rules_org() -> int | None:
        org = highest_org_seen(user) if signed_in else None  # type: ignore[arg-type]
        return org.pk if org else None

    return {
        "nav_manage_accounts": SimpleLazyObject(lambda: signed_in and holds_anywhere(user, Perm.MANAGE_ACCOUNTS)),  # type: ignore[arg-type]
        # Committees' officers: the supervision rota and the directives register (C11, C12).
        "nav_supervision": SimpleLazyObject(lambda: signed_in and holds_anywhere(user, Perm.SUPERVISE)),  # type: ignore[arg-type]
        "nav_criticism": SimpleLazyObject(lambda: signed_in and holds_anywhere(user, Perm.SEE_SENSITIVE)),  # type: ignore[arg-type]
        "nav_member": signed_in and bool(getattr(user, "member_id", None)),
        "nav_rules_org": SimpleLazyObject(rules_org),
    }
