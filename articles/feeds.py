"""RSS 2.0 and Atom feeds of public articles: latest, per tag, per region, per source."""
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from . import selectors_site as site
from .models import Region, Source

ITEMS = 30


class LatestFeed(Feed):
    title = "稿库 · 最新文章"
    description = "稿库最新发布的文章"

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj):
        return site.public_articles()

    def items(self, obj=None):
        return self.articles(obj).select_related("source").newest_first()[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML to feed readers: scraped text goes in escaped.
        return linebreaks(item.summary, autoescape=True)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return "、".join(item.authors) or None


class TagFeed(LatestFeed):
    def get_object(self, request, slug):
        tag = site.tag_by_slug(slug)
        if tag is None:
            raise Http404("没有这个标签")
        return tag

    def title(self, obj):
        return f"稿库 · 标签：{obj.name}"

    def description(self, obj):
        return f"标签“{obj.name}”下的最新文章"

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def articles(self, obj):
        return site.public_articles().tagged(obj)


class RegionFeed(LatestFeed):
    def get_object(self, request, code):
        return get_object_or_404(Region.objects.select_related("parent"), code=code)

    def title(self, obj):
        return f"稿库 · 地区：{obj}"

    def description(self, obj):
        return f"关于{obj.name}的最新文章"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return site.public_articles().in_region(obj)


class SourceFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Source, slug=slug)

    def title(self, obj):
        return f"稿库 · 来源：{obj.name}"

    def description(self, obj):
        return f"来自{obj.name}的最新文章"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return site.public_articles().filter(source=obj)


def atom(feed_class):
    attrs = {"feed_type": Atom1Feed, "subtitle": feed_class.description}
    return type(f"Atom{feed_class.__name__}", (feed_class,), attrs)
