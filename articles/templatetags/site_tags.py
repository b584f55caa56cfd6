from django import template
from django.utils import timezone

register = template.Library()


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
