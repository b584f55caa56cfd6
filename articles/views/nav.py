"""Breadcrumb trails: (name, url) pairs from 首页 down to the page, the last one the page itself."""
from __future__ import annotations

from django.urls import reverse

Crumb = tuple[str, str]


def trail(*crumbs: Crumb) -> list[Crumb]:
    return [("首页", reverse("articles:home")), *crumbs]


def region_trail(region) -> list[Crumb]:
    """首页 › 地区 › 浙江省 › 杭州市"""
    chain = [region] if region.parent is None else [region.parent, region]
    return trail(("地区", reverse("articles:region_index")), *((r.name, r.get_absolute_url()) for r in chain))


def archive_trail(year: int | None = None, month: int | None = None) -> list[Crumb]:
    crumbs = [("归档", reverse("articles:archive"))]
    if year:
        crumbs.append((f"{year}年", reverse("articles:archive_year", args=[year])))
    if month:
        crumbs.append((f"{month}月", reverse("articles:archive_month", args=[year, month])))
    return trail(*crumbs)


def article_trail(article) -> list[Crumb]:
    """The article under its first region (the most specific one), else its source, else the full list."""
    regions = sorted(article.regions.all(), key=lambda r: (r.parent_id is None, r.code))
    if regions:
        parents = region_trail(regions[0])
    elif article.source:
        parents = trail((article.source.name, article.source.get_absolute_url()))
    else:
        parents = trail(("全部文章", reverse("articles:list")))
    return [*parents, (article.title, article.get_absolute_url())]
