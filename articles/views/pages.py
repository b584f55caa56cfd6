import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET

from articles import selectors_site as site

from .nav import article_trail, trail
from .script import reader_script


@require_GET
def home(request):
    page = site.keyset_page(site.public_articles(), per_page=12)
    return render(
        request,
        "articles/home.html",
        {
            "page": page,
            "regions": site.busiest_regions(12),
            "tags": site.tag_counts(limit=30),
            "crumbs": trail(),
        },
    )


def _updated_at(request, pk):
    return site.public_articles().filter(pk=pk).values_list("updated_at", flat=True).first()


def _etag(request, pk):
    updated = _updated_at(request, pk)
    return None if updated is None else f'"{pk}-{updated.timestamp():.6f}-{reader_script(request)}"'


@require_GET
@condition(etag_func=_etag, last_modified_func=_updated_at)
def article_detail(request, pk):
    article = site.article_for_reader(pk)
    if article is None:
        raise Http404("没有这篇文章")
    newer, older = site.neighbours(article)
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "newer": newer, "older": older, "related": site.related_articles(article),
         "crumbs": article_trail(article)},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def share_qr(request, pk):
    """The article's address as a QR code (SVG) for WeChat's 扫一扫; drawn here, no third-party service."""
    if not site.public_articles().filter(pk=pk).exists():
        raise Http404("没有这篇文章")
    qr = segno.make(request.build_absolute_uri(reverse("articles:detail", args=[pk])), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=4, border=2, dark="#1f2328", title="本文地址的二维码")
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
def about(request):
    """Who runs the site and how to reach them: the operator's details come from settings."""
    return render(request, "articles/about.html", {"crumbs": trail(("关于本站", request.path))})


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", "Disallow: /script/",
             f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

