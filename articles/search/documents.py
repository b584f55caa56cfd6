"""Build and store SearchDocument rows: the segmented, script-normalised text of an article."""
from __future__ import annotations

from django.db import transaction

from articles.ingest.segment import segment
from articles.models import Article, SearchDocument


def _tokens(text: str) -> str:
    return " ".join(segment(text))


def document_for(article: Article) -> SearchDocument:
    """An unsaved SearchDocument; tags, regions and source should be prefetched for bulk use."""
    meta_parts: list[str] = []
    if article.source_id:
        meta_parts += [article.source.name, *article.source.aliases]
    meta_parts += [t.name for t in article.tags.all()]
    for region in article.regions.all():
        meta_parts += [region.name, region.short_name]
    meta_parts += [*article.authors]
    return SearchDocument(
        article_id=article.pk,
        title=_tokens(article.title),
        body=_tokens(article.body),
        meta=_tokens(" ".join(str(p) for p in meta_parts if p)),
        published_at=article.published_at,
        is_public=article.is_public,
    )


def _with_relations(queryset):
    return queryset.select_related("source").prefetch_related("tags", "regions").only(
        "id", "title", "body", "authors", "published_at", "status", "publish_at",
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
            defaults={f: getattr(doc, f) for f in ("title", "body", "meta", "published_at", "is_public")},
        )


def reindex_titles(article_ids) -> int:
    """Rewrite only the title tokens (an edit that changed the title and nothing else the document holds)."""
    docs = [SearchDocument(article_id=pk, title=_tokens(title))
            for pk, title in Article.objects.filter(pk__in=article_ids, search_document__isnull=False)
            .values_list("pk", "title")]
    SearchDocument.objects.bulk_update(docs, ["title"], batch_size=500)
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
    return done


def _write(docs: list[SearchDocument]) -> int:
    with transaction.atomic():
        SearchDocument.objects.filter(article_id__in=[d.article_id for d in docs]).delete()
        SearchDocument.objects.bulk_create(docs)
    return len(docs)
