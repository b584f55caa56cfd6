"""Search ranked by this machine's tantivy index (GAOKU_SEARCH_INDEX_DIR), public-ness checked by the database.

tantivy knows words, not who may read what: it gives candidate ids in score order, and the one
definition of what a search may return, `scope()` (base.py, on Article.objects.published), keeps those
the reader may see, one query per batch of candidates. A deleted, unpublished or not yet public
article is dropped there however stale the index is. Public articles are most of the collection, so
the first batch nearly always fills the page; when it does not, the next batch goes as deep as the
share kept so far says the page needs (at least twice as deep).

A reader's filter that leaves a small part of the collection would make that walk long (the best
matches of a common word, nearly all outside the filter), so the candidates are narrowed first, to a
superset of the scope the database then checks:

- the date range, inside tantivy (the index keeps the date);
- a tag's or regions' article ids (public or not, read from their link table's index in
  milliseconds): up to FILTER_LIMIT of them inside tantivy, as a set of ids (its cost grows with the
  set), up to WITHIN_LIMIT in this process, before the database's check (a set lookup).

A source, or a tag holding more articles than that, is left to the database's check.

The count is tantivy's (cheap, and exact for the words): when it is at most base.EXACT_COUNT_LIMIT
every match is checked, past it the estimate is tantivy's count times the share of the candidates
checked that were in scope (the best-ranked ones, not a random sample: where a filter is not applied
inside tantivy and its articles rank lower or higher than most, the estimate is off by as much;
within a factor of two in the figures at a million). Newest-first is a date order, which needs no ranking engine: the
database backend answers it, in its own order.
"""
from __future__ import annotations

import logging

from django.db import connection
from django.db.models import QuerySet

from .base import SearchBackend, related_ids
from .query import ParsedQuery, SearchFilters
from .tantivy_index import narrowing, open_index, to_query
from .tantivy_sync import database_label

logger = logging.getLogger(__name__)

# tantivy filters by a set of ids at about 10 ms plus 1 µs an id a search: worth it for a few thousand.
FILTER_LIMIT = 5_000
# Up to this many ids (a region's articles, say) are read to drop candidates before the database check.
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


class Walk:
    """One tantivy query's candidates, best first, checked against the scope as deep as any question asked.

    The page, the count and the estimate of one search share it: no candidate is fetched or checked twice.
    """

    def __init__(self, searcher, query, articles: QuerySet, allowed: set[int] | None):
        self.searcher, self.query, self.articles, self.allowed = searcher, query, articles, allowed
        self.total: int | None = None  # tantivy's count of the matches
        self.kept: list[int] = []  # the candidates in scope, best first
        self.checked = 0  # how many candidates were checked
        self.depth = 0  # how many were fetched
        self.exhausted = False

    def best(self, want: int) -> list[int]:
        """The best `want` candidates in scope (fewer when the matches run out)."""
        while len(self.kept) < want and not self.exhausted:
            self.depth = self._deeper(want)
            result = self.searcher.search(self.query, self.depth, count=self.total is None)
            if self.total is None:
                self.total = result.count
            ids = self._in_order(result.hits)
            # A deeper search begins with the shallower one: check only the rest.
            fresh = ids[self.checked:]
            if self.allowed is not None:
                fresh = [pk for pk in fresh if pk in self.allowed]
            self.kept += in_scope(self.articles, fresh)
            self.checked = len(ids)
        return self.kept[:want]

    def _in_order(self, hits) -> list[int]:
        """The ids of the hits by score, equal scores newest id first, as the database backends order them.

        tantivy breaks ties by where a document sits in the index, which a sync changes (an upsert moves a
        document): between two pages a tie could swap and repeat a result. So ties go by article id, and
        the hits tied with the last one are left for a deeper search, which may hold more of them.
        """
        self.exhausted = len(hits) < self.depth or len(hits) >= self.total
        ids = self.searcher.fast_field_values("article_id", [address for _, address in hits])
        ranked = sorted(zip((score for score, _ in hits), ids, strict=True), key=lambda hit: (-hit[0], -hit[1]))
        if not self.exhausted:
            ranked = [hit for hit in ranked if hit[0] > hits[-1][0]]
        return [pk for _, pk in ranked]

    def _deeper(self, want: int) -> int:
        """How deep to fetch next: as deep as the share of candidates kept so far says the page needs
        (a quarter more), at least twice as deep as before. Before any is checked, the share is guessed:
        all of them, or the allowed ids' share of the index."""
        if self.checked:
            share = max(len(self.kept), 0.5) / self.checked  # none kept yet: as if half of one was
        elif self.allowed is not None:
            share = max(len(self.allowed), 1) / max(self.searcher.num_docs, 1)
        else:
            share = 1.0
        needed = self.checked + (want - len(self.kept)) / min(share, 1.0) * 1.25 + 10
        return max(int(needed), 2 * self.depth)

    def count(self) -> int:
        if self.total is None:
            self.total = self.searcher.search(self.query, 1, count=True).count
        return self.total


