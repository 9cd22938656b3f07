"""Who may use sign-in pages and the API's token operations (the scope matrix, chibo/testing/scope_matrix.py)."""

from chibo.accounts.models import RoleGrant
from chibo.accounts.tokens import token_issue
from chibo.testing.scope_matrix import EVERYONE, SIGNED_IN, ScopeCase

ADMINS = frozenset({"admin"})  # the only persona with Role.ADMIN (at the province)

CASES = [
    ScopeCase("accounts:login", allowed=EVERYONE),
    # Signing out answers anyone with a redirect to the sign-in page.
    ScopeCase("accounts:logout", allowed=EVERYONE),
    ScopeCase("accounts:two_factor", allowed=SIGNED_IN),
    # API: signing in is open (an empty body is refused with 422, not 401); the rest needs a token.
    ScopeCase("POST /api/v1/auth/token", allowed=EVERYONE),
    ScopeCase("DELETE /api/v1/auth/token", allowed=SIGNED_IN),
    ScopeCase("GET /api/v1/auth/tokens", allowed=SIGNED_IN),
    # Someone else's token is outside everyone's scope but its owner's.
    ScopeCase(
        "DELETE /api/v1/auth/tokens/{token_id}",
        allowed=frozenset({"anhoa_member"}),
        args=lambda w: {"token_id": token_issue(user=w.anhoa_member)[0].pk},
    ),
    ScopeCase("GET /api/v1/openapi.json", allowed=EVERYONE),
    ScopeCase("GET /api/v1/docs", allowed=EVERYONE),
    # One's own sign-in settings (regenerating backup codes without a device is refused with a message).
    ScopeCase("accounts:security", allowed=SIGNED_IN),
    ScopeCase("accounts:backup_codes", allowed=SIGNED_IN, method="POST"),
    ScopeCase("accounts:password_change", allowed=SIGNED_IN),
    # Account management: administrators, for users holding a role in their subtree; 404 for everyone else.
    ScopeCase("accounts:user_list", allowed=ADMINS),
    ScopeCase("accounts:user_create", allowed=ADMINS),
    ScopeCase("accounts:user_detail", allowed=ADMINS, args=lambda w: {"pk": w.anhoa_member.pk}),
    ScopeCase("accounts:grant_create", allowed=ADMINS, method="POST", args=lambda w: {"pk": w.anhoa_member.pk}),
    ScopeCase("accounts:user_deactivate", allowed=ADMINS, method="POST", args=lambda w: {"pk": w.anhoa_member.pk}),
    ScopeCase("accounts:user_reactivate", allowed=ADMINS, method="POST", args=lambda w: {"pk": w.anhoa_member.pk}),
    ScopeCase("accounts:user_reset_2fa", allowed=ADMINS, method="POST", args=lambda w: {"pk": w.anhoa_member.pk}),
    ScopeCase("accounts:user_set_password", allowed=ADMINS, method="POST", args=lambda w: {"pk": w.anhoa_member.pk}),
    ScopeCase(
        "accounts:grant_revoke",
        allowed=ADMINS,
        method="POST",
        args=lambda w: {"pk": RoleGrant.objects.get(user=w.anhoa_member).pk},
    ),
]
