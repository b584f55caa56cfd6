"""Signal receivers. Kept to a minimum: writes belong in services.

The search index follows every write path, the admin's included (tags and
regions are saved after the article, hence the m2m receivers).
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Article, SearchDocument, TaggedArticle
from .search.documents import index_article


_suspended: ContextVar[bool] = ContextVar("search_indexing_suspended", default=False)


@contextmanager
def indexing_suspended():
    """Bulk writers (the importer) index their articles in batches themselves."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


@receiver(post_save, sender=Article, dispatch_uid="search_index_article_saved")
def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw and not _suspended.get():
        index_article(instance.pk)


@receiver(post_delete, sender=Article, dispatch_uid="search_index_article_deleted")
def _article_deleted(sender, instance, **kwargs):
    SearchDocument.objects.filter(article_id=instance.pk).delete()


def _relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or _suspended.get():
        return
    if not reverse:
        index_article(instance.pk)
    elif pk_set:
        for pk in pk_set:
            index_article(pk)


m2m_changed.connect(_relations_changed, sender=TaggedArticle, dispatch_uid="search_index_tags")
m2m_changed.connect(_relations_changed, sender=Article.regions.through, dispatch_uid="search_index_regions")
