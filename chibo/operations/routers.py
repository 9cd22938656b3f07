"""Reads that may lag behind: dashboards and exports read from a replica when one is configured (C18).

Routing every read to a replica would show a user a page without the change they just saved (replicas
lag by a fraction of a second to seconds). So reads go to the replica only inside `replica_reads()`,
which the heavy, lag-tolerant readers wrap around their queries:

    with replica_reads():
        rows = list(selectors.dashboard_rows(user, org, year))

Without DATABASE_REPLICA_URL the block reads from the primary as everything else does.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_use_replica: ContextVar[bool] = ContextVar("chibo_use_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for reads inside `replica_reads()`, the primary for the rest."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _use_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # a replica follows the primary's schema by streaming
