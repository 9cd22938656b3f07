"""Who is acting, for the change history: the mechanism is chibo.core.history (`@records_actor` on
services); this module fills the actor into django-auditlog's entries."""

from typing import Any

from chibo.core.history import acting_as, current_actor

__all__ = ["acting_as", "fill_actor"]


def fill_actor(sender: type, instance: Any, **kwargs: Any) -> None:
    """pre_save receiver on auditlog's LogEntry: the acting user, unless the request already named one."""
    actor = current_actor()
    if actor is not None and instance.actor_id is None and instance._state.adding:
        instance.actor = actor
        instance.actor_email = actor.email or None
