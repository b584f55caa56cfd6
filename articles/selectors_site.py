"""Reads for the public site. Every function runs a bounded, constant number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, UTC

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Min
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from taggit.models import Tag

from .models import Article, Region, Status, TaggedArticle

PER_PAGE = 20
COUNT_CACHE_SECONDS = 3600  # a version change makes a new key; this only bounds memory


def public_articles(now=None):
    return Article.objects.published(now)


# ---- dates a reader may ask for (archive paths, search filters)

# A day outside this range is no filter at all: its start in Shanghai would not survive the
# conversion to UTC and the database (year 0, year 10000), and no page was written then.
FIRST_DAY, LAST_DAY = date(1000, 1, 1), date(9998, 12, 31)


def day_start(day: date) -> datetime | None:
    """The start of a day in the site's time zone, or None for a day outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def month_start(year: int, month: int) -> datetime | None:
    """The start of a month, or None for a year or month out of range (a URL can hold any number)."""
    if not (FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= month <= 12):
        return None
    return day_start(date(year, month, 1))


# ---- keyset pagination: ?before=<published_at µs>,<id> / ?after=… (no OFFSET, no COUNT)


@dataclass(frozen=True)
class Cursor:
    published_at: datetime | None
    pk: int

    def encode(self) -> str:
        stamp = "none" if self.published_at is None else str(int(self.published_at.timestamp() * 1_000_000))
        return f"{stamp},{self.pk}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        """A cursor from the query string, or None when it is missing or malformed."""
        if not raw:
            return None
        stamp, _, pk = raw.partition(",")
        try:
            pk_value = int(pk)
            when = None if stamp == "none" else datetime.fromtimestamp(int(stamp) / 1_000_000, tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None
        return cls(when, pk_value)

    @classmethod
    def of(cls, article) -> Cursor:
        return cls(article.published_at, article.pk)


def _row(op: str, c: Cursor):
    """(published_at, id) <op> cursor as one row comparison, so the index bounds the scan (an OR would not)."""
    table = Article._meta.db_table
    sql = f"({table}.published_at, {table}.id) {op} (%s, %s)"
    value = connection.ops.adapt_datetimefield_value(c.published_at)
    return ExpressionWrapper(RawSQL(sql, [value, c.pk]), output_field=BooleanField())


def _oldest_first(qs):
    return qs.order_by(F("published_at").asc(nulls_first=True), "pk")


def older(qs, c: Cursor, n: int) -> list:
    """Up to n rows after the cursor in newest-first order (dated rows first, then undated ones)."""
    if c.published_at is None:
        return list(qs.filter(published_at__isnull=True, pk__lt=c.pk).newest_first()[:n])
    rows = list(qs.filter(_row("<", c)).newest_first()[:n])
    if len(rows) < n:
        rows += list(qs.filter(published_at__isnull=True).newest_first()[: n - len(rows)])
    return rows


def newer(qs, c: Cursor, n: int) -> list:
    """Up to n rows before the cursor in newest-first order, nearest first."""
    if c.published_at is not None:
        return list(_oldest_first(qs.filter(_row(">", c)))[:n])
    rows = list(_oldest_first(qs.filter(published_at__isnull=True, pk__gt=c.pk))[:n])
    if len(rows) < n:
        rows += list(_oldest_first(qs.filter(published_at__isnull=False))[: n - len(rows)])
    return rows


@dataclass
class Page:
    items: list
    before: str | None  # cursor for the next (older) page
    after: str | None  # cursor for the previous (newer) page


def keyset_page(queryset, *, before: str | None = None, after: str | None = None, per_page: int = PER_PAGE) -> Page:
    """One page of a newest-first list in a bounded number of queries, whatever the depth."""
    # Cards show region names only, so regions' parents are not fetched.
    qs = queryset.select_related("source").prefetch_related("regions", "tags").defer("raw_text", "body", "extraction")
    after_c = Cursor.decode(after)
    before_c = None if after_c else Cursor.decode(before)
    if after_c:
        rows = newer(qs, after_c, per_page + 1)
        has_newer = len(rows) > per_page
        items = list(reversed(rows[:per_page]))
        has_older = True
    else:
        rows = older(qs, before_c, per_page + 1) if before_c else list(qs.newest_first()[: per_page + 1])
        has_older = len(rows) > per_page
        items = rows[:per_page]
        has_newer = before_c is not None
    return Page(
        items=items,
        before=Cursor.of(items[-1]).encode() if items and has_older else None,
        after=Cursor.of(items[0]).encode() if items and has_newer else None,
    )


# ---- counts for indexes and the home page: aggregated once, cached under a version that cannot go stale
#
# The cache key carries a version read from the database on every use: the newest row of the
# article history (simple_history writes one for every save, delete and bulk import of an article,
# whichever process made it: the import worker's writes reach the web processes), plus a generation
# number the signal receivers in articles/signals.py bump when tags, regions or sources change. A
# cached value also remembers when the next scheduled article goes live and is rebuilt from then on.

GENERATION_KEY = "site:generation"


def bump_generation() -> None:
    """Called by signal receivers: every cached count is rebuilt on its next use."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, 1, None)


