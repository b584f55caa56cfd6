"""Reader's choice of 简体 (the default) or 繁體 display, remembered in a cookie.

The rendered HTML is converted in one place (ScriptMiddleware) rather than by a
filter on every template variable: chrome, data, titles and the 404 page all
follow the choice, and nothing can be forgotten. Only text between tags is
converted, never tags or attributes, so URLs (unicode slugs such as /tags/党建/),
form values and meta content stay exactly as stored. The database is never
touched: stored text stays as the page wrote it. Every page is converted, to
简体 by default, so <html lang> is always true of the text shown.
"""
from __future__ import annotations

import re

from django.http import HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from articles.ingest.script import to_simplified, to_traditional

COOKIE = "script"
HANT = "hant"
HANS = "hans"
_TAG = re.compile(r"(<[^>]*>)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A noncharacter joins the text nodes so OpenCC runs once per page, not once per node.
_SEP = "\uffff"
KEEP = "data-keep-script"


def reader_script(request) -> str:
    return HANT if request.COOKIES.get(COOKIE) == HANT else HANS


def set_script(request):
    to = HANT if request.GET.get("to") == HANT else HANS
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(COOKIE, to, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def convert_html(html: str, script: str = HANT) -> str:
    """Text nodes converted to the script; tags and attributes untouched."""
    convert = to_traditional if script == HANT else to_simplified
    parts = _TAG.split(html)  # even indexes are text between tags
    texts = parts[0::2]
    if _SEP in html:
        converted = [convert(t) if _NON_ASCII.search(t) else t for t in texts]
    else:
        converted = convert(_SEP.join(texts)).split(_SEP)
        if len(converted) != len(texts):
            converted = [convert(t) for t in texts]
    for i in range(1, len(texts)):
        if KEEP in parts[2 * i - 1]:  # text right after a tag marked data-keep-script stays as written
            converted[i] = texts[i]
    parts[0::2] = converted
    return "".join(parts)


class ScriptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            return response
        patch_vary_headers(response, ["Cookie"])
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            charset = response.charset or "utf-8"
            html = response.content.decode(charset)
            response.content = convert_html(html, reader_script(request)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
