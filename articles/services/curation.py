"""Bulk curation and hygiene: tags, regions, sources, duplicates. Each write leaves a history row."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from taggit.models import Tag

from articles.models import Article, Source, Status, StatusChange, TagSynonym
from articles.models.tags import validate_tag_names
from articles.tag_strings import parse_tags

from .workflow import ensure_can_edit, ensure_can_set_status


def _touch(article: Article, user, reason: str, edited=()) -> None:
    """Save so django-simple-history records who changed what (tags and regions live in other tables).

    `edited` fields are recorded as changed by hand, so re-extract and re-import keep them.
    """
    article._history_user = user
    article._change_reason = reason
    article.mark_edited(edited)
    article.save(update_fields=["edited_fields", "updated_at"])


def _editable(user, articles=()):
    """The user may change articles, and (the workflow gate) published ones only with the publish permission."""
    if user is not None and not user.has_perm("articles.change_article"):
        raise PermissionDenied("没有修改文章的权限。")
    articles = list(articles)
    ensure_can_edit(user, articles)
    return articles


def articles_add_tags(*, articles, tags: str, user=None) -> int:
    articles = _editable(user, articles)
    names = parse_tags(tags)
    validate_tag_names(names)
    with transaction.atomic():
        for article in articles:
            article.tags.add(*names)
            _touch(article, user, f"添加标签：{'，'.join(names)}", edited=["tags"])
    return len(articles)


def articles_remove_tags(*, articles, tags: str, user=None) -> int:
    articles = _editable(user, articles)
    names = parse_tags(tags)
    with transaction.atomic():
        for article in articles:
            article.tags.remove(*names)
            _touch(article, user, f"移除标签：{'，'.join(names)}", edited=["tags"])
    return len(articles)


def articles_add_regions(*, articles, regions, user=None) -> int:
    articles = _editable(user, articles)
    with transaction.atomic():
        for article in articles:
            article.regions.add(*regions)
            _touch(article, user, "添加地区：" + "、".join(r.name for r in regions), edited=["regions"])
    return len(articles)


def articles_set_regions(*, articles, regions, user=None) -> int:
    articles = _editable(user, articles)
    with transaction.atomic():
        for article in articles:
            article.regions.set(regions)
            _touch(article, user, "设定地区：" + "、".join(r.name for r in regions), edited=["regions"])
    return len(articles)


def articles_set_source(*, articles, source, user=None) -> int:
    articles = _editable(user, articles)
    with transaction.atomic():
        for article in articles:
            article.source = source
            article.mark_edited(["source"])
            article._history_user, article._change_reason = user, f"设定来源：{source.name}"
            article.save(update_fields=["source", "edited_fields", "updated_at"])
    return len(articles)


def tag_merge(*, keep: Tag, others, user=None) -> int:
    """Articles keep one tag; the merged names become synonyms so future imports map them too."""
    if user is not None and not user.has_perm("taggit.change_tag"):
        raise PermissionDenied("没有修改标签的权限。")
    others = [o for o in others if o.pk != keep.pk]
    ensure_can_edit(user, Article.objects.filter(tagged_items__tag__in=others).distinct())
    moved = 0
    with transaction.atomic():
        for other in others:
            for article in Article.objects.filter(tagged_items__tag=other).distinct():
                article.tags.add(keep)
                article.tags.remove(other)
                _touch(article, user, f"标签合并：{other.name} → {keep.name}")
                moved += 1
            TagSynonym.objects.update_or_create(name=other.name, defaults={"tag": keep})
            TagSynonym.objects.filter(tag=other).update(tag=keep)
            other.delete()
    return moved


def tag_rename(*, tag: Tag, name: str, user=None) -> Tag:
    """Rename a tag; the old name stays as a synonym. Published articles show it, so they need 审核."""
    validate_tag_names([name.strip()])
    ensure_can_edit(user, Article.objects.filter(tagged_items__tag=tag).distinct())
    old = tag.name
    with transaction.atomic():
        tag.name = name.strip()
        tag.save()
        if old != tag.name:
            TagSynonym.objects.update_or_create(name=old, defaults={"tag": tag})
    return tag


def tags_delete_unused(*, tags) -> int:
    unused = [t for t in tags if not t.articles_taggedarticle_items.exists()]
    for t in unused:
        t.delete()
    return len(unused)


def source_merge(*, keep: Source, others, user=None) -> int:
    """Repoint articles to one source; the others' names become its aliases; the others go."""
    if user is not None and not user.has_perm("articles.change_source"):
        raise PermissionDenied("没有修改来源的权限。")
    others = [o for o in others if o.pk != keep.pk]
    ensure_can_edit(user, Article.objects.filter(source__in=others))
    moved = 0
    with transaction.atomic():
        aliases = list(keep.aliases)
        for other in others:
            for article in Article.objects.filter(source=other):
                article.source = keep
                article._history_user, article._change_reason = user, f"来源合并：{other.name} → {keep.name}"
                article.save(update_fields=["source", "updated_at"])
                moved += 1
            aliases += [n for n in [other.name, *other.aliases] if n not in aliases and n != keep.name]
            other.delete()
        keep.aliases = aliases
        keep.save(update_fields=["aliases"])
    return moved


def article_resolve_duplicate(*, keep: Article, duplicate: Article, user=None) -> Article:
    """Keep one article: carry over tags and regions, archive the other as its duplicate (never delete)."""
    if keep.pk == duplicate.pk:
        raise ValueError("不能把文章标为自己的重复。")
    # Published ones change what readers see (tags, or the article disappears): 审核 only.
    ensure_can_edit(user, [keep, duplicate])
    if duplicate.status == Status.PUBLISHED:
        ensure_can_set_status(user, Status.ARCHIVED, duplicate.status)
    with transaction.atomic():
        keep.tags.add(*duplicate.tags.all())
        keep.regions.add(*duplicate.regions.all())
        _touch(keep, user, f"合并重复稿 #{duplicate.pk} 的标签和地区")
        # The other duplicates follow the kept one (never the kept one itself: it cannot duplicate itself).
        Article.objects.filter(duplicate_of=duplicate).exclude(pk=keep.pk).update(duplicate_of=keep)
        duplicate.duplicate_of = keep
        if keep.duplicate_of_id == duplicate.pk:
            keep.duplicate_of = None
            keep.save(update_fields=["duplicate_of", "updated_at"])
        before, duplicate.status = duplicate.status, Status.ARCHIVED
        duplicate.publish_at = None if before == Status.PUBLISHED else duplicate.publish_at
        duplicate._history_user, duplicate._change_reason = user, f"标为 #{keep.pk} 的重复稿"
        duplicate.save(update_fields=["duplicate_of", "status", "publish_at", "updated_at"])
        if before != Status.ARCHIVED:
            StatusChange.objects.create(article=duplicate, from_status=before, to_status=Status.ARCHIVED, user=user,
                                        note=f"标为 #{keep.pk} 的重复稿")
    return keep


def article_not_duplicate(*, article: Article, user=None) -> Article:
    """An editor's decision: this is not a repost of the article it was matched with; both stay as they are."""
    _editable(user, [article])
    original = article.duplicate_of_id
    article.duplicate_of = None
    article._history_user, article._change_reason = user, f"判定不是 #{original} 的重复稿"
    article.save(update_fields=["duplicate_of", "updated_at"])
    return article
