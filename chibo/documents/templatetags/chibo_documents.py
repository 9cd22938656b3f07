"""`{% documents_to_sign %}`: the minutes waiting for the signed-in member's signature, for the home page."""

from typing import Any

from django import template

from chibo.documents.selectors import awaiting_signature

register = template.Library()


@register.inclusion_tag("documents/_to_sign.html", takes_context=True)
def documents_to_sign(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    documents = list(awaiting_signature(getattr(user, "member_id", None))[:20])
    return {"documents": documents, "member_id": getattr(user, "member_id", None)}
