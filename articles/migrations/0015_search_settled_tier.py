"""Search documents in two tiers, so that the rum index is off the write path (issue 13).

A rum index costs a writer 4–20 ms per document (against well under 2 ms for GIN, whose pending
list batches the writes): at the importer's rate that is more CPU than the machine has. Every write
now leaves its document unsettled (`SearchDocument.settled` false); on PostgreSQL with rum:

- a GIN index (fastupdate) over the unsettled documents finds them as soon as they are written,
- the rum index covers only the settled ones, and ranks them inside the index,
- a btree over the unsettled ids lets the settle step (articles/search/settle.py) find its work.

The search backend (articles/search/postgres.py) asks both tiers and merges them by rum's distance;
the settle step moves documents into the rum tier in small batches, off the importer's path.

The column is added in place on every database: SQLite would otherwise remake the table and lose the
FTS triggers of 0004 (and articles_article is never touched). Rows there before this migration are
already in the rum index, so on PostgreSQL they start settled (a column default, no table rewrite);
new rows default to unsettled. The generated vector is compressed with lz4 from now on, like the
large texts of 0006 (it was pglz). Without the rum extension the GIN index of 0004 stays as it is and the
flag is kept but unused. Building the partial rum index here reads the whole table once (at a million
documents, tens of minutes; the previous rum index is dropped after it).
"""
from django.db import migrations, models, transaction

TABLE = "articles_searchdocument"
FULL_GIN = "articles_searchdoc_vector_gin"  # 0004
FULL_RUM = "articles_searchdoc_vector_rum"  # 0014
SETTLED_RUM = "articles_searchdoc_settled_rum"
UNSETTLED_GIN = "articles_searchdoc_unsettled_gin"
UNSETTLED_IDS = "articles_searchdoc_unsettled_ids"

TIERED = [
    f"CREATE INDEX IF NOT EXISTS {UNSETTLED_GIN} ON {TABLE} USING gin (search_vector) WITH (fastupdate = on) "
    "WHERE NOT settled",
    f"CREATE INDEX IF NOT EXISTS {SETTLED_RUM} ON {TABLE} USING rum (search_vector rum_tsvector_ops) WHERE settled",
    f"CREATE INDEX IF NOT EXISTS {UNSETTLED_IDS} ON {TABLE} (article_id) WHERE NOT settled",
    f"DROP INDEX IF EXISTS {FULL_RUM}",
    f"DROP INDEX IF EXISTS {FULL_GIN}",
]


def _has_rum(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        return cursor.fetchone() is not None


def forward(apps, schema_editor):
    connection = schema_editor.connection
    table = schema_editor.quote_name(TABLE)
    if connection.vendor == "postgresql":
        # Existing rows read true without a rewrite (a "missing" default); rows written from now on are false.
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN settled boolean NOT NULL DEFAULT true")
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN settled SET DEFAULT false")
        if _has_rum(connection):
            for sql in TIERED:
                schema_editor.execute(sql)
        try:
            # The generated vector (about 9 KB a document) was compressed with pglz: lz4 takes a fifth of a
            # writer's share of that (0.1 ms a document here). New values only; a server without lz4 keeps pglz.
            with transaction.atomic(using=connection.alias):
                schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET COMPRESSION lz4")
        except Exception:  # noqa: BLE001 - compression is an optimisation only
            pass
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN settled bool NOT NULL DEFAULT 0")
    else:
        field = models.BooleanField(default=False)  # the state here is the one before this migration
        field.set_attributes_from_name("settled")
        schema_editor.add_field(apps.get_model("articles", "SearchDocument"), field)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    table = schema_editor.quote_name(TABLE)
    if connection.vendor == "postgresql" and _has_rum(connection):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {FULL_RUM} ON {TABLE} USING rum "
                              "(search_vector rum_tsvector_ops)")
    elif connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {FULL_GIN} ON {TABLE} USING gin (search_vector)")
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET COMPRESSION default")
    for name in (SETTLED_RUM, UNSETTLED_GIN, UNSETTLED_IDS, "articles_searchdoc_vector_all"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN settled")


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_search_rum_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(
                model_name="searchdocument", name="settled",
                field=models.BooleanField(default=False, help_text="in the rank (rum) index tier"))],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    ]
