"""Bulk rows for the importer: COPY on PostgreSQL, bulk_create elsewhere.

On PostgreSQL a chunk's rows go in with `COPY ... FROM STDIN` (psycopg 3 `cursor.copy`): no SQL
to build, no array parameters to escape value by value, one round trip per table. Rows whose ids
are needed before they are written (articles, their region links, history rows) take them from
their sequences first, all tables in one query. Other databases use bulk_create, which sets the
ids it inserted.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from itertools import repeat

from django.db import connection, models

# Fields whose Python value psycopg writes as it is; any other kind goes through get_db_prep_save.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateTimeField,
          models.ForeignKey, models.AutoField, models.BigAutoField)


def copies() -> bool:
    """Whether rows go in with COPY (PostgreSQL)."""
    return connection.vendor == "postgresql"


def new_ids(counts: dict[type[models.Model], int]) -> dict[type[models.Model], Iterator[int | None]]:
    """Primary keys for rows not written yet, from the tables' sequences, all in one query (PostgreSQL).

    Elsewhere the ids are None: bulk_create sets them as it inserts.
    """
    wanted = {model: n for model, n in counts.items() if n}
    out: dict = {model: repeat(None) for model in counts}
    if not copies() or not wanted:
        return out
    parts, params = [], []
    for model, n in wanted.items():
        parts.append("(SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s))")
        params += [model._meta.db_table, model._meta.pk.column, n]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        found = cursor.fetchone()
    for model, ids in zip(wanted, found, strict=True):
        out[model] = iter(sorted(ids))
    return out


def _adapter(field: models.Field):
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False, cls=encoder)
    if isinstance(field, _PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """Insert unsaved objects; their auto fields (created_at) are filled in as save() would.

    With COPY, an object whose pk is unset gets its id from the table's default and the object does
    not learn it: give objects whose ids are needed afterwards theirs with allocate_ids() first.
    """
    if not objs:
        return objs
    if not copies():
        return model._default_manager.bulk_create(objs, batch_size=500)
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not (f is pk and objs[0].pk is None)]
    adapters = [_adapter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            values = [f.pre_save(obj, True) for f in fields]
            copy.write_row([v if adapt is None else adapt(v) for v, adapt in zip(values, adapters, strict=True)])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def lock_keys(keys) -> None:
    """Hold these names until the transaction ends, so two importers never write the same page at once.

    Two workers that meet the same bytes, URL or fingerprint band wait for each other here, and the
    second then finds what the first wrote. PostgreSQL only (transaction-level advisory locks, taken
    in one statement in a fixed order, so two chunks cannot deadlock); SQLite has one writer anyway.
    """
    if not copies():
        return
    ids = sorted({int.from_bytes(hashlib.blake2b(k.encode(), digest_size=8).digest(), "big", signed=True)
                  for k in keys})
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_advisory_xact_lock(k)) "
                           "FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) s", [ids])
