"""The backend contract: relevance over every match, filters as one queryset, an exact or estimated count.

Relevance is two tiers, each ordered by the backend's score: articles whose title matches the whole
query come first, then the rest. A backend gives three primitives over the articles a search may
see (`scope`, the one QuerySet every backend filters by): the best ids of a tier, the newest ids,
and a count that stops at a bound.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article, SearchDocument, TaggedArticle

from .query import ParsedQuery, SearchFilters, SearchHits

# The deepest a reader pages into one search's results (the count still covers every match): like
# a search engine's result window, it bounds the cost of a page whatever the query.
RESULT_WINDOW = 1000
CANDIDATE_LIMIT = RESULT_WINDOW  # the name the editors' desk asks for its ranked ids by
# Up to this many matches the count is exact (counting joins each match to its article to check it is
# public: cheap for a thousand, not for half a million); past it a backend may give an estimate instead.
EXACT_COUNT_LIMIT = 1000


def scope(filters: SearchFilters, now) -> QuerySet:
    """The articles a search may return: public now (Article.objects.published) and the reader's filters.

    The one set of filters for every backend: the SQL backends embed this queryset's SQL, the fallback
    uses it as it is.
    """
    articles = Article.objects.published(now) if filters.public_only else Article.objects.all()
    if filters.source_id:
        articles = articles.filter(source_id=filters.source_id)
    if filters.date_from:
        articles = articles.filter(published_at__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(published_at__lt=filters.date_to)
    for allowed in related_ids(filters):
        articles = articles.filter(pk__in=allowed)
    return articles


def related_ids(filters: SearchFilters) -> list[QuerySet]:
    """The filters on a related table (a tag, regions), each as the ids of the articles it allows, public
    or not. Part of scope(); a backend may also read one on its own, from its index, to narrow its search."""
    allowed = []
    if filters.tag_id:
        allowed.append(TaggedArticle.objects.filter(tag_id=filters.tag_id).values_list("content_object_id", flat=True))
    if filters.region_ids:
        through = Article.regions.through.objects.filter(region_id__in=filters.region_ids)
        allowed.append(through.values_list("article_id", flat=True))
    return allowed


def scope_sql(articles: QuerySet) -> tuple[str, list]:
    """The ids of `articles` as an SQL subquery with its parameters."""
    sql, params = articles.order_by().values("pk").query.sql_with_params()  # unordered: the planner flattens it
    return sql, list(params)


class SearchBackend:
    vendor = ""

    def search(
        self, query: ParsedQuery, *, filters: SearchFilters | None = None, sort: str = "relevance",
        offset: int = 0, limit: int = 20, now=None,
    ) -> SearchHits:
        if query.empty:
            return SearchHits()
        articles = scope(filters or SearchFilters(), now or timezone.now())
        offset = max(0, offset)
        want = min(offset + limit, RESULT_WINDOW)
        if offset >= want:
            ordered = []  # past the result window: the count, no page
        elif sort == "date":
            ordered = self.newest(query, articles, limit=want)
        else:
            ordered = self.relevant(query, articles, want)
        # Counted even when this page holds every match: the queries a search makes stay the same in number.
        total, exact = self.count(query, articles)
        return SearchHits(ids=ordered[offset:want], total=total, exact=exact)

    def relevant(self, query: ParsedQuery, articles: QuerySet, want: int) -> list[int]:
        """The first `want` ids by relevance: title matches first, each tier by score."""
        titled = self.ranked(query, articles, limit=want, in_title=True)
        if len(titled) >= want:
            return titled
        # Everything ranked, the title tier removed: it is smaller than `want`, so this stays bounded.
        seen = set(titled)
        rest = self.ranked(query, articles, limit=want + len(titled), in_title=False)
        return (titled + [pk for pk in rest if pk not in seen])[:want]

    def count(self, query: ParsedQuery, articles: QuerySet) -> tuple[int, bool]:
        """(matches, exact): exact up to EXACT_COUNT_LIMIT; past it the backend's estimate, if it has one."""
        estimate = self.estimate(query, articles)
        if estimate is not None and estimate > 2 * EXACT_COUNT_LIMIT:
            return estimate, False  # clearly past the exact range: not worth a count that stops anyway
        counted = self.count_upto(query, articles, EXACT_COUNT_LIMIT + 1)
        if counted <= EXACT_COUNT_LIMIT:
            return counted, True
        if estimate is None:
            return self.count_upto(query, articles, None), True
        return max(estimate, counted), False

    # ---- what a backend provides

    def ranked(self, query: ParsedQuery, articles: QuerySet, *, limit: int, in_title: bool) -> list[int]:
        """Ids of matching `articles` by score, best first; with in_title only those whose title matches."""
        raise NotImplementedError("give your backend a ranked() method")

    def newest(self, query: ParsedQuery, articles: QuerySet, *, limit: int) -> list[int]:
        """Ids of matching `articles`, newest first."""
        raise NotImplementedError("give your backend a newest() method")

    def count_upto(self, query: ParsedQuery, articles: QuerySet, bound: int | None) -> int:
        """How many `articles` match, counting no further than `bound` (None: all of them)."""
        raise NotImplementedError("give your backend a count_upto() method")

    def estimate(self, query: ParsedQuery, articles: QuerySet) -> int | None:
        """A cheap estimate of the matches, or None to have them counted exactly."""
        return None


class SqlSearchBackend(SearchBackend):
    """A backend in SQL over one table of matches: subclasses say how to match, rank and date."""

    source = ""  # FROM: the match table with its alias
    id_column = ""  # the article id in it
    dated_source = ""  # FROM for newest(): where the date is
    newest_order = ""
    unbounded = None  # the LIMIT value meaning "no limit"

    def match(self, query: ParsedQuery, *, in_title: bool) -> tuple[str, list]:
        """A WHERE condition matching the query (in the title only, with in_title) and its parameters."""
        raise NotImplementedError("give your backend a match() method")

    def rank_order(self, query: ParsedQuery) -> tuple[str, list]:
        """An ORDER BY putting the best match first, and its parameters."""
        raise NotImplementedError("give your backend a rank_order() method")

    def _where(self, query, articles, *, in_title: bool = False) -> tuple[str, list]:
        condition, params = self.match(query, in_title=in_title)
        sql, scope_params = scope_sql(articles)
        return f"{condition} AND {self.id_column} IN ({sql})", [*params, *scope_params]

    def _column(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def ranked(self, query, articles, *, limit, in_title):
        where, params = self._where(query, articles, in_title=in_title)
        order, order_params = self.rank_order(query)
        sql = f"SELECT {self.id_column} FROM {self.source} WHERE {where} ORDER BY {order} LIMIT %s"
        return self._column(sql, [*params, *order_params, limit])

    def newest(self, query, articles, *, limit):
        where, params = self._where(query, articles)
        sql = f"SELECT {self.id_column} FROM {self.dated_source} WHERE {where} ORDER BY {self.newest_order} LIMIT %s"
        return self._column(sql, [*params, limit])

    def count_upto(self, query, articles, bound):
        where, params = self._where(query, articles)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {self.source} WHERE {where} LIMIT %s) matched"
        return self._column(sql, [*params, self.unbounded if bound is None else bound])[0]


DOC_TABLE = SearchDocument._meta.db_table
ARTICLE_TABLE = Article._meta.db_table
