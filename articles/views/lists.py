"""Newest-first lists with keyset pagination, and the tag and region indexes."""
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles import selectors_site as site
from articles.models import Region, Source


def _render_list(request, queryset, **context):
    page = site.keyset_page(queryset, before=request.GET.get("before"), after=request.GET.get("after"))
    return render(request, "articles/article_list.html", {"page": page, **context})


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
        feed_name="articles:tag_feed", feed_arg=tag.slug,
    )


@require_GET
def region_detail(request, code):
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    cities = site.city_counts(region) if region.level == Region.Level.PROVINCE else []
    return _render_list(
        request, site.public_articles().in_region(region), heading=str(region), region=region, cities=cities,
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
    return _render_list(request, qs, heading=f"{year}年", year=year)


@require_GET
def archive_month(request, year, month):
    start = _month_start(year, month)
    end = site.month_start(year + (month == 12), month % 12 + 1)
    qs = site.public_articles().filter(published_at__gte=start)
    if end:
        qs = qs.filter(published_at__lt=end)
    return _render_list(request, qs, heading=f"{year}年{month}月", year=year, month=month)


@require_GET
def tag_index(request):
    return render(request, "articles/tag_index.html", {"tags": site.tag_counts()})


@require_GET
def region_index(request):
    return render(request, "articles/region_index.html", {"tree": site.region_tree()})
