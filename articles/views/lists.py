"""Newest-first lists with keyset pagination, and the tag, region and archive indexes."""
import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles import selectors_site as site
from articles.models import Region, Source

from .nav import archive_trail, region_trail, trail

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month_param(raw):
    """(year, month) from a "YYYY-MM" jump, or None when absent or out of range."""
    m = _MONTH.match(raw or "")
    if m and site.month_start(int(m[1]), int(m[2])):
        return int(m[1]), int(m[2])
    return None


def _render_list(request, queryset, **context):
    before = request.GET.get("before")
    jump = _month_param(request.GET.get("month"))
    if jump:  # the list from the end of that month back
        year, month = jump
        end = site.month_start(year + (month == 12), month % 12 + 1)
        before = site.Cursor(end, 0).encode() if end else None
    page = site.keyset_page(queryset, before=before, after=None if jump else request.GET.get("after"))
    if context.pop("only_if_public", False) and not page.items and not (
            jump or request.GET.get("before") or request.GET.get("after")):
        # A tag only drafts use (often an extraction's junk word) has no public page. An empty
        # first page says so without another query.
        raise Http404("没有这个标签")
    context.setdefault("crumbs", trail((context["heading"], request.path)))
    dated = [a.published_at for a in page.items if a.published_at]  # undated articles come last
    return render(request, "articles/article_list.html", {
        "page": page, "months": site.archive_months(), "jump": jump,
        "newest": dated[0] if dated else None, "oldest": dated[-1] if dated else None,
        "popular_tags": [] if page.items else site.tag_counts(limit=12), **context,
    })


@require_GET
def article_list(request):
    return _render_list(request, site.public_articles(), heading="全部文章")


@require_GET
def tag_detail(request, slug):
    tag = site.tag_by_slug(slug)
    if tag is None:
        raise Http404("没有这个标签")
    return _render_list(
        request, site.public_articles().tagged(tag), heading=f"标签：{tag.name}", tag=tag,
        crumbs=trail(("标签", reverse("articles:tag_index")), (tag.name, request.path)), only_if_public=True,
        feed_name="articles:tag_feed", feed_arg=tag.slug,
    )


@require_GET
def region_detail(request, code):
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    cities = site.city_counts(region) if region.level == Region.Level.PROVINCE else []
    return _render_list(
        request, site.public_articles().in_region(region), heading=str(region), region=region, cities=cities,
        crumbs=region_trail(region),
        feed_name="articles:region_feed", feed_arg=region.code,
    )


@require_GET
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return _render_list(
        request, site.public_articles().filter(source=source), heading=f"来源：{source.name}", source=source,
        feed_name="articles:source_feed", feed_arg=source.slug,
    )


def _month_start(year, month):
    start = site.month_start(year, month)
    if start is None:
        raise Http404("没有这个日期")
    return start


@require_GET
def archive_year(request, year):
    start, end = _month_start(year, 1), site.month_start(year + 1, 1)
    qs = site.public_articles().filter(published_at__gte=start)
    if end:
        qs = qs.filter(published_at__lt=end)
    return _render_list(request, qs, heading=f"{year}年", year=year, crumbs=archive_trail(year))


@require_GET
def archive_month(request, year, month):
    start = _month_start(year, month)
    end = site.month_start(year + (month == 12), month % 12 + 1)
    qs = site.public_articles().filter(published_at__gte=start)
    if end:
        qs = qs.filter(published_at__lt=end)
    return _render_list(request, qs, heading=f"{year}年{month}月", year=year, month=month,
                        crumbs=archive_trail(year, month))


@require_GET
def archive_index(request):
    """Years and months with their counts; ?month=YYYY-MM (the jump form) goes to that month."""
    jump = _month_param(request.GET.get("month"))
    if jump:
        return redirect("articles:archive_month", *jump)
    years: dict[int, list] = {}
    for year, month, n in site.archive_months():
        years.setdefault(year, []).append((month, n))
    return render(request, "articles/archive_index.html", {
        "years": [(y, sum(n for _, n in months), months) for y, months in years.items()],
        "crumbs": archive_trail(),
    })


@require_GET
def tag_index(request):
    context = {"tags": site.tag_counts(), "crumbs": trail(("标签", request.path))}
    return render(request, "articles/tag_index.html", context)


@require_GET
def region_index(request):
    context = {"tree": site.region_tree(), "crumbs": trail(("地区", request.path))}
    return render(request, "articles/region_index.html", context)
