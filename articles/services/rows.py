"""Bulk rows for the importer: COPY on PostgreSQL, bulk_create elsewhere.

On PostgreSQL a chunk's rows go in with `COPY ... FROM STDIN (FORMAT BINARY)` (psycopg 3
`cursor.copy`): no SQL to build, no array parameters to escape value by value, one round trip per
table, and no text to escape and parse again (binary costs the server 0.1 ms an article less than
text did: the article, its history row and its search document are mostly long text). Rows whose ids
are needed before they are written (articles, their region links, history rows) take them from
their sequences first, all tables in one query. Other databases use bulk_create, which sets the
ids it inserted.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from itertools import repeat
from operator import attrgetter

from django.db import connection, models
from django.utils import timezone

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


# Binary COPY sends each value in its type's wire format: nothing to escape on either side. The
# type oids by the fields' database types (varchar goes out as text: the same bytes); a table with
# any other type is copied as text. JSON goes out already in jsonb's wire format, as bytes (17,
# bytea: psycopg sends them as they are); the server reads each value by its column's type.
_OIDS = {"text": 25, "varchar": 25, "bigint": 20, "integer": 23, "smallint": 21, "boolean": 16, "jsonb": 17,
         "timestamp with time zone": 1184}


def _oid(field: models.Field) -> int | None:
    return _OIDS.get((field.db_type(connection) or "").split("(", 1)[0])


def _adapter(field: models.Field, binary: bool):
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def text(value):
            if not value and type(value) in (list, dict):  # most of an article's lists are empty
                return "[]" if type(value) is list else "{}"
            return json.dumps(value, ensure_ascii=False, cls=encoder)

        if binary:  # jsonb's wire format: version 1, then the text
            return lambda value: None if value is None else b"\x01" + text(value).encode()
        return lambda value: None if value is None else text(value)
    if binary and isinstance(field, models.DateTimeField):  # a naive datetime: made aware as the ORM does
        return lambda value: value if value is None or value.tzinfo else field.get_db_prep_save(value, connection)
    if isinstance(field, _PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _stamped(field: models.Field, add: bool = True) -> bool:
    """Whether save() would set this field to now (auto_now, or auto_now_add on an insert)."""
    return isinstance(field, models.DateField) and (field.auto_now or (add and field.auto_now_add))


def write(model: type[models.Model], fields: tuple[str, ...], values: list[tuple]) -> list:
    """Insert new rows given as tuples of Python values (the model's attributes `fields`, by attname).

    The one bulk insert without model instances: on PostgreSQL the tuples are COPY rows as they are
    (JSON dumped, nothing else converted in Python); elsewhere they become instances for bulk_create. Fields
    left out get what an unsaved instance would hold: now for auto_now(_add) fields, the default
    otherwise; a left-out primary key is numbered by the database. Returns the rows' primary keys
    (None where the database numbered them and did not say: COPY).
    """
    if not values:
        return []
    if not copies():
        return [obj.pk for obj in model._default_manager.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in values], batch_size=500)]
    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields}
    given = [by_name[name] for name in fields]
    now = timezone.now()
    numbered = isinstance(meta.pk, (models.AutoField, models.BigAutoField))  # left out: the table's default
    rest = [f for f in meta.concrete_fields if f.attname not in fields and not (f is meta.pk and numbered)]
    extra = tuple(now if _stamped(f) else f.get_default() for f in rest)
    oids = [_oid(f) for f in given + rest]
    binary = None not in oids
    adapters = [(i, adapt) for i, adapt in enumerate(_adapter(f, binary) for f in given + rest) if adapt is not None]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in given + rest)
    form = " (FORMAT BINARY)" if binary else ""
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN{form}"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        if binary:
            copy.set_types(oids)
        for row in values:
            row = row + extra if extra else row
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    row[i] = adapt(row[i])
            copy.write_row(row)
    pk = fields.index(meta.pk.attname) if meta.pk.attname in fields else None
    return [None] * len(values) if pk is None else [row[pk] for row in values]


def attnames(model: type[models.Model], *, with_pk: bool = True) -> tuple[str, ...]:
    """The model's concrete fields by attname, in order (the pk left out when `with_pk` is false)."""
    return tuple(f.attname for f in model._meta.concrete_fields if with_pk or f is not model._meta.pk)


def insert(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """Insert unsaved objects; their auto fields (created_at) are filled in as save() would.

    With COPY, an object whose pk is unset gets its id from the table's default and the object does
    not learn it: give objects whose ids are needed afterwards theirs with new_ids() first.
    """
    if not objs:
        return objs
    if not copies():
        return model._default_manager.bulk_create(objs, batch_size=500)
    names = attnames(model, with_pk=objs[0].pk is not None)
    now = timezone.now()
    stamped = [f.attname for f in model._meta.concrete_fields if _stamped(f)]
    for obj in objs:
        for name in stamped:
            setattr(obj, name, now)
    get = attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)
    write(model, names, [get(obj) for obj in objs])
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
