"""Who is acting, for change history written outside a web request (services, commands, Celery tasks).

django-auditlog learns the actor from its middleware, which only exists in a request. A service that
takes `actor` wraps its writes in `acting_as(actor)` so that the history says who did it wherever it ran.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from chibo.accounts.models import User

_actor: ContextVar[User | None] = ContextVar("chibo_audit_actor", default=None)


@contextmanager
def acting_as(actor: User | None) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def fill_actor(sender: type, instance: Any, **kwargs: Any) -> None:
    """pre_save receiver on auditlog's LogEntry: the acting user, unless the request already named one."""
    actor = _actor.get()
    if actor is not None and instance.actor_id is None and instance._state.adding:
        instance.actor = actor
        instance.actor_email = actor.email or None
