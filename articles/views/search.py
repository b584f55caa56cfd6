from datetime import datetime, timedelta

from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles import search as engine
from articles import selectors_site as site
from articles.ingest.script import to_simplified, to_traditional
from articles.models import Region, Source

from .nav import trail

PER_PAGE = 20
MAX_PAGE = engine.RESULT_WINDOW // PER_PAGE


def _day(raw, *, next_day=False):
    """A date filter (YYYY-MM-DD) as the start of that day, or of the next; None when absent or unusable."""
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    if next_day:
        if day >= site.LAST_DAY:
            return None
        day += timedelta(days=1)
    return site.day_start(day)


def _page_number(raw):
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request):
    q = request.GET.get("q", "").strip()
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    tag = site.tag_by_slug(request.GET["tag"]) if request.GET.get("tag") else None
    region = Region.objects.filter(code=request.GET["region"]).first() if request.GET.get("region") else None
    source = Source.objects.filter(slug=request.GET["source"]).first() if request.GET.get("source") else None
    region_ids = ()
    if region:
        region_ids = (region.pk, *region.children.values_list("pk", flat=True))
    filters = engine.SearchFilters(
        tag_id=tag.pk if tag else None,
        region_ids=tuple(region_ids),
        source_id=source.pk if source else None,
        date_from=_day(request.GET.get("from")),
        date_to=_day(request.GET.get("to"), next_day=True),
    )
    number = _page_number(request.GET.get("page"))
    query = engine.parse_query(q)
    hits = engine.get_backend().search(query, filters=filters, sort=sort, offset=(number - 1) * PER_PAGE,
                                       limit=PER_PAGE)
    # Results show title, date, source and a body snippet: no tags or regions to prefetch.
    found = site.public_articles().select_related("source").defer("raw_text", "extraction").in_bulk(hits.ids)
    results = [
        {"article": found[pk], "title": engine.highlight(found[pk].title, query, width=500),
         "snippet": engine.highlight(found[pk].body, query)}
        for pk in hits.ids if pk in found
    ]
    # With nothing found: the words in the other script (a reader may have typed either) and what to read instead.
    other_q = ""
    if q and not results:
        other_q = next((c for c in (to_traditional(q), to_simplified(q)) if c != q), "")
    last_page = max(1, (min(hits.total, engine.RESULT_WINDOW) + PER_PAGE - 1) // PER_PAGE)
    return render(
        request,
        "articles/search.html",
        {
            "q": q, "sort": sort, "results": results, "hits": hits, "number": number, "window": engine.RESULT_WINDOW,
            "has_next": number < last_page, "has_previous": number > 1,
            "tag": tag, "region": region, "source": source,
            "date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", ""),
            "tags": site.tag_counts(limit=50), "other_q": other_q,
            "popular_tags": site.tag_counts(limit=12) if q and not results else [],
            "crumbs": trail(("搜索", request.path)),
        },
    )
