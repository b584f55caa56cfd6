"""SQLite: an FTS5 table over SearchDocument (external content, kept in step by triggers), bm25-ranked."""
from __future__ import annotations

from django.db import connection

from .base import ARTICLE_TABLE, CANDIDATE_LIMIT, SearchBackend, filter_sql

FTS_TABLE = "articles_search_fts"
# bm25 weights for the FTS columns (title, meta, body).
WEIGHTS = (10.0, 4.0, 1.0)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expression(query) -> str:
    """Tokens ANDed; a phrase is one quoted string, which FTS5 matches as adjacent tokens."""
    parts = [_quote(t) for t in query.terms]
    parts += [_quote(" ".join(p)) for p in query.phrases]
    return " AND ".join(parts)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def candidates(self, query, filters, now):
        where, where_params = filter_sql(filters, now)
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = f"""
            SELECT f.rowid, -bm25({FTS_TABLE}, {weights}), f.title
            FROM {FTS_TABLE} f
            JOIN {ARTICLE_TABLE} a ON a.id = f.rowid
            WHERE {FTS_TABLE} MATCH %s AND {where}
            ORDER BY a.published_at IS NULL, a.published_at DESC, a.id DESC
            LIMIT {CANDIDATE_LIMIT}
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [fts_expression(query), *where_params])
            return [(r[0], float(r[1]), r[2] or "") for r in cursor.fetchall()]
