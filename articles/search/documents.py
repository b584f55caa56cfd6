"""Build and store SearchDocument rows: the segmented, script-normalised text of an article.

Every write leaves the document unsettled (the cheap GIN tier on PostgreSQL with rum) and asks a
worker to settle it later (settle.py): no writer here pays for the rum index. Where a tantivy index
is configured, a worker syncs it too (tantivy_sync.py).
"""
from __future__ import annotations

from django.db import transaction

from articles.ingest.segment import segment
from articles.models import Article, SearchDocument

from .settle import settle_later
from .tantivy_sync import sync_later


def follow_later() -> None:
    """Once this transaction commits, have workers bring what is derived from the documents up to them:
    the rum tier (settle.py) and, where one is configured, this machine's tantivy index (tantivy_sync.py)."""
    settle_later()
    sync_later()


def _tokens(text: str) -> str:
    return " ".join(segment(text))


# A document's columns as document_row gives them (settled is left out: every write leaves it unsettled).
DOCUMENT_FIELDS = ("article_id", "title", "body", "meta", "published_at")


def document_row(article: Article, *, tags, region_names, tokens: tuple[str, str] | None = None) -> tuple:
    """The one builder of a search document, as a row of DOCUMENT_FIELDS.

    Title and body are segmented here unless the parser made their tokens already (`tokens`); the
    meta column holds the source and its aliases, the tags, the regions' names and the authors.
    """
    meta_parts: list[str] = [article.source.name, *article.source.aliases] if article.source_id else []
    meta_parts += [*tags, *region_names, *article.authors]
    title, body = tokens if tokens is not None else (_tokens(article.title), _tokens(article.body))
    return (article.pk, title, body, _tokens(" ".join(str(p) for p in meta_parts if p)), article.published_at)


def document_from(article: Article, *, tags, region_names, tokens: tuple[str, str] | None = None) -> SearchDocument:
    """An unsaved SearchDocument (document_row's values)."""
    return SearchDocument(**dict(zip(DOCUMENT_FIELDS, document_row(article, tags=tags, region_names=region_names,
                                                                     tokens=tokens), strict=True)))


def document_for(article: Article) -> SearchDocument:
    """An unsaved SearchDocument; tags, regions and source should be prefetched for bulk use."""
    return document_from(article, tags=[t.name for t in article.tags.all()],
                         region_names=[n for r in article.regions.all() for n in (r.name, r.short_name)])


def _with_relations(queryset):
    return queryset.select_related("source").prefetch_related("tags", "regions").only(
        "id", "title", "body", "authors", "published_at",
        "source__name", "source__aliases",
    )


def index_article(article_id: int) -> None:
    """Rewrite one article's document (delete it when the article is gone)."""
    article = _with_relations(Article.objects.filter(pk=article_id)).first()
    if article is None:
        SearchDocument.objects.filter(article_id=article_id).delete()
        return
    doc = document_for(article)
    with transaction.atomic():
        SearchDocument.objects.update_or_create(
            article_id=article.pk,
            defaults={f: getattr(doc, f) for f in ("title", "body", "meta", "published_at", "settled")},
        )
    follow_later()


def reindex_titles(article_ids) -> int:
    """Rewrite only the title tokens (an edit that changed the title and nothing else the document holds)."""
    docs = [SearchDocument(article_id=pk, title=_tokens(title), settled=False)
            for pk, title in Article.objects.filter(pk__in=article_ids, search_document__isnull=False)
            .values_list("pk", "title")]
    SearchDocument.objects.bulk_update(docs, ["title", "settled"], batch_size=500)  # unsettled: no rum write
    if docs:
        follow_later()
    return len(docs)


def rebuild_index(*, batch_size: int = 500, queryset=None) -> int:
    """Rebuild documents in batches: iterate articles in chunks, bulk-write their documents."""
    queryset = queryset if queryset is not None else Article.objects.all()
    done = 0
    batch: list[SearchDocument] = []
    for article in _with_relations(queryset.order_by("pk")).iterator(chunk_size=batch_size):
        batch.append(document_for(article))
        if len(batch) >= batch_size:
            done += _write(batch)
            batch = []
    if batch:
        done += _write(batch)
    if done:
        follow_later()
    return done


def _write(docs: list[SearchDocument]) -> int:
    with transaction.atomic():
        SearchDocument.objects.filter(article_id__in=[d.article_id for d in docs]).delete()
        SearchDocument.objects.bulk_create(docs)
    return len(docs)
