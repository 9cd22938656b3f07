"""The actor on every change (C19, issue 14): one mechanism for every way a write comes in.

Every service takes `actor`; `@records_actor` puts it in a context variable for the length of the call,
and chibo.audit fills it into each django-auditlog entry written meanwhile that has none. So the history
names who made a change whether it came from a page (auditlog's middleware knows the session's user too),
an API token (Ninja authenticates after the middleware has run, so only the service knows), a Celery job
or a management command (they pass the user they act for; a run with no user is recorded as the system).

auditlog only sees `save()` and `delete()`. A service that writes in bulk (`QuerySet.update()`,
`bulk_create()`, `bulk_update()`) writes its history rows itself with `update_with_history()` or
`history_of_bulk()`, so nothing changes unrecorded.
"""

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.dispatch import Signal

P = ParamSpec("P")
R = TypeVar("R")

_actor: ContextVar[Any] = ContextVar("chibo_history_actor", default=None)

# Sent after history rows were written in bulk: sender = the model, entries = [(instance pk, LogEntry)].
bulk_history_written = Signal()


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Writes inside the block are recorded as `actor`'s (a user; None leaves the current one)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    return _actor.get()


def records_actor(service: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service taking `actor=`: the history of what it writes names that actor."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with acting_as(kwargs.get("actor")):
            return service(*args, **kwargs)

    wrapper.records_actor = True  # type: ignore[attr-defined]
    return wrapper


def _plain(value: Any) -> str:
    return "None" if value is None else str(value)


def history_of_bulk(
    model: type[Model], rows: Sequence[tuple[Any, str, dict[str, list[Any]]]], *, action: int
) -> list[LogEntry]:
    """History rows for writes auditlog did not see: (pk, text, {field: [old, new]}) each, by the current actor."""
    if not rows:
        return []
    content_type = ContentType.objects.get_for_model(model)
    actor = current_actor()
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=text[:200],
            action=action,
            changes={name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()},
            actor=actor,
            actor_email=getattr(actor, "email", None) or None,
            additional_data={"bulk": True},
        )
        for pk, text, changes in rows
    ]
    created = LogEntry.objects.bulk_create(entries, batch_size=500)
    bulk_history_written.send(sender=model, entries=[(row[0], e) for row, e in zip(rows, created, strict=True)])
    return created


def update_with_history(queryset: QuerySet[Any], **values: Any) -> int:
    """`queryset.update(**values)`, with one history row for each row it changed."""
    fields = list(values)
    before = list(queryset.values_list("pk", *fields))
    changed = [
        (row[0], str(row[0]), {f: [old, values[f]] for f, old in zip(fields, row[1:], strict=True) if old != values[f]})
        for row in before
    ]
    count = queryset.update(**values)
    history_of_bulk(queryset.model, [c for c in changed if c[2]], action=LogEntry.Action.UPDATE)
    return count


def created_history(model: type[Model], objects: Iterable[Model], fields: Sequence[str]) -> list[LogEntry]:
    """History rows for objects made by bulk_create(): each field's value as created."""
    rows = [
        (obj.pk, str(obj), {f: [None, getattr(obj, f if f.endswith("_id") else f)] for f in fields}) for obj in objects
    ]
    return history_of_bulk(model, rows, action=LogEntry.Action.CREATE)
