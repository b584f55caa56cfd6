"""Search ranked by this machine's tantivy index (GAOKU_SEARCH_INDEX_DIR), public-ness checked by the database.

tantivy knows words, not who may read what: it gives candidate ids in score order, and the one
definition of what a search may return, `scope()` (base.py, on Article.objects.published), keeps those
the reader may see, in one query per batch. A deleted, unpublished or not yet public article is
dropped there however stale the index is.

- Wide scopes (every public article, the editors' desk): candidates are checked in score order,
  fetching twice as deep until the page is full or the matches run out. Public articles are most of
  the collection, so the first batch nearly always fills the page.
- Narrow scopes (a tag, region, source or dates): checking the best matches of a common word would
  mostly find articles outside the filter. When the scope holds at most WITHIN_LIMIT articles their
  ids are fetched once and given to tantivy as a filter: every match is then in scope, and counted
  exactly by tantivy. A larger narrow scope is checked like a wide one.

The count is tantivy's (cheap): exact up to base.EXACT_COUNT_LIMIT by checking every match, past it
tantivy's count times the share of the candidates checked that were in scope. Newest-first is a date
order, which needs no ranking engine: the database backend answers it, in its own order.
"""
from __future__ import annotations

import logging

from django.db import connection
from django.db.models import QuerySet

from .base import SearchBackend
from .tantivy_index import open_index, to_query

logger = logging.getLogger(__name__)

# A narrow scope of at most this many articles is fetched and handed to tantivy as a filter (a few
# tens of milliseconds at most); a larger one is checked candidate by candidate.
WITHIN_LIMIT = 50_000
# Candidates checked to estimate the share in scope when no page was ranked (a page past the window).
SAMPLE = 200


def in_scope(articles: QuerySet, ids: list[int]) -> list[int]:
    """The ids `articles` holds, in the order given."""
    size = (connection.features.max_query_params or 10_000) - 1  # SQLite takes 999 parameters
    found: set[int] = set()
    for start in range(0, len(ids), size):
        found.update(articles.filter(pk__in=ids[start:start + size]).order_by().values_list("pk", flat=True))
    return [pk for pk in ids if pk in found]


class TantivyBackend(SearchBackend):
    """One search per instance (get_backend() makes one): a search reads one searcher, one commit."""

    vendor = "tantivy"

    def __init__(self, path: str, *, database: SearchBackend):
        self.path = path
        self.database = database  # the vendor's backend: newest-first, and search until the first sync
        self._reset(narrow=False)

    def _reset(self, *, narrow: bool):
        index = open_index(self.path)
        self._searcher = index.searcher() if index is not None else None
        self._narrow = narrow
        self._within: dict[tuple, list[int] | None] = {}
        self._share: tuple[int, int] | None = None  # (kept, checked) of the last candidates checked

    def search(self, query, *, filters=None, **kwargs):
        self._reset(narrow=filters is not None and filters.narrowed)
        if self._searcher is None:
            logger.warning("no search index in %s yet: run `manage.py sync_search_index`; the database "
                           "answers meanwhile", self.path)
            return self.database.search(query, filters=filters, **kwargs)
        return super().search(query, filters=filters, **kwargs)

    # ---- tantivy

    def _ids(self, query, limit: int) -> list[int]:
        """Article ids of the best `limit` matches, read from the fast field (no stored document is read)."""
        hits = self._searcher.search(query, limit, count=False).hits
        return self._searcher.fast_field_values("article_id", [address for _, address in hits])

    def _matches(self, query) -> int:
        return self._searcher.search(query, 1, count=True).count

    def _within_scope(self, articles: QuerySet) -> list[int] | None:
        """The ids of a narrow scope when it is small enough to hand to tantivy; None otherwise."""
        if not self._narrow:
            return None
        sql, params = articles.query.sql_with_params()
        key = (sql, tuple(params))
        if key not in self._within:
            ids = list(articles.order_by().values_list("pk", flat=True)[:WITHIN_LIMIT + 1])
            self._within[key] = ids if len(ids) <= WITHIN_LIMIT else None
        return self._within[key]

    def _checked(self, query, articles: QuerySet, want: int, *, sample: bool = True) -> list[int]:
        """The best `want` candidates in scope, checked in batches twice as deep each time; with `sample`
        how many were kept of how many checked is remembered for the estimate."""
        depth = want + want // 4 + 10  # most candidates are public: one batch nearly always fills the page
        kept: list[int] = []
        checked = 0
        while True:
            ids = self._ids(query, depth)
            # A deeper search begins with the shallower one (ties keep the index's order): check only the rest.
            kept += in_scope(articles, ids[checked:])
            checked = len(ids)
            if len(kept) >= want or checked < depth:
                break
            depth *= 2
        if sample:
            self._share = (len(kept), checked)
        return kept[:want]

    # ---- the contract

    def ranked(self, query, articles, *, limit, in_title):
        within = self._within_scope(articles)
        matching = to_query(query, in_title=in_title, within=within)
        if within is not None:
            return self._ids(matching, limit)  # every match is in scope
        # The title tier is a biased sample of the matches: only the whole query's candidates estimate the share.
        return self._checked(matching, articles, limit, sample=not in_title)

    def count_upto(self, query, articles, bound):
        within = self._within_scope(articles)
        matching = to_query(query, within=within)
        total = self._matches(matching)
        if within is not None:
            return total if bound is None else min(total, bound)
        return len(self._checked(matching, articles, total if bound is None else min(total, bound)))

    def estimate(self, query, articles):
        """None (count exactly) for a scope tantivy filtered; else tantivy's count times the share in scope."""
        if self._within_scope(articles) is not None:
            return None
        matching = to_query(query)
        total = self._matches(matching)
        if self._share is None:
            self._checked(matching, articles, min(total, SAMPLE))
        kept, checked = self._share
        return round(total * kept / checked) if checked else 0

    def newest(self, query, articles, *, limit):
        return self.database.newest(query, articles, limit=limit)
