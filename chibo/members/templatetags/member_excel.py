"""`{% member_excel_actions %}`: what the Excel links of the member list may offer this user."""

from typing import Any

from django import template

from chibo.accounts.scope import Perm, has_perm_on, holds_anywhere

register = template.Library()


@register.simple_tag(takes_context=True)
def member_excel_actions(context: template.Context) -> dict[str, Any]:
    """Export for whoever sees the list; import and the template for those who may edit members there."""
    request = context["request"]
    org = context.get("org")
    if org is not None:
        can_import = org.is_active and has_perm_on(request.user, org, Perm.EDIT_MEMBERS)
    else:
        can_import = holds_anywhere(request.user, Perm.EDIT_MEMBERS)
    return {
        "can_export": holds_anywhere(request.user, Perm.LIST_MEMBERS),
        "can_import": can_import,
        "query": _without_page(request.GET),
    }


def _without_page(query: Any) -> str:
    query = query.copy()
    query.pop("page", None)
    return str(query.urlencode())
