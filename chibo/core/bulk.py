"""Bulk inserts of many unsaved rows: PostgreSQL's COPY (several times faster than INSERT, and it binds the
values in the driver's C code rather than quoting them in Python), bulk_create on other databases.

The values are prepared by the fields themselves (`get_db_prep_save` after `pre_save`), so a column an app
adds later is written as bulk_create would write it. Like bulk_create it sends no signal and leaves no
history: the callers are jobs that record their run (e.g. chibo.reviews.runs)."""

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _preparer(field: models.Field) -> Callable[[models.Model], Any]:
    """How one column's value is read from an object: plain attributes directly (the driver adapts them),
    JSON through the field's own adaptation, `auto_now` dates as now; anything else through the field."""
    # Exactly these classes: a subclass (an encrypted text, say) prepares its own values.
    plain = {
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.BooleanField,
        models.ForeignKey,
    }
    if type(field) is models.DateTimeField and (field.auto_now or field.auto_now_add):
        now = timezone.now()
        return lambda obj: now
    if type(field) in plain:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    if type(field) is models.JSONField:
        attname = field.attname
        return lambda obj: field.get_db_prep_value(getattr(obj, attname), connection)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection)


def bulk_insert(model: type[models.Model], objs: Iterable[models.Model], *, batch_size: int = 2000) -> int:
    """Insert `objs` (unsaved, without their key); the number inserted. The objects do not get their keys."""
    if connection.vendor != "postgresql":
        rows = list(objs)
        model._default_manager.bulk_create(rows, batch_size=batch_size)
        return len(rows)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    prepare = [_preparer(f) for f in fields]
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    n, start = 0, time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for obj in objs:
            copy.write_row([p(obj) for p in prepare])
            n += 1
    if connection.queries_logged:  # the driver's COPY bypasses Django's cursor: counted like any query
        connection.queries_log.append({"sql": f"{sql} -- {n} rows", "time": f"{time.monotonic() - start:.3f}"})
    return n
