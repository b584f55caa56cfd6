"""Full text search over SearchDocument; the backend is chosen by the database vendor, or is tantivy's
where GAOKU_SEARCH_INDEX_DIR is set."""
from __future__ import annotations

from django.conf import settings
from django.db import connection

from .base import CANDIDATE_LIMIT, RESULT_WINDOW, SearchBackend
from .documents import document_for, index_article, rebuild_index
from .fallback import FallbackBackend
from .postgres import PostgresBackend
from .query import ParsedQuery, SearchFilters, SearchHits, highlight, parse_query
from .sqlite import SqliteBackend
from .tantivy_backend import TantivyBackend

_BACKENDS = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}


def database_backend() -> SearchBackend:
    """The database's own full text search."""
    return _BACKENDS.get(connection.vendor, FallbackBackend)()


def get_backend() -> SearchBackend:
    if settings.GAOKU_SEARCH_INDEX_DIR:
        return TantivyBackend(settings.GAOKU_SEARCH_INDEX_DIR, database=database_backend())
    return database_backend()


def search(text: str, **kwargs) -> SearchHits:
    return get_backend().search(parse_query(text), **kwargs)


__all__ = [
    "CANDIDATE_LIMIT", "RESULT_WINDOW", "ParsedQuery", "SearchBackend", "SearchFilters", "SearchHits",
    "database_backend", "document_for", "get_backend", "highlight", "index_article", "parse_query", "rebuild_index",
    "search",
]
