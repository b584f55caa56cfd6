"""Newest-first index for public lists: ORDER BY published_at DESC NULLS LAST, id DESC, LIMIT n.

PostgreSQL cannot use the plain published_at index for DESC NULLS LAST (it would
sort every public row per page); SQLite sorts NULLs first ascending, so DESC
already puts them last. Partial on status: only published rows are ever listed. Search walks its
documents newest first too when a term is too common for the GIN bitmap to pay.
"""
from django.db import migrations

SQL = {
    "postgresql": (
        "CREATE INDEX IF NOT EXISTS article_public_newest_idx ON articles_article "
        "(published_at DESC NULLS LAST, id DESC) WHERE status = 'published';"
        "CREATE INDEX IF NOT EXISTS searchdoc_newest_idx ON articles_searchdocument "
        "(published_at DESC NULLS LAST, article_id DESC)"
    ),
    "sqlite": (
        "CREATE INDEX IF NOT EXISTS article_public_newest_idx ON articles_article "
        "(published_at DESC, id DESC) WHERE status = 'published'"
    ),
}


def forward(apps, schema_editor):
    sql = SQL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor in SQL:
        schema_editor.execute("DROP INDEX IF EXISTS article_public_newest_idx")
        schema_editor.execute("DROP INDEX IF EXISTS searchdoc_newest_idx")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_site_search_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
