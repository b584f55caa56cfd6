"""SearchDocument.is_public was written and indexed but never read: public-ness is checked at query time."""
from django.db import migrations

TABLE = "articles_searchdocument"


def drop_is_public(apps, schema_editor):
    # SQLite would remake the table for an indexed column, and the FTS triggers on it (0004) would go with
    # it: drop the column's indexes, then the column itself, in place.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if info["columns"] == ["is_public"] and info["index"] and not info["primary_key"]:
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")
    schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} DROP COLUMN is_public")


def add_is_public(apps, schema_editor):
    table = schema_editor.quote_name(TABLE)
    schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN is_public boolean NOT NULL DEFAULT false")
    schema_editor.execute(f"CREATE INDEX articles_searchdocument_is_public ON {table} (is_public)")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0011_views_limit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="searchdocument", name="is_public")],
            database_operations=[migrations.RunPython(drop_is_public, add_is_public)],
        ),
    ]
