"""Any other database: token containment over SearchDocument with LIKE; slow but correct."""
from __future__ import annotations

from django.db.models import Q

from articles.models import Article, SearchDocument

from .base import CANDIDATE_LIMIT, SearchBackend


class FallbackBackend(SearchBackend):
    vendor = ""

    def candidates(self, query, filters, now):
        qs = SearchDocument.objects.filter(article__in=_public(filters, now))
        for token in query.all_tokens:
            qs = qs.filter(Q(title__contains=token) | Q(meta__contains=token) | Q(body__contains=token))
        rows = qs.order_by("-published_at", "-article_id").values_list("article_id", "title")[:CANDIDATE_LIMIT]
        return [(pk, 0.0, title) for pk, title in rows]


def _public(filters, now):
    qs = Article.objects.published(now) if filters.public_only else Article.objects.all()
    if filters.source_id:
        qs = qs.filter(source_id=filters.source_id)
    if filters.tag_id:
        qs = qs.filter(tagged_items__tag_id=filters.tag_id)
    if filters.region_ids:
        qs = qs.filter(regions__in=filters.region_ids)
    if filters.date_from:
        qs = qs.filter(published_at__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(published_at__lt=filters.date_to)
    return qs.values("pk")
