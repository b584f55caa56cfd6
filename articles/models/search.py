from django.db import models


class SearchDocument(models.Model):
    """Segmented, folded (fold_text: NFKC, simplified) text of one article, kept in step with every save.

    Whether the article is public is checked at query time against the article (scheduled articles
    go live without a job), never stored here. The columns hold space-separated tokens from
    articles.ingest.segment.segment(), so stock PostgreSQL full text search and SQLite FTS5 can
    index Chinese. The vendor-specific indexes live in vendor-guarded migrations: on PostgreSQL with
    rum, a rum index over the settled documents and a GIN index over the unsettled ones (0015).
    """

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, primary_key=True,
                                   related_name="search_document")
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    meta = models.TextField(blank=True, help_text="source, tags, regions, authors")
    published_at = models.DateTimeField(null=True, db_index=True)
    # Every write leaves a document unsettled (cheap to index); settling it (articles/search/settle.py,
    # a task after each import, or `manage.py settle_search_index`) moves it into the rank index. Only
    # PostgreSQL with rum has two tiers; elsewhere the flag is kept but nothing reads it.
    settled = models.BooleanField(default=False, help_text="in the rank (rum) index tier")
    # Which write the text comes from, stamped by a trigger on every write (migration 0016): the
    # transaction's id on PostgreSQL, a counter on SQLite. Only the tantivy index's sync reads it
    # (articles/search/tantivy_sync.py); no writer sets it.
    revision = models.BigIntegerField(null=True, editable=False, help_text=(
        "the write this text comes from (a trigger sets it): what the tantivy index has yet to read"))

    class Meta:
        verbose_name = "搜索索引"
        verbose_name_plural = "搜索索引"

    def __str__(self):
        return f"搜索索引 #{self.article_id}"