def cache_version() -> str:
    """Changes whenever anything a cached count depends on changes. One query on primary keys."""
    newest = Article.history.model.objects.aggregate(h=Max("history_id"))["h"]
    return f"{cache.get(GENERATION_KEY, 0)}.{newest or 0}"


def _next_scheduled(now):
    return (
        Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=now)
        .aggregate(first=Min("publish_at"))["first"]
    )


def _cached(name: str, build):
    key = f"site:{name}:{cache_version()}"
    hit = cache.get(key)
    now = timezone.now()
    if hit is not None and (hit[1] is None or now < hit[1]):
        return hit[0]
    value = build()
    cache.set(key, (value, _next_scheduled(now)), COUNT_CACHE_SECONDS)
    return value


def tag_counts(limit: int | None = None) -> list[dict]:
    def build():
        rows = (
            TaggedArticle.objects.filter(content_object__in=public_articles().values("pk"))
            .values("tag_id", "tag__name", "tag__slug")
            .annotate(n=Count("id"))
            .order_by("-n", "tag__name")
        )
        return [{"name": r["tag__name"], "slug": r["tag__slug"], "count": r["n"]} for r in rows]

    rows = _cached("tag_counts", build)
    return rows[:limit] if limit else rows


def region_counts() -> dict[int, int]:
    """Public articles per region id; a province's figure includes its cities' articles."""

    def build():
        through = Article.regions.through
        public = through.objects.filter(article_id__in=public_articles().values("pk"))
        counts = dict(
            public.filter(region__parent__isnull=False)
            .values_list("region_id").annotate(n=Count("article_id", distinct=True))
        )
        counts.update(
            public.annotate(province=Coalesce("region__parent_id", "region_id"))
            .values_list("province").annotate(n=Count("article_id", distinct=True))
        )
        return counts

    return _cached("region_counts", build)


def archive_months() -> list[tuple[int, int, int]]:
    """(year, month, public articles) for every month with any, newest first, months in the site's time zone."""

    def build():
        rows = (
            public_articles().filter(published_at__isnull=False)
            .annotate(m=TruncMonth("published_at")).values("m").annotate(n=Count("id")).order_by("-m")
        )
        return [(r["m"].year, r["m"].month, r["n"]) for r in rows]

    return _cached("archive_months", build)


def busiest_regions(limit: int = 10) -> list[tuple[Region, int]]:
    counts = region_counts()
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:limit]
    regions = Region.objects.select_related("parent").in_bulk([pk for pk, _ in top])
    return [(regions[pk], n) for pk, n in top if pk in regions]


def region_tree() -> list[tuple[Region, int, list[tuple[Region, int]]]]:
    """Provinces with public articles, each with its cities and counts."""
    counts = region_counts()
    regions = list(Region.objects.filter(pk__in=list(counts)).select_related("parent").order_by("code"))
    provinces = [r for r in regions if r.parent_id is None]
    children: dict[int, list] = {}
    for r in regions:
        if r.parent_id:
            children.setdefault(r.parent_id, []).append((r, counts[r.pk]))
    return [(p, counts[p.pk], children.get(p.pk, [])) for p in provinces]


def city_counts(province: Region) -> list[tuple[Region, int]]:
    counts = region_counts()
    return [(c, counts[c.pk]) for c in province.children.order_by("code") if c.pk in counts]


def tag_by_slug(slug: str):
    return Tag.objects.filter(slug=slug).first()


# ---- one article


def article_for_reader(pk: int):
    return (
        public_articles()
        .select_related("source")
        .prefetch_related("regions__parent", "tags")
        .filter(pk=pk)
        .first()
    )


def neighbours(article) -> tuple:
    """(newer, older) public articles next to this one in the newest-first order."""
    cursor = Cursor.of(article)
    base = public_articles().only("id", "title", "published_at")
    older_rows = older(base, cursor, 1)
    newer_rows = newer(base, cursor, 1)
    return (newer_rows[0] if newer_rows else None), (older_rows[0] if older_rows else None)


def related_articles(article, limit: int = 5) -> list:
    """Public articles sharing tags or regions, most shared first, among recent candidates."""
    tag_ids = [t.pk for t in article.tags.all()]
    region_ids = [r.pk for r in article.regions.all()]
    scores: dict[int, int] = {}
    if tag_ids:
        for pk in (
            TaggedArticle.objects.filter(tag_id__in=tag_ids).exclude(content_object_id=article.pk)
            .order_by("-content_object_id").values_list("content_object_id", flat=True)[:300]
        ):
            scores[pk] = scores.get(pk, 0) + 2
    if region_ids:
        through = Article.regions.through
        for pk in (
            through.objects.filter(region_id__in=region_ids).exclude(article_id=article.pk)
            .order_by("-article_id").values_list("article_id", flat=True)[:300]
        ):
            scores[pk] = scores.get(pk, 0) + 1
    if not scores:
        return []
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[: limit * 4]
    found = public_articles().filter(pk__in=best).only("id", "title", "published_at", "date_only").in_bulk()
    return [found[pk] for pk in best if pk in found][:limit]
