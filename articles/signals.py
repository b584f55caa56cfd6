"""Signal receivers. Kept to a minimum: writes belong in services.

The search index follows every write path, the admin's included (tags and
regions are saved after the article, hence the m2m receivers).
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from taggit.models import Tag

from .models import Article, Region, SearchDocument, Source, TaggedArticle
from .selectors_site import bump_generation
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


# The public site's cached counts (selectors_site) are keyed on a version; writes the article
# history does not record (a tag renamed or merged, a region or source edited, tags changed
# through the m2m API) bump its generation.
def _site_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        bump_generation()


for _model in (Tag, TaggedArticle, Region, Source, Article):
    post_save.connect(_site_changed, sender=_model, dispatch_uid=f"site_cache_saved_{_model.__name__}")
    post_delete.connect(_site_changed, sender=_model, dispatch_uid=f"site_cache_deleted_{_model.__name__}")
m2m_changed.connect(_site_changed, sender=TaggedArticle, dispatch_uid="site_cache_tags")
m2m_changed.connect(_site_changed, sender=Article.regions.through, dispatch_uid="site_cache_regions")
