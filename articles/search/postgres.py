"""PostgreSQL: a weighted tsvector (title A, meta B, body C) over segmented tokens, GIN-indexed.

The vector is a generated column added by migration 0004 (PostgreSQL only), so
writes keep it in step and the GIN index is always the one the query uses.
"""
from __future__ import annotations

from django.db import connection

from .base import ARTICLE_TABLE, CANDIDATE_LIMIT, DOC_TABLE, SearchBackend, filter_sql


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
        sql = f"""
            SELECT d.article_id, ts_rank(d.search_vector, q.q), d.title
            FROM {DOC_TABLE} d
            JOIN {ARTICLE_TABLE} a ON a.id = d.article_id
            CROSS JOIN (SELECT {tsq} AS q) q
            WHERE d.search_vector @@ q.q AND {where}
            ORDER BY a.published_at DESC NULLS LAST, a.id DESC
            LIMIT {CANDIDATE_LIMIT}
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*tsq_params, *where_params])
            return [(r[0], float(r[1]), r[2]) for r in cursor.fetchall()]
