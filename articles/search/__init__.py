"""Full text search over SearchDocument; the backend is chosen by the database vendor."""
from __future__ import annotations

from django.db import connection

from .base import CANDIDATE_LIMIT, RESULT_WINDOW, SearchBackend
from .documents import document_for, index_article, rebuild_index
from .fallback import FallbackBackend
from .postgres import PostgresBackend
from .query import ParsedQuery, SearchFilters, SearchHits, highlight, parse_query
from .sqlite import SqliteBackend

_BACKENDS = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}


def get_backend() -> SearchBackend:
    return _BACKENDS.get(connection.vendor, FallbackBackend)()


def search(text: str, **kwargs) -> SearchHits:
    return get_backend().search(parse_query(text), **kwargs)


__all__ = [
    "CANDIDATE_LIMIT", "RESULT_WINDOW", "ParsedQuery", "SearchBackend", "SearchFilters", "SearchHits", "document_for",
    "get_backend", "highlight", "index_article", "parse_query", "rebuild_index", "search",
]
