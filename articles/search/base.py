"""The backend contract: candidates are matched, filtered for public-ness at query time, then ranked."""
from __future__ import annotations

from django.db import connection
from django.utils import timezone

from articles.models import Article, SearchDocument, Status, TaggedArticle

from .query import ParsedQuery, SearchFilters, SearchHits

# Relevance is computed over at most this many of the newest matches: keeps every search bounded.
CANDIDATE_LIMIT = 500


class SearchBackend:
    vendor = ""

    def search(
        self, query: ParsedQuery, *, filters: SearchFilters | None = None, sort: str = "relevance",
        offset: int = 0, limit: int = 20, now=None,
    ) -> SearchHits:
        if query.empty:
            return SearchHits()
        rows = self.candidates(query, filters or SearchFilters(), now or timezone.now())
        if sort == "relevance":
            tokens = set(query.all_tokens)
            # A title holding every query token outranks any body hit; then the backend's score.
            rows.sort(key=lambda r: (not tokens <= set(r[2].split()), -r[1]))
        return SearchHits(
            ids=[r[0] for r in rows[offset:offset + limit]],
            total=len(rows),
            capped=len(rows) >= CANDIDATE_LIMIT,
        )

    def candidates(self, query: ParsedQuery, filters: SearchFilters, now) -> list[tuple[int, float, str]]:
        """Rows (article_id, score higher-is-better, title tokens), newest first, at most CANDIDATE_LIMIT."""
        raise NotImplementedError("give your backend a candidates() method")


def filter_sql(filters: SearchFilters, now) -> tuple[str, list]:
    """WHERE clauses on the article alias `a`: public now, plus the reader's filters.

    "Public" is Article.objects.published(now) written in SQL; tests/search/test_public.py holds them equal.
    """
    ops = connection.ops
    regions_through = Article.regions.through._meta.db_table
    clauses, params = ["1 = 1"], []
    if filters.public_only:
        clauses = ["a.status = %s", "(a.publish_at IS NULL OR a.publish_at <= %s)"]
        params = [Status.PUBLISHED.value, ops.adapt_datetimefield_value(now)]
    if filters.source_id:
        clauses.append("a.source_id = %s")
        params.append(filters.source_id)
    if filters.date_from:
        clauses.append("a.published_at >= %s")
        params.append(ops.adapt_datetimefield_value(filters.date_from))
    if filters.date_to:
        clauses.append("a.published_at < %s")
        params.append(ops.adapt_datetimefield_value(filters.date_to))
    if filters.tag_id:
        clauses.append(f"a.id IN (SELECT content_object_id FROM {TaggedArticle._meta.db_table} WHERE tag_id = %s)")
        params.append(filters.tag_id)
    if filters.region_ids:
        marks = ", ".join(["%s"] * len(filters.region_ids))
        clauses.append(f"a.id IN (SELECT article_id FROM {regions_through} WHERE region_id IN ({marks}))")
        params.extend(filters.region_ids)
    return " AND ".join(clauses), params


DOC_TABLE = SearchDocument._meta.db_table
ARTICLE_TABLE = Article._meta.db_table
