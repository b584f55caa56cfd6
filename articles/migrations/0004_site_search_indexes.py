"""Search indexes per database vendor, and list-page indexes for both.

PostgreSQL: a generated weighted tsvector column with a GIN index. SQLite: an
FTS5 table over the same segmented text, kept in step by triggers. Neither is
in the model state: GIN and FTS5 would break the other vendor's migrate.
"""
from django.db import migrations

PG_FORWARD = [
    """ALTER TABLE articles_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(meta, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'C')
    ) STORED""",
    "CREATE INDEX articles_searchdoc_vector_gin ON articles_searchdocument USING GIN (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS articles_searchdoc_vector_gin",
    "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE articles_search_fts USING fts5(
        title, meta, body, content='articles_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER articles_search_fts_ai AFTER INSERT ON articles_searchdocument BEGIN
        INSERT INTO articles_search_fts(rowid, title, meta, body)
        VALUES (new.article_id, new.title, new.meta, new.body);
    END""",
    """CREATE TRIGGER articles_search_fts_ad AFTER DELETE ON articles_searchdocument BEGIN
        INSERT INTO articles_search_fts(articles_search_fts, rowid, title, meta, body)
        VALUES ('delete', old.article_id, old.title, old.meta, old.body);
    END""",
    """CREATE TRIGGER articles_search_fts_au AFTER UPDATE ON articles_searchdocument BEGIN
        INSERT INTO articles_search_fts(articles_search_fts, rowid, title, meta, body)
        VALUES ('delete', old.article_id, old.title, old.meta, old.body);
        INSERT INTO articles_search_fts(rowid, title, meta, body)
        VALUES (new.article_id, new.title, new.meta, new.body);
    END""",
    "INSERT INTO articles_search_fts(articles_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_search_fts_ai",
    "DROP TRIGGER IF EXISTS articles_search_fts_ad",
    "DROP TRIGGER IF EXISTS articles_search_fts_au",
    "DROP TABLE IF EXISTS articles_search_fts",
]

# Portable: tag pages walk (tag -> articles), region pages (region -> articles).
COMMON_FORWARD = [
    "CREATE INDEX IF NOT EXISTS tagged_article_tag_obj_idx ON articles_taggedarticle (tag_id, content_object_id)",
    "CREATE INDEX IF NOT EXISTS article_regions_region_article_idx ON articles_article_regions (region_id, article_id)",
    "CREATE INDEX IF NOT EXISTS article_source_pub_idx ON articles_article (source_id, published_at)",
]
COMMON_BACKWARD = [
    "DROP INDEX IF EXISTS tagged_article_tag_obj_idx",
    "DROP INDEX IF EXISTS article_regions_region_article_idx",
    "DROP INDEX IF EXISTS article_source_pub_idx",
]

BY_VENDOR = {"postgresql": (PG_FORWARD, PG_BACKWARD), "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD)}


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    vendor_sql = BY_VENDOR.get(schema_editor.connection.vendor)
    if vendor_sql:
        _run(schema_editor, vendor_sql[0])
    _run(schema_editor, COMMON_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, COMMON_BACKWARD)
    vendor_sql = BY_VENDOR.get(schema_editor.connection.vendor)
    if vendor_sql:
        _run(schema_editor, vendor_sql[1])


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_editor_groups")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
