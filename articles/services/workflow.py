"""Publishing workflow: draft -> review -> published -> archived, with who moved what and when.

The one gate: the change form, history revert, bulk actions, django-import-export, duplicates,
upload and re-extract all ask this module before they change an article's status, its schedule
(`publish_at`) or anything on a published article. An editor (编辑) may edit drafts and move them
between 草稿 and 待审; making anything public, scheduling or un-scheduling, and changing what
readers see on a published article need the publish permission (审核).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from articles.models import Article, Status, StatusChange

PUBLISH_PERMISSION = "articles.publish_article"

# Which status may follow which (for everyone, reviewers included): an archived article goes back
# through 草稿 before it can be published again, and a published one is withdrawn to 草稿 or archived.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
    Status.ARCHIVED: {Status.DRAFT},
}
# Moves an editor (编辑) may make without the publish permission.
EDITOR_MOVES = {(Status.DRAFT, Status.REVIEW), (Status.REVIEW, Status.DRAFT)}

_UNSET = object()


class TransitionNotAllowed(ValidationError):
    pass


def may_publish(user) -> bool:
    """Operators on the command line (user None) are trusted; in the admin it takes the 审核 permission."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def transition_allowed(current: str | None, status: str) -> bool:
    return current is None or current == status or status in TRANSITIONS.get(current, ())


def can_set_status(user, status: str, current: str | None = None) -> bool:
    """May this user move an article from `current` (None: a new article) to `status`?"""
    if status not in Status.values or not transition_allowed(current, status):
        return False
    if may_publish(user):
        return True
    if current is None:
        return status in (Status.DRAFT, Status.REVIEW)
    return current == status or (current, status) in EDITOR_MOVES


def ensure_can_set_status(user, status: str, current: str | None = None) -> None:
    if status not in Status.values:
        raise TransitionNotAllowed(f"未知状态：{status}")
    if not transition_allowed(current, status):
        raise TransitionNotAllowed(f"不能从“{Status(current).label}”直接变为“{Status(status).label}”。")
    if not can_set_status(user, status, current):
        label = Status(status).label
        raise PermissionDenied(f"没有发布权限：不能把文章设为“{label}”（需要“审核”组的发布权限）。")


def can_edit(user, article: Article) -> bool:
    """May this user change what readers see on the article? Published (or scheduled) ones need 审核."""
    return may_publish(user) or article.status != Status.PUBLISHED


def ensure_can_edit(user, articles: Iterable[Article]) -> None:
    """Refuse the whole operation if any article is published and the user may not publish."""
    if may_publish(user):
        return
    if isinstance(articles, QuerySet):  # a source's or a tag's articles: ask the database, never load them all
        published = articles.filter(status=Status.PUBLISHED)
        refused, total = list(published.values_list("pk", "title")[:5]), published.count()
    else:
        refused = [(a.pk, a.title) for a in articles if not can_edit(user, a)]
        total = len(refused)
    if refused:
        names = "、".join(f"#{pk}《{title[:20]}》" for pk, title in refused[:5])
        more = f"等 {total} 篇" if total > 5 else ""
        raise PermissionDenied(f"没有发布权限：已发布的文章只有“审核”组能修改（{names}{more}）。"
                               "请先请审核撤回，或只选择草稿和待审的文章。")


def check_change(user, *, stored: Article | None, status: str, publish_at: datetime | None,
                 changed: Iterable[str] = ()) -> None:
    """Raise unless `user` may turn `stored` (None: a new article) into one with this status, schedule and edits.

    Compared with what is stored, never with what a form was opened from, so a history revert
    or a stale form is judged by the article as it is now.
    """
    current = stored.status if stored is not None else None
    ensure_can_set_status(user, status, current)
    before = stored.publish_at if stored is not None else None
    if publish_at != before and not may_publish(user):
        raise PermissionDenied("没有发布权限：不能设定、修改或取消定时发布。")
    if stored is not None and set(changed) - {"status", "publish_at"}:
        ensure_can_edit(user, [stored])


