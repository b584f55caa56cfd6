"""Schema.org structured data (JSON-LD) for articles, breadcrumbs and lists.

URLs are percent-encoded (iri_to_uri) so they stay ASCII: the script middleware converts
text between tags to 繁體, and must not touch a unicode slug such as /tags/党建/.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri


def _url(request, path: str) -> str:
    return iri_to_uri(request.build_absolute_uri(path))


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def breadcrumb_list(request, crumbs) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": _url(request, url)}
            for i, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def item_list(request, articles) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "url": _url(request, a.get_absolute_url()), "name": a.title}
            for i, a in enumerate(articles, start=1)
        ],
    }


def news_article(request, article) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "mainEntityOfPage": _url(request, article.get_absolute_url()),
        "inLanguage": article.language,
        "datePublished": _when(article.published_at),
        "dateModified": _when(article.updated_at),
        "description": article.summary[:300] or None,
        "author": [{"@type": "Person", "name": name} for name in article.authors] or None,
        "keywords": [t.name for t in article.tags.all()] or None,
        "contentLocation": [{"@type": "Place", "name": r.name} for r in article.regions.all()] or None,
        "isBasedOn": iri_to_uri(article.url) if article.url else None,
        "sourceOrganization": {"@type": "Organization", "name": article.source.name} if article.source else None,
        "publisher": {"@type": "Organization", "name": settings.GAOKU_SITE_OPERATOR},
    }
    return {k: v for k, v in data.items() if v is not None}
