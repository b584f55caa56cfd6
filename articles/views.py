"""Placeholder public views; the public-site issue replaces them."""
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from .models import Article, Region, Source


def home(request):
    articles = Article.objects.published().for_listing().newest_first()[:20]
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("source"), pk=pk)
    return render(request, "articles/article_detail.html", {"article": article})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().tagged(tag).for_listing().newest_first()[:50]
    return render(request, "articles/home.html", {"articles": articles, "heading": tag.name})


def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    articles = Article.objects.published().in_region(region).for_listing().newest_first()[:50]
    return render(request, "articles/home.html", {"articles": articles, "heading": region.name})


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    articles = Article.objects.published().filter(source=source).for_listing().newest_first()[:50]
    return render(request, "articles/home.html", {"articles": articles, "heading": source.name})
