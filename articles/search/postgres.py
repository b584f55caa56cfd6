"""PostgreSQL: a weighted tsvector (title A, meta B, body C) over segmented tokens, GIN-indexed.

The vector is a generated column added by migration 0004 (PostgreSQL only), so
writes keep it in step and the GIN index is always the one the query uses.
"""
from __future__ import annotations

from django.db import connection

from .base import ARTICLE_TABLE, CANDIDATE_LIMIT, DOC_TABLE, SearchBackend, filter_sql
from .query import SearchFilters


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def _tsquery(self, query) -> tuple[str, list]:
        parts, params = [], []
        if query.terms:
            parts.append("plainto_tsquery('simple', %s)")
            params.append(" ".join(query.terms))
        for phrase in query.phrases:
            parts.append("phraseto_tsquery('simple', %s)")
            params.append(" ".join(phrase))
        return " && ".join(parts), params

    def candidates(self, query, filters, now):
        tsq, tsq_params = self._tsquery(query)
        where, where_params = filter_sql(filters, now)
        # Unfiltered searches: take the newest matches straight from the GIN bitmap (the
        # document carries published_at), check public-ness on those only, then rank the
        # survivors; ranking reads each vector, so it runs on at most CANDIDATE_LIMIT rows.
        prelimit = f"LIMIT {CANDIDATE_LIMIT * 6 // 5}" if filters == SearchFilters() else ""
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT d.article_id, d.published_at FROM {DOC_TABLE} d
                WHERE d.search_vector @@ ({tsq})
                ORDER BY d.published_at DESC NULLS LAST, d.article_id DESC {prelimit}
            ),
            c AS MATERIALIZED (
                SELECT m.article_id, a.published_at FROM m JOIN {ARTICLE_TABLE} a ON a.id = m.article_id
                WHERE {where}
                ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT {CANDIDATE_LIMIT}
            )
            SELECT c.article_id, ts_rank(d.search_vector, {tsq}), d.title
            FROM c JOIN {DOC_TABLE} d ON d.article_id = c.article_id
            ORDER BY c.published_at DESC NULLS LAST, c.article_id DESC
        """
        with connection.cursor() as cursor:
            # The tsquery is written inline (not in a CTE) so the planner can estimate how
            # common the terms are: rare terms use the GIN index, common ones walk by date.
            cursor.execute(sql, [*tsq_params, *where_params, *tsq_params])
            return [(r[0], float(r[1]), r[2]) for r in cursor.fetchall()]
