import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.views import structured

register = template.Library()

# As django.utils.html.json_script: the JSON cannot close the <script> element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def pubtime(article):
    """The publish time as the source gave it: the date alone when the page had no time."""
    when = article.published_at
    if when is None:
        return ""
    when = timezone.localtime(when)
    return f"{when:%Y-%m-%d}" if article.date_only else f"{when:%Y-%m-%d %H:%M}"


@register.filter
def isodate(article):
    return timezone.localtime(article.published_at).isoformat() if article.published_at else ""


def ld_json(request, data: dict):
    """A <script type="application/ld+json"> data block, escaped like json_script, with the CSP nonce."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    # mark_safe only on JSON whose <, > and & are escaped: nothing in it can end the element.
    return format_html('<script type="application/ld+json" nonce="{}">{}</script>',
                       getattr(request, "csp_nonce", ""), mark_safe(text))


@register.simple_tag(takes_context=True)
def breadcrumb_ld(context):
    crumbs = context.get("crumbs")
    return ld_json(context["request"], structured.breadcrumb_list(context["request"], crumbs)) if crumbs else ""


@register.simple_tag(takes_context=True)
def item_list_ld(context, articles):
    return ld_json(context["request"], structured.item_list(context["request"], articles)) if articles else ""


@register.simple_tag(takes_context=True)
def news_article_ld(context, article):
    return ld_json(context["request"], structured.news_article(context["request"], article))
