"""No 500 from a URL: every public route and every GET filter, given hostile values, answers 2xx/3xx/400/404."""
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Out-of-range numbers and dates, characters no database column can hold, and plain junk.
HOSTILE = [
    "99999999999999999999", "-1", "0", "9223372036854775808", "9999-12-31", "0001-01-01", "10000-01-01",
    "2023-02-30", "%00", "a%00b", "%ED%A0%80", "%FF%FE", "%C0%AE", "\\x00", "%E2%80%AE", "%F0%9F%98%80",
    "'%20OR%201=1--", "..%2F..%2Fetc", "x" * 3000, "9" * 400, "1e309", "nan", "none,1", "1,%00",
    "99999999999999999999,99999999999999999999", "-99999999999999999999,1",
]
# Every filter a public page reads from its query string.
PARAMS = ["q", "sort", "tag", "region", "source", "from", "to", "page", "before", "after", "p", "next"]
# The pages that read them: lists (cursors), search (everything), the sitemap (p), the script switch (to, next).
HAS_PARAMS = ["/articles/", "/search/?q=党建", "/tags/党建/", "/sitemap-articles.xml", "/script/"]
OK = {200, 301, 302, 304, 400, 404, 405}
_PARAM = re.compile(r"<(?:\w+:)?\w+>")


def _routes(patterns=None, prefix=""):
    """Every public route as written (admin excluded), e.g. 'tags/<str:slug>/feed/'."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            route = prefix + str(p.pattern)
            if not route.startswith("admin/"):
                yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


ROUTES = sorted(set(_routes()))
PARAMETRISED = [r for r in ROUTES if _PARAM.search(r)]


def test_the_walk_covers_every_public_route():
    assert len(ROUTES) >= 20 and "archive/<int:year>/<int:month>/" in ROUTES and "tags/<str:slug>/feed/" in ROUTES
    assert "sitemap-<section>.xml" in ROUTES


def _fill(route: str, value: str) -> str:
    return "/" + _PARAM.sub(lambda _: value, route)


@pytest.fixture
def visitor():
    """A client that answers 500 like the server would, instead of raising, so one test lists every failure."""
    return Client(raise_request_exception=False)


def _failures(client, urls) -> list[str]:
    return [f"{url} -> {status}" for url in urls if (status := client.get(url).status_code) not in OK]


@pytest.mark.parametrize("route", PARAMETRISED)
def test_hostile_path_values(visitor, samples, route):
    assert _failures(visitor, [_fill(route, value) for value in HOSTILE]) == []


@pytest.mark.parametrize("param", PARAMS)
def test_hostile_filter_values(visitor, samples, param):
    urls = [f"{base}{'&' if '?' in base else '?'}{param}={value}" for base in HAS_PARAMS for value in HOSTILE]
    assert _failures(visitor, urls) == []


@pytest.mark.parametrize("url", ["/archive/99999999999999999999/", "/archive/0/", "/archive/2023/13/",
                                 "/articles/99999999999999999999/", "/tags/%00/", "/regions/%00/feed/",
                                 "/sources/a%00/"])
def test_out_of_range_and_nul_in_paths_are_404_or_400(visitor, samples, url):
    assert visitor.get(url).status_code in (400, 404)


@pytest.mark.parametrize("query", ["q=x&to=9999-12-31", "q=x&from=9999-12-31", "q=x&from=0001-01-01&to=0001-01-01",
                                   "q=x&region=%00", "q=x&tag=%00", "q=x&source=%00", "q=%00",
                                   "q=x&page=99999999999999999999"])
def test_search_filters_out_of_range_or_unstorable_never_fail(visitor, samples, query):
    assert visitor.get(f"/search/?{query}").status_code in (200, 400)


def test_nul_in_an_admin_filter_is_400(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/articles/article/?q=%00").status_code == 400
    assert client.get("/admin/articles/article/?q=党建").status_code == 200
