"""sitemap.xml: public articles, plus the list pages that lead to them."""
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from taggit.models import Tag

from . import selectors_site as site
from .models import Region, Source


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return site.public_articles().only("id", "updated_at").order_by("-id")

    def lastmod(self, item):
        return item.updated_at


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:list", "articles:tag_index", "articles:region_index", "articles:archive",
                "articles:about"]

    def location(self, item):
        return reverse(item)


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Tag.objects.filter(slug__in=[t["slug"] for t in site.tag_counts()]).order_by("name")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class RegionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Region.objects.filter(pk__in=list(site.region_counts())).order_by("code")


class SourceSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Source.objects.filter(articles__in=site.public_articles().values("pk")).distinct().order_by("name")


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "regions": RegionSitemap,
    "sources": SourceSitemap,
}
