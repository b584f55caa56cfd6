"""PostgreSQL with the rum extension: the search vector's index also orders by rank.

A GIN index finds the matches but keeps no positions, so ranking reads every matching
document's vector from the table: the cost grows with the number of matches. rum
(postgrespro/rum, Debian's postgresql-NN-rum) stores the positions in the index and answers
ORDER BY search_vector <=> query from it. It replaces the GIN index, which it serves in full.

Vendor-guarded and optional: SQLite has FTS5, and a PostgreSQL without the extension (a
managed database may not offer it) keeps the GIN index; articles/search/postgres.py asks the
database which index it has and ranks with ts_rank when it is not rum.
"""
from django.db import DatabaseError, migrations, transaction

TABLE = "articles_searchdocument"
GIN = "articles_searchdoc_vector_gin"
RUM = "articles_searchdoc_vector_rum"
INSUFFICIENT_PRIVILEGE = "42501"


def _rum_available(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not _rum_available(connection):
        return
    try:
        # Installed but not allowed to this role (CREATE EXTENSION needs the right to create it): keep GIN.
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {RUM} ON {TABLE} USING rum (search_vector rum_tsvector_ops)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} USING GIN (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_import_chunks")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
