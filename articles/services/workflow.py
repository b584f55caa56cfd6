"""Publishing workflow: draft -> review -> published -> archived, with who moved what and when.

The one gate: the change form, history revert, bulk actions, django-import-export, duplicates,
upload and re-extract all ask this module before they change an article's status, its schedule
(`publish_at`) or anything on a published article. An editor (编辑) may edit drafts and move them
between 草稿 and 待审; making anything public, scheduling or un-scheduling, and changing what
readers see on a published article need the publish permission (审核).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

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


def move_note(*, before_status: str, status: str, before_publish_at, publish_at) -> str:
    """What the status log and history say about a move, derived from the move itself.

    → 已发布: 发布, or 定时发布于 <time> when it waits for a time; → 待审: 提交审核; → 已归档: 归档;
    已发布 → 草稿: 撤回; any other move 状态：A → B. A schedule set or cleared without publishing is
    added (leaving 已发布 ends any schedule, which 撤回 and 归档 already say).
    """
    if status == Status.PUBLISHED:
        return f"定时发布于 {timezone.localtime(publish_at):%Y-%m-%d %H:%M}" if publish_at else "发布"
    if status == before_status:
        note = ""
    elif status == Status.REVIEW:
        note = "提交审核"
    elif status == Status.ARCHIVED:
        note = "归档"
    elif before_status == Status.PUBLISHED:
        note = "撤回"
    else:
        note = f"状态：{Status(before_status).label} → {Status(status).label}"
    if publish_at != before_publish_at and before_status != Status.PUBLISHED:
        schedule = f"定时发布 {timezone.localtime(publish_at):%Y-%m-%d %H:%M}" if publish_at else "取消定时发布"
        note = f"{note}；{schedule}" if note else schedule
    return note


def _status_change(article: Article, *, before_status: str, before_publish_at, user,
                   note: str = "") -> StatusChange | None:
    """The log row for a move of status or schedule (None if neither moved); not saved here.

    `note`: what to log instead of the note derived from the move (move_note).
    """
    if article.status == before_status and article.publish_at == before_publish_at:
        return None
    note = note or move_note(before_status=before_status, status=article.status,
                             before_publish_at=before_publish_at, publish_at=article.publish_at)
    return StatusChange(article=article, from_status=before_status, to_status=article.status, user=user,
                        note=note[:200])


def _record(article: Article, *, before_status: str, before_publish_at, user, note: str = "") -> None:
    change = _status_change(article, before_status=before_status, before_publish_at=before_publish_at, user=user,
                            note=note)
    if change is not None:
        change.save()


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
            _creation(article, user=user).save()
        else:
            _record(article, before_status=stored.status, before_publish_at=stored.publish_at, user=user)
    return article


@dataclass
class ArticleEdit:
    """One article of a bulk edit: its new values, the row as loaded, what changed, the relations to set."""

    article: Article
    stored: Article | None  # None: a new article
    changed: set[str] = field(default_factory=set)
    region_ids: list[int] | None = None  # None: leave the regions as they are
    tag_names: list[str] | None = None  # None: leave the tags as they are


def articles_save_edits(*, edits: list[ArticleEdit], user=None, reason: str = "", history: bool = True) -> None:
    """Save many edits (a table import's batch) in a handful of queries, not several per article.

    The same gate, edited-field record, status log and history (with the regions) as article_save_edit,
    written in bulk. No model signals are sent: the caller reindexes search. The caller owns the
    transaction, and a database error fails the whole batch (the caller may retry row by row).
    `history=False` for writes that will be rolled back (a preview).
    """
    now = timezone.now()
    for edit in edits:
        a = edit.article
        check_change(user, stored=edit.stored, status=a.status, publish_at=a.publish_at, changed=edit.changed)
        if edit.stored is not None:
            a.mark_edited(edit.changed)
        a.fill_derived()  # what Article.save() does, which bulk writes skip
        a.updated_at = now  # bulk_create stamps created_at itself (auto_now_add)
        a._history_user = user
        a._change_reason = reason
    new = [e.article for e in edits if e.stored is None]
    old = [e.article for e in edits if e.stored is not None]
    Article.objects.bulk_create(new)  # ids come back on PostgreSQL and SQLite >= 3.35
    _update_rows([e for e in edits if e.stored is not None])
    _set_relations(edits)
    if history:
        _history_rows(new, old, now=now)
    StatusChange.objects.bulk_create([c for c in (
        _creation(e.article, user=user) if e.stored is None else
        _status_change(e.article, before_status=e.stored.status, before_publish_at=e.stored.publish_at, user=user)
        for e in edits) if c is not None])


def _update_rows(edits: list[ArticleEdit]) -> None:
    """One UPDATE of the changed columns per article, sent with executemany (psycopg pipelines them: one
    round trip; SQLite runs them in-process). bulk_update's CASE per column costs the square of the batch."""
    concrete = {f.name for f in Article._meta.concrete_fields}
    groups: dict[tuple[str, ...], list[Article]] = {}
    for e in edits:
        changed = e.changed & concrete
        names = changed | {"edited_fields", "updated_at"} | ({"summary"} if changed & {"body", "summary"} else set())
        groups.setdefault(tuple(sorted(names)), []).append(e.article)
    qn, table = connection.ops.quote_name, Article._meta.db_table
    for names, articles in groups.items():
        fields = [Article._meta.get_field(n) for n in names]
        sql = (f"UPDATE {qn(table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
               f"WHERE {qn(Article._meta.pk.column)} = %s")
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields] + [a.pk]
                                     for a in articles])