def _record(article: Article, *, before_status: str, before_publish_at, user, note: str) -> None:
    if article.status != before_status or article.publish_at != before_publish_at:
        if not note:
            note = f"状态：{Status(before_status).label} → {article.get_status_display()}"
            if article.publish_at != before_publish_at:
                note += f"；定时发布 {article.publish_at:%Y-%m-%d %H:%M}" if article.publish_at else "；立即可见"
        StatusChange.objects.create(article=article, from_status=before_status, to_status=article.status,
                                    user=user, note=note[:200])


def article_save_edit(*, article: Article, user=None, changed: Iterable[str], reason: str = "",
                      stored: Article | None = None) -> Article:
    """Save an edit of one article (form, history revert, import): check it against the stored row, record it.

    `article` carries the new values; `changed` names the fields that differ from the stored row.
    Reader-visible fields an editor changed are recorded in `edited_fields`, so re-extract and
    re-import leave them alone. Owns its transaction; many-to-many fields are saved by the caller.
    `stored`: the row as the caller loaded it in this transaction (a bulk import loads them all at once).
    """
    changed = set(changed)
    # No savepoint of its own: inside an import each row already has one, and a failure fails the row.
    with transaction.atomic(savepoint=False):
        if stored is None and article.pk:
            stored = (Article.objects.select_for_update().only("pk", "title", "status", "publish_at")
                      .filter(pk=article.pk).order_by().first())
        check_change(user, stored=stored, status=article.status, publish_at=article.publish_at, changed=changed)
        if stored is not None:
            article.mark_edited(changed)
        if user is not None:
            article._history_user = user
        if reason:
            article._change_reason = reason
        article.save()
        if stored is None:
            record_creation(article=article, user=user)
        else:
            _record(article, before_status=stored.status, before_publish_at=stored.publish_at, user=user, note="")
    return article


def article_change_status(*, article: Article, status: str, user=None, publish_at=_UNSET,
                          note: str = "") -> Article:
    """Move one article (publish_at: a schedule, None for now, or left as stored); owns its transaction."""
    with transaction.atomic():
        stored = Article.objects.select_for_update().get(pk=article.pk)
        current = stored.status
        if publish_at is _UNSET:
            # Leaving 已发布 ends any schedule; otherwise the stored one stays.
            publish_at = None if current == Status.PUBLISHED and status != current else stored.publish_at
        if status == current and publish_at == stored.publish_at:
            return article  # nothing to do: neither status nor schedule changes
        check_change(user, stored=stored, status=status, publish_at=publish_at)
        article.status, article.publish_at = status, publish_at
        if user is not None:
            article._history_user = user
        article._change_reason = note or f"状态：{Status(current).label} → {Status(status).label}"
        article.save(update_fields=["status", "publish_at", "updated_at"])
        _record(article, before_status=current, before_publish_at=stored.publish_at, user=user, note=note)
    return article


def article_submit_for_review(*, article: Article, user=None) -> Article:
    return article_change_status(article=article, status=Status.REVIEW, user=user, note="提交审核")


def article_publish(*, article: Article, user=None, publish_at: datetime | None = None) -> Article:
    note = f"定时发布于 {publish_at:%Y-%m-%d %H:%M}" if publish_at else "发布"
    return article_change_status(article=article, status=Status.PUBLISHED, user=user, publish_at=publish_at, note=note)


def article_unpublish(*, article: Article, user=None) -> Article:
    return article_change_status(article=article, status=Status.DRAFT, user=user, note="撤回")


def article_archive(*, article: Article, user=None) -> Article:
    return article_change_status(article=article, status=Status.ARCHIVED, user=user, note="归档")


def articles_change_status(*, articles, status: str, user=None) -> int:
    """Bulk: check every article first, then move them all in one transaction."""
    articles = list(articles)
    for article in articles:
        ensure_can_set_status(user, status, article.status)
    with transaction.atomic():
        for article in articles:
            article_change_status(article=article, status=status, user=user, note="批量操作")
    return len(articles)


def record_creation(*, article: Article, user=None, note: str = "新建") -> None:
    StatusChange.objects.create(article=article, from_status="", to_status=article.status, user=user, note=note)