class TantivyBackend(SearchBackend):
    """One search at a time per instance (get_backend() makes one a search): a search reads one searcher."""

    vendor = "tantivy"

    def __init__(self, path: str, *, database: SearchBackend):
        self.path = path
        self.database = database  # the vendor's backend: newest-first, and search until the first sync
        # Set by search() (_begin) for the primitives below, which answer within it.
        self._searcher = None
        self._walks: dict[tuple[ParsedQuery, bool], Walk] = {}
        self._allowed: set[int] | None = None
        self._narrowed: list = []

    def _begin(self, filters: SearchFilters) -> bool:
        """Take this search's searcher (one commit throughout) and filters; False when there is no index."""
        index = open_index(self.path, follows=database_label())
        self._searcher = index.searcher() if index is not None else None
        self._walks, self._allowed, self._narrowed = {}, None, []
        if index is not None and filters.narrowed:
            self._narrow(filters)
        return index is not None

    def _narrow(self, filters: SearchFilters) -> None:
        few = None
        for allowed in related_ids(filters):
            ids = list(allowed.order_by()[:WITHIN_LIMIT + 1])
            if len(ids) <= WITHIN_LIMIT and (few is None or len(ids) < len(few)):
                few = ids
        if few is not None and len(few) > FILTER_LIMIT:
            self._allowed, few = set(few), None
        self._narrowed = narrowing(date_from=filters.date_from, date_to=filters.date_to, article_ids=few)

    def search(self, query, *, filters=None, **kwargs):
        if not self._begin(filters or SearchFilters()):
            logger.warning("no search index of this database in %s yet: run `manage.py sync_search_index`; "
                           "the database answers meanwhile", self.path)
            return self.database.search(query, filters=filters, **kwargs)
        return super().search(query, filters=filters, **kwargs)

    def _walk(self, query: ParsedQuery, articles: QuerySet, *, in_title: bool = False) -> Walk:
        walk = self._walks.get((query, in_title))
        if walk is None or walk.articles is not articles:
            matching = to_query(query, in_title=in_title, narrowed=self._narrowed)
            walk = self._walks[query, in_title] = Walk(self._searcher, matching, articles, self._allowed)
        return walk

    # ---- the contract

    def ranked(self, query, articles, *, limit, in_title):
        return self._walk(query, articles, in_title=in_title).best(limit)

    def count_upto(self, query, articles, bound):
        walk = self._walk(query, articles)
        return len(walk.best(walk.count() if bound is None else bound))

    def estimate(self, query, articles):
        """tantivy's count of the matches times the share of the candidates checked that were in scope."""
        walk = self._walk(query, articles)  # the title tier is a biased sample: the whole query's candidates
        if not walk.checked:
            walk.best(min(walk.count(), SAMPLE))
        return round(walk.count() * len(walk.kept) / walk.checked) if walk.checked else 0

    def newest(self, query, articles, *, limit):
        return self.database.newest(query, articles, limit=limit)
