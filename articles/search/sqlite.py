"""SQLite: an FTS5 table over SearchDocument (external content, kept in step by triggers), bm25-ranked."""
from __future__ import annotations

from .base import ARTICLE_TABLE, SqlSearchBackend

FTS_TABLE = "articles_search_fts"
# bm25 weights for the FTS columns (title, meta, body).
WEIGHTS = (10.0, 4.0, 1.0)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expression(query, *, in_title: bool = False) -> str:
    """Tokens ANDed; a phrase is one quoted string, which FTS5 matches as adjacent tokens."""
    parts = [_quote(t) for t in query.terms]
    parts += [_quote(" ".join(p)) for p in query.phrases]
    expression = " AND ".join(parts)
    return f"title : ({expression})" if in_title else expression


class SqliteBackend(SqlSearchBackend):
    vendor = "sqlite"
    source = f"{FTS_TABLE} f"
    id_column = "f.rowid"
    dated_source = f"{FTS_TABLE} f JOIN {ARTICLE_TABLE} a ON a.id = f.rowid"
    newest_order = "a.published_at IS NULL, a.published_at DESC, a.id DESC"
    unbounded = -1

    def match(self, query, *, in_title):
        return f"{FTS_TABLE} MATCH %s", [fts_expression(query, in_title=in_title)]

    def rank_order(self, query):
        weights = ", ".join(str(w) for w in WEIGHTS)
        return f"bm25({FTS_TABLE}, {weights}), f.rowid DESC", []
