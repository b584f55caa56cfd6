"""SearchDocument.revision: which write a document's text comes from, for the tantivy index to follow.

Set by a trigger, so every writer stamps it, the importer's COPY included (a row trigger fires for
each copied row) and no writer's code names it (articles/search/tantivy_sync.py reads it):

- PostgreSQL: the writing transaction's id (`pg_current_xact_id()`), BEFORE INSERT or an UPDATE of
  the text or the date; the settle step's flips of `settled` leave it alone.
- SQLite: one more than the highest revision (one writer at a time: revisions are in commit order),
  AFTER the write. The FTS update trigger of 0004 now fires on the text columns only, so stamping a
  revision does not index the row into FTS5 a second time.

Cheap on a million documents: the column is nullable without a default (no table rewrite; rows
written before it read NULL, and a new index reads every document once), and on PostgreSQL its index
is built CONCURRENTLY (hence a non-atomic migration), so writers are not held up meanwhile.
"""
from django.db import migrations, models

TABLE = "articles_searchdocument"
INDEX = "articles_searchdoc_revision"
PG_FUNCTION = "articles_searchdoc_stamp_revision"
PG_TRIGGER = "articles_searchdoc_revision"
WRITTEN = "title, body, meta, published_at"  # the columns whose change the index must see

PG_FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS revision bigint",
    f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.revision := pg_current_xact_id()::text::bigint;
        RETURN NEW;
    END $$""",
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"CREATE TRIGGER {PG_TRIGGER} BEFORE INSERT OR UPDATE OF {WRITTEN} ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {TABLE} (revision)",
]
PG_BACKWARD = [
    f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}",
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS revision",
]

_NEXT = f"(SELECT coalesce(max(revision), 0) + 1 FROM {TABLE})"
_FTS_UPDATE = """CREATE TRIGGER articles_search_fts_au AFTER UPDATE{columns} ON articles_searchdocument BEGIN
        INSERT INTO articles_search_fts(articles_search_fts, rowid, title, meta, body)
        VALUES ('delete', old.article_id, old.title, old.meta, old.body);
        INSERT INTO articles_search_fts(rowid, title, meta, body)
        VALUES (new.article_id, new.title, new.meta, new.body);
    END"""
SQLITE_FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN revision bigint NULL",  # in place: a remade table would lose 0004's triggers
    f"CREATE INDEX {INDEX} ON {TABLE} (revision)",
    f"""CREATE TRIGGER articles_searchdoc_revision_ai AFTER INSERT ON {TABLE} BEGIN
        UPDATE {TABLE} SET revision = {_NEXT} WHERE article_id = new.article_id;
    END""",
    f"""CREATE TRIGGER articles_searchdoc_revision_au AFTER UPDATE OF {WRITTEN} ON {TABLE} BEGIN
        UPDATE {TABLE} SET revision = {_NEXT} WHERE article_id = new.article_id;
    END""",
    "DROP TRIGGER articles_search_fts_au",
    _FTS_UPDATE.format(columns=" OF title, meta, body"),
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_search_fts_au",
    _FTS_UPDATE.format(columns=""),
    "DROP TRIGGER IF EXISTS articles_searchdoc_revision_au",
    "DROP TRIGGER IF EXISTS articles_searchdoc_revision_ai",
    f"DROP INDEX IF EXISTS {INDEX}",
    f"ALTER TABLE {TABLE} DROP COLUMN revision",
]

BY_VENDOR = {"postgresql": (PG_FORWARD, PG_BACKWARD), "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD)}


def _field():
    field = models.BigIntegerField(null=True)
    field.set_attributes_from_name("revision")
    return field


def forward(apps, schema_editor):
    statements = BY_VENDOR.get(schema_editor.connection.vendor)
    if statements is None:  # no trigger: the sync reads every document each time
        schema_editor.add_field(apps.get_model("articles", "SearchDocument"), _field())
        return
    for sql in statements[0]:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = BY_VENDOR.get(schema_editor.connection.vendor)
    if statements is None:
        schema_editor.remove_field(apps.get_model("articles", "SearchDocument"), _field())
        return
    for sql in statements[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [("articles", "0015_search_settled_tier")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(
                model_name="searchdocument", name="revision",
                field=models.BigIntegerField(null=True, editable=False, help_text=(
                    "the write this text comes from (a trigger sets it): what the tantivy index has yet to read")))],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    ]