def _set_relations(edits: list[ArticleEdit]) -> None:
    from articles.models import TaggedArticle

    Regions = Article.regions.through
    regions = [e for e in edits if e.region_ids is not None and (e.stored is None or "regions" in e.changed)]
    tags = [e for e in edits if e.tag_names is not None and (e.stored is None or "tags" in e.changed)]
    if regions:
        Regions.objects.filter(article_id__in=[e.article.pk for e in regions if e.stored]).delete()
        Regions.objects.bulk_create([Regions(article_id=e.article.pk, region_id=pk)
                                     for e in regions for pk in dict.fromkeys(e.region_ids)])
    if tags:
        ids = _tag_ids({n for e in tags for n in e.tag_names})
        TaggedArticle.objects.filter(content_object_id__in=[e.article.pk for e in tags if e.stored]).delete()
        TaggedArticle.objects.bulk_create([
            TaggedArticle(content_object_id=e.article.pk, tag_id=tag_id)
            for e in tags for tag_id in dict.fromkeys(ids[n.lower()] for n in e.tag_names)])


def _tag_ids(names: set[str]) -> dict[str, int]:
    """Tag ids by lower-cased name: existing tags matched regardless of case (TAGGIT_CASE_INSENSITIVE)."""
    from taggit.models import Tag

    from articles.services.articles import tag_ids_for

    if not names:
        return {}
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    found = {name.lower(): pk for pk, name in Tag.objects.filter(query).values_list("pk", "name")}
    missing = {n.lower(): n for n in sorted(names) if n.lower() not in found}  # 'AI' and 'ai' are one new tag
    found.update({name.lower(): pk for name, pk in tag_ids_for(set(missing.values())).items()} if missing else {})
    return found


def _history_rows(new: list[Article], old: list[Article], *, now) -> None:
    """django-simple-history's rows for a bulk write, with each version's regions (as its post_save would)."""
    from django.apps import apps

    rows = []
    for articles, update in ((new, False), (old, True)):
        if articles:
            rows += Article.history.bulk_history_create(articles, update=update, default_date=now)
    RegionHistory = apps.get_model("articles", "HistoricalArticle_regions")
    by_article: dict[int, list] = {}
    for through in Article.regions.through.objects.filter(article_id__in=[r.id for r in rows]):
        by_article.setdefault(through.article_id, []).append(through)
    RegionHistory.objects.bulk_create([
        RegionHistory(history=row, id=t.id, article_id=t.article_id, region_id=t.region_id)
        for row in rows for t in by_article.get(row.id, ())])


def article_change_status(*, article: Article, status: str, user=None, publish_at=_UNSET,
                          bulk: bool = False) -> Article:
    """Move one article (publish_at: a schedule, None for now, or left as stored); owns its transaction.

    The status log and the history say what the move was (move_note), marked （批量） for one of a bulk action's.
    """
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
        note = move_note(before_status=current, status=status, before_publish_at=stored.publish_at,
                         publish_at=publish_at) + ("（批量）" if bulk else "")
        if user is not None:
            article._history_user = user
        article._change_reason = note
        article.save(update_fields=["status", "publish_at", "updated_at"])
        _record(article, before_status=current, before_publish_at=stored.publish_at, user=user, note=note)
    return article


def articles_change_status(*, articles, status: str, user=None) -> int:
    """Bulk: check every article first, then move them all in one transaction."""
    articles = list(articles)
    for article in articles:
        ensure_can_set_status(user, status, article.status)
    with transaction.atomic():
        for article in articles:
            article_change_status(article=article, status=status, user=user, bulk=True)
    return len(articles)


def _creation(article: Article, *, user) -> StatusChange:
    """The log row of an article created by an edit (form, table import); not saved here."""
    return StatusChange(article=article, from_status="", to_status=article.status, user=user, note="新建")
