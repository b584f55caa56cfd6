"""Leaner writes for the importer: fewer indexes, faster compression.

- Article.status and Article.source lose their single-column indexes: the composite
  article_status_pub_idx (status, published_at) and article_source_pub_idx (source_id,
  published_at) lead with the same columns.
- The history table keeps only what history is read by (article id, date, user).
- PostgreSQL: the pattern-ops (LIKE) copies of the sha256 and status indexes go (nothing
  searches them with LIKE), and the large text columns are compressed with lz4, several
  times cheaper than the default pglz for the same size on these texts.

The database side drops indexes by introspection rather than through AlterField: on
SQLite AlterField rebuilds the whole table, which would also drop the hand-made indexes of
migrations 0004 and 0005.
"""
import django.db.models.deletion
from django.db import migrations, models, transaction

# (table, column): single-column, non-unique indexes to drop.
UNINDEXED = [
    ("articles_article", "status"),
    ("articles_article", "source_id"),
    ("articles_historicalarticle", "duplicate_of_id"),
    ("articles_historicalarticle", "published_at"),
    ("articles_historicalarticle", "raw_sha256"),
    ("articles_historicalarticle", "source_id"),
    ("articles_historicalarticle", "status"),
]
LZ4 = [
    ("articles_article", "raw_text"),
    ("articles_article", "body"),
    ("articles_historicalarticle", "body"),
    ("articles_searchdocument", "body"),
]


def _plain_indexes(connection, cursor, table, column):
    """Names of the non-unique indexes on exactly this one column (on PostgreSQL incl. its _like twin)."""
    constraints = connection.introspection.get_constraints(cursor, table)
    return [name for name, info in constraints.items()
            if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == [column]]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        doomed = [name for table, column in UNINDEXED for name in _plain_indexes(connection, cursor, table, column)]
        # The article's sha256 keeps its unique index; its LIKE twin on PostgreSQL is never used.
        doomed += [n for n in _plain_indexes(connection, cursor, "articles_article", "raw_sha256") if n.endswith("_like")]
    for name in doomed:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic(using=connection.alias):  # a server built without lz4 keeps pglz
                for table, column in LZ4:
                    schema_editor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET COMPRESSION lz4")
        except Exception:  # noqa: BLE001 - compression is an optimisation only
            pass


def backward(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column in UNINDEXED:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{column}_idx')} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_site_newest_first_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='article',
                    name='source',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='articles.source', verbose_name='来源'),
                ),
                migrations.AlterField(
                    model_name='article',
                    name='status',
                    field=models.CharField(choices=[('draft', '草稿'), ('review', '待审'), ('published', '已发布'), ('archived', '已归档')], default='draft', max_length=12, verbose_name='状态'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='duplicate_of',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.article', verbose_name='重复于'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='published_at',
                    field=models.DateTimeField(blank=True, help_text='原文的发布时间。', null=True, verbose_name='发布时间'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='raw_sha256',
                    field=models.CharField(blank=True, max_length=64, null=True, verbose_name='原始字节 SHA-256'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='source',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.source', verbose_name='来源'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='status',
                    field=models.CharField(choices=[('draft', '草稿'), ('review', '待审'), ('published', '已发布'), ('archived', '已归档')], default='draft', max_length=12, verbose_name='状态'),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    ]
