"""Publishing workflow: draft -> review -> published -> archived, with who moved what and when.

The rules live here so the change form, bulk actions, the importer and
django-import-export all go through them.
"""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles.models import Article, Status, StatusChange

PUBLISH_PERMISSION = "articles.publish_article"

# Which status may follow which.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.DRAFT, Status.REVIEW, Status.ARCHIVED},
    Status.ARCHIVED: {Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
}
# Moves an editor (编辑) may make without the publish permission.
EDITOR_MOVES = {(Status.DRAFT, Status.REVIEW), (Status.REVIEW, Status.DRAFT)}


class TransitionNotAllowed(ValidationError):
    pass


def can_set_status(user, status: str, current: str | None = None) -> bool:
    """May this user move an article from `current` (None: a new article) to `status`?"""
    if user is None:  # operators on the command line are trusted
        return True
    if user.has_perm(PUBLISH_PERMISSION):
        return True
    if current is None:
        return status in (Status.DRAFT, Status.REVIEW)
    return current == status or (current, status) in EDITOR_MOVES


def ensure_can_set_status(user, status: str, current: str | None = None) -> None:
    if status not in Status.values:
        raise TransitionNotAllowed(f"未知状态：{status}")
    if not can_set_status(user, status, current):
        label = Status(status).label
        raise PermissionDenied(f"没有发布权限：不能把文章设为“{label}”（需要“审核”组的发布权限）。")


def article_change_status(*, article: Article, status: str, user=None, publish_at: datetime | None = None,
                          note: str = "") -> Article:
    """Move one article, check the rules, record a StatusChange; owns its transaction."""
    current = article.status
    ensure_can_set_status(user, status, current)
    if publish_at is not None and user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("没有发布权限：不能定时发布。")
    if status != current and status not in TRANSITIONS[current]:
        raise TransitionNotAllowed(f"不能从“{Status(current).label}”变为“{Status(status).label}”。")
    with transaction.atomic():
        article.status = status
        fields = ["status", "updated_at"]
        if status == Status.PUBLISHED:
            article.publish_at = publish_at
            fields.append("publish_at")
        if user is not None:
            article._history_user = user
        article._change_reason = note or f"状态：{Status(current).label} → {Status(status).label}"
        article.save(update_fields=fields)
        if status != current or publish_at is not None:
            StatusChange.objects.create(article=article, from_status=current, to_status=status, user=user, note=note)
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
