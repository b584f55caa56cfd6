"""Reader's choice of 简体 (the default) or 繁體 display, remembered in a cookie.

The rendered HTML is converted in one place (ScriptMiddleware) rather than by a
filter on every template variable: chrome, data, titles and the 404 page all
follow the choice, and nothing can be forgotten. Only text between tags is
converted, never tags or attributes, so URLs (unicode slugs such as /tags/党建/),
form values and meta content stay exactly as stored. The database is never
touched: stored text stays as the page wrote it. 繁體 follows the
conventions of Taiwan or Hong Kong (settings.GAOKU_TRADITIONAL_STANDARD), with our
own corrections of OpenCC's known phrase errors (articles.ingest.script). Every page is converted, to
简体 by default, so <html lang> is always true of the text shown.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from articles.ingest.script import to_display_traditional, to_simplified

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
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(COOKIE, to, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


# Attributes a reader sees or hears (placeholders, accessible names, tooltips) switch with the
# text; every other attribute (href, value, data-*) stays as stored.
_SHOWN_ATTR = re.compile(r'(\s(?:placeholder|aria-label|title|alt)=")([^"]*)(")')
# Meta tags whose content is a description of the page, shown by search engines and share cards.
_SHOWN_META = re.compile(r'^<meta\s[^>]*(?:name="description"|property="og:(?:title|description)")')
_CONTENT_ATTR = re.compile(r'(\scontent=")([^"]*)(")')


def _converter(script: str, standard: str):
    if script == HANT:
        return lambda text: to_display_traditional(text, standard)
    return to_simplified


def _tag_slots(tag: str):
    """(start, end) of each attribute value in the tag that a reader sees."""
    if not _NON_ASCII.search(tag):
        return []
    slots = [m.span(2) for m in _SHOWN_ATTR.finditer(tag)]
    if _SHOWN_META.match(tag):
        slots += [m.span(2) for m in _CONTENT_ATTR.finditer(tag)]
    return sorted(slots)


def convert_html(html: str, script: str = HANT, standard: str = "tw") -> str:
    """Text nodes and shown attributes converted to the script; markup and links untouched."""
    convert = _converter(script, standard)
    parts = _TAG.split(html)  # even indexes are text between tags
    # Every piece to convert, as (part index, start, end); text nodes are whole parts.
    pieces = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if KEEP not in (parts[i - 1] if i else ""):  # text right after a data-keep-script tag stays
                pieces.append((i, 0, len(part)))
        else:
            pieces += [(i, a, b) for a, b in _tag_slots(part)]
    texts = [parts[i][a:b] for i, a, b in pieces]
    if _SEP in html:
        converted = [convert(t) if _NON_ASCII.search(t) else t for t in texts]
    else:
        converted = convert(_SEP.join(texts)).split(_SEP)
        if len(converted) != len(texts):
            converted = [convert(t) for t in texts]
    # Splice right to left so earlier offsets in the same part stay valid.
    for (i, a, b), text in sorted(zip(pieces, converted, strict=True), key=lambda x: (x[0][0], -x[0][1])):
        parts[i] = parts[i][:a] + text + parts[i][b:]
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
            converted = convert_html(html, reader_script(request), settings.GAOKU_TRADITIONAL_STANDARD)
            response.content = converted.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
