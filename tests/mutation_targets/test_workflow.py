"""The workflow service called directly: who may move what, what is recorded, what is refused and how.

Written from the mutants bench/mutation.py found surviving in articles/services/workflow.py: each
test pins a rule an editor or a reviewer depends on (the admin tests reach the same code through
forms, which hides which rule held).
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from articles.models import Article, Status, StatusChange
from articles.services import workflow

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATER = datetime(2031, 5, 4, 9, 30, tzinfo=SHANGHAI)


def make(title="乡村振兴的新路子", status=Status.DRAFT, publish_at=None, n=0):
    return Article.objects.create(title=title, body="正文。", status=status, publish_at=publish_at,
                                  raw_sha256=f"{n:064x}")


def changes(article):
    return list(StatusChange.objects.filter(article=article).order_by("id")
                .values_list("from_status", "to_status", "user__username", "note"))


def last_history(article):
    return article.history.order_by("-history_id").first()


# ---- refusals name what was refused

def test_editor_refused_on_published_articles_names_the_first_five_and_the_count(editor):
    long_title = "关于进一步加强基层党组织建设推动乡村振兴的实施意见"  # 24 characters
    published = [make(title=f"{i}{long_title}", status=Status.PUBLISHED, n=i) for i in range(7)]
    make(title="草稿", n=99)
    with pytest.raises(PermissionDenied) as refused:
        workflow.ensure_can_edit(editor, Article.objects.order_by("pk"))
    names = "、".join(f"#{a.pk}《{a.title[:20]}》" for a in published[:5])
    assert str(refused.value) == (f"没有发布权限：已发布的文章只有“审核”组能修改（{names}等 7 篇）。"
                                  "请先请审核撤回，或只选择草稿和待审的文章。")


def test_five_refused_articles_are_named_without_a_count(editor):
    published = [make(title=f"文章{i}", status=Status.PUBLISHED, n=i) for i in range(5)]
    with pytest.raises(PermissionDenied) as refused:
        workflow.ensure_can_edit(editor, published)
    names = "、".join(f"#{a.pk}《文章{i}》" for i, a in enumerate(published))
    assert f"（{names}）。" in str(refused.value)


def test_six_refused_articles_are_five_names_and_the_count(editor):
    published = [make(title=f"文章{i}", status=Status.PUBLISHED, n=i) for i in range(6)]
    with pytest.raises(PermissionDenied) as refused:
        workflow.ensure_can_edit(editor, published)
    names = "、".join(f"#{a.pk}《文章{i}》" for i, a in enumerate(published[:5]))
    assert f"（{names}等 6 篇）。" in str(refused.value)


def test_reviewer_and_operator_may_edit_published_articles(reviewer):
    published = make(status=Status.PUBLISHED)
    workflow.ensure_can_edit(reviewer, Article.objects.all())
    workflow.ensure_can_edit(None, [published])


def test_a_new_article_may_be_a_draft_or_in_review_for_an_editor_but_not_public_or_scheduled(editor):
    for status in (Status.DRAFT, Status.REVIEW):
        workflow.check_change(editor, stored=None, status=status, publish_at=None)
    with pytest.raises(PermissionDenied, match="^没有发布权限：不能把文章设为“已发布”"):
        workflow.check_change(editor, stored=None, status=Status.PUBLISHED, publish_at=None)
    with pytest.raises(PermissionDenied) as refused:
        workflow.check_change(editor, stored=None, status=Status.DRAFT, publish_at=LATER)
    assert str(refused.value) == "没有发布权限：不能设定、修改或取消定时发布。"


def test_unknown_status_and_forbidden_moves_are_refused_for_everyone(reviewer):
    archived = make(status=Status.ARCHIVED)
    with pytest.raises(workflow.TransitionNotAllowed, match="未知状态：gone"):
        workflow.check_change(reviewer, stored=None, status="gone", publish_at=None)
    with pytest.raises(workflow.TransitionNotAllowed, match="不能从“已归档”直接变为“已发布”"):
        workflow.check_change(reviewer, stored=archived, status=Status.PUBLISHED, publish_at=None)


# ---- article_save_edit: checked against the stored row, recorded

def test_a_new_article_saved_by_an_editor_records_its_creation(editor):
    article = workflow.article_save_edit(article=Article(title="新文章", body="正文。", status=Status.REVIEW,
                                                         raw_sha256="a" * 64), user=editor, changed=["title"])
    assert changes(article) == [("", Status.REVIEW, "editor", "新建")]
    assert article.edited_fields == []  # nothing stored to differ from
    assert last_history(article).history_user == editor


def test_an_edit_is_recorded_as_the_editors_with_its_reason_and_no_status_change(editor):
    article = make()
    article.title = "改过的标题"
    workflow.article_save_edit(article=article, user=editor, changed=["title"], reason="改标题")
    assert Article.objects.get(pk=article.pk).edited_fields == ["title"]
    history = last_history(article)
    assert (history.history_user, history.history_change_reason, history.title) == (editor, "改标题", "改过的标题")
    assert changes(article) == []


def test_a_status_change_through_an_edit_is_logged_with_the_note_of_the_move(editor, reviewer):
    article = make()
    article.status = Status.REVIEW
    workflow.article_save_edit(article=article, user=editor, changed=["status"])
    article.status, article.publish_at = Status.PUBLISHED, LATER
    workflow.article_save_edit(article=article, user=reviewer, changed=["status", "publish_at"])
    article.status, article.publish_at = Status.DRAFT, None
    workflow.article_save_edit(article=article, user=reviewer, changed=["status", "publish_at"])
    article.publish_at = LATER  # a schedule set on a draft publishes nothing
    workflow.article_save_edit(article=article, user=reviewer, changed=["publish_at"])
    article.status = Status.ARCHIVED  # the schedule stays: the note does not mention it
    workflow.article_save_edit(article=article, user=reviewer, changed=["status"])
    assert changes(article) == [
        (Status.DRAFT, Status.REVIEW, "editor", "提交审核"),
        (Status.REVIEW, Status.PUBLISHED, "reviewer", "定时发布于 2031-05-04 09:30"),
        (Status.PUBLISHED, Status.DRAFT, "reviewer", "撤回"),
        (Status.DRAFT, Status.DRAFT, "reviewer", "定时发布 2031-05-04 09:30"),
        (Status.DRAFT, Status.ARCHIVED, "reviewer", "归档"),
    ]
    assert last_history(article).history_change_reason is None  # no reason given, none invented


def test_an_edit_is_judged_by_the_stored_row_not_by_the_form(editor):
    def refused(article, changed, match=None):
        # article_save_edit has no savepoint of its own (a failed import row fails its row): give it one.
        with pytest.raises(PermissionDenied, match=match), transaction.atomic():
            workflow.article_save_edit(article=article, user=editor, changed=changed)

    published = make(status=Status.PUBLISHED)
    stale = Article.objects.get(pk=published.pk)
    stale.status = Status.DRAFT  # a form opened as a draft cannot withdraw the published article
    refused(stale, ["status"])
    published.title = "改过的标题"
    refused(published, ["title"], match="已发布的文章只有“审核”组能修改")
    draft = make(n=1)
    draft.publish_at = LATER
    refused(draft, ["publish_at"], match="定时发布")
    draft.publish_at, draft.status = None, Status.PUBLISHED
    refused(draft, ["status"])
    assert Article.objects.get(pk=published.pk).title == "乡村振兴的新路子"


# ---- article_change_status: schedules, notes, history

def test_withdrawing_ends_the_schedule_and_other_moves_keep_it(reviewer):
    draft = make(publish_at=LATER)
    workflow.article_change_status(article=draft, status=Status.REVIEW, user=reviewer)
    assert Article.objects.get(pk=draft.pk).publish_at == LATER
    scheduled = make(status=Status.PUBLISHED, publish_at=LATER, n=1)
    workflow.article_change_status(article=scheduled, status=Status.DRAFT, user=reviewer)
    assert Article.objects.get(pk=scheduled.pk).publish_at is None


def test_rescheduling_a_published_article_is_a_change_and_republishing_the_same_is_none(reviewer):
    article = make(status=Status.PUBLISHED, publish_at=LATER)
    before = article.history.count()
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer, publish_at=LATER)
    assert (article.history.count(), changes(article)) == (before, [])
    sooner = LATER - timedelta(days=1)
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=reviewer, publish_at=sooner)
    assert Article.objects.get(pk=article.pk).publish_at == sooner
    assert changes(article) == [(Status.PUBLISHED, Status.PUBLISHED, "reviewer", "定时发布于 2031-05-03 09:30")]


def test_an_editor_may_not_schedule_while_moving_to_review(editor):
    article = make()
    with pytest.raises(PermissionDenied, match="定时发布"):
        workflow.article_change_status(article=article, status=Status.REVIEW, user=editor, publish_at=LATER)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_a_move_saves_only_the_status_and_is_the_users_in_history(reviewer):
    article = make()
    article.title = "未保存的标题"  # a change the move must not write
    workflow.article_change_status(article=article, status=Status.REVIEW, user=reviewer)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.status) == ("乡村振兴的新路子", Status.REVIEW)
    history = last_history(article)
    assert (history.history_user, history.history_change_reason) == (reviewer, "提交审核")
    assert changes(article) == [(Status.DRAFT, Status.REVIEW, "reviewer", "提交审核")]


# Each kind of move: status and schedule before, status and schedule after ("kept": publish_at not given),
# and the note the status log and the history show for it.
MOVES = [
    (Status.DRAFT, None, Status.REVIEW, "kept", "提交审核"),
    (Status.DRAFT, None, Status.REVIEW, LATER, "提交审核；定时发布 2031-05-04 09:30"),
    (Status.REVIEW, None, Status.PUBLISHED, "kept", "发布"),
    (Status.DRAFT, None, Status.PUBLISHED, LATER, "定时发布于 2031-05-04 09:30"),
    (Status.DRAFT, LATER, Status.PUBLISHED, "kept", "定时发布于 2031-05-04 09:30"),  # the stored schedule, local time
    (Status.PUBLISHED, LATER, Status.PUBLISHED, None, "发布"),
    (Status.PUBLISHED, None, Status.DRAFT, "kept", "撤回"),
    (Status.PUBLISHED, LATER, Status.DRAFT, "kept", "撤回"),  # the schedule ends with it, unsaid
    (Status.DRAFT, None, Status.ARCHIVED, "kept", "归档"),
    (Status.PUBLISHED, LATER, Status.ARCHIVED, "kept", "归档"),
    (Status.REVIEW, None, Status.DRAFT, "kept", "状态：待审 → 草稿"),
    (Status.ARCHIVED, None, Status.DRAFT, "kept", "状态：已归档 → 草稿"),
    (Status.REVIEW, LATER, Status.DRAFT, None, "状态：待审 → 草稿；取消定时发布"),
    (Status.DRAFT, LATER, Status.DRAFT, None, "取消定时发布"),
]


@pytest.mark.parametrize(("before", "scheduled", "status", "schedule", "note"), MOVES)
def test_every_move_is_logged_and_kept_in_history_with_the_note_of_the_move(reviewer, before, scheduled, status,
                                                                               schedule, note):
    article = make(status=before, publish_at=scheduled)
    publish_at = {} if schedule == "kept" else {"publish_at": schedule}
    workflow.article_change_status(article=article, status=status, user=reviewer, **publish_at)
    assert changes(article) == [(before, status, "reviewer", note)]
    assert (last_history(article).history_change_reason, last_history(article).status) == (note, status)


@pytest.mark.parametrize(("before", "scheduled", "status", "note"),
                         [(b, s, st, n) for b, s, st, after, n in MOVES if after == "kept"])
def test_a_bulk_move_logs_the_same_note_marked_as_bulk(reviewer, before, scheduled, status, note):
    articles = [make(status=before, publish_at=scheduled, n=i) for i in range(2)]
    assert workflow.articles_change_status(articles=Article.objects.order_by("pk"), status=status, user=reviewer) == 2
    for article in articles:
        assert changes(article) == [(before, status, "reviewer", f"{note}（批量）")]
        assert last_history(article).history_change_reason == f"{note}（批量）"


def test_the_status_log_on_the_change_form_shows_the_notes(client, superuser):
    article = make()
    workflow.article_change_status(article=article, status=Status.PUBLISHED, user=superuser, publish_at=LATER)
    workflow.articles_change_status(articles=[article], status=Status.DRAFT, user=superuser)
    client.force_login(superuser)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "草稿 → 已发布（root）定时发布于 2031-05-04 09:30" in page
    assert "已发布 → 草稿（root）撤回（批量）" in page


def test_bulk_moves_are_all_checked_first(editor, reviewer):
    drafts = [make(n=i) for i in range(3)]
    published = make(status=Status.PUBLISHED, n=9)
    with pytest.raises(PermissionDenied):
        workflow.articles_change_status(articles=[*drafts, published], status=Status.DRAFT, user=editor)
    assert changes(published) == []
    assert workflow.articles_change_status(articles=drafts, status=Status.REVIEW, user=editor) == 3
    assert [changes(a) for a in drafts] == [[(Status.DRAFT, Status.REVIEW, "editor", "提交审核（批量）")]] * 3


def test_a_bulk_edit_records_the_creation_of_each_new_article_and_the_moves_of_the_others():
    stored = make(status=Status.REVIEW)
    moved = Article.objects.get(pk=stored.pk)
    moved.status = Status.PUBLISHED
    new = Article(title="新文章", body="正文。", status=Status.REVIEW, raw_sha256="b" * 64)
    workflow.articles_save_edits(edits=[workflow.ArticleEdit(article=new, stored=None),
                                        workflow.ArticleEdit(article=moved, stored=stored, changed={"status"})])
    assert changes(new) == [("", Status.REVIEW, None, "新建")]
    assert changes(stored) == [(Status.REVIEW, Status.PUBLISHED, None, "发布")]


# ---- articles_save_edits: the bulk edit (a table import's batch) judged and written as one edit would be

def test_a_bulk_edit_is_judged_row_by_row_by_the_stored_row(editor, reviewer):
    def refused(user, article, stored, changed):
        with pytest.raises((PermissionDenied, workflow.TransitionNotAllowed)), transaction.atomic():
            workflow.articles_save_edits(edits=[workflow.ArticleEdit(article=article, stored=stored,
                                                                     changed=set(changed))], user=user)

    published = make(status=Status.PUBLISHED)
    retitled = Article.objects.get(pk=published.pk)
    retitled.title = "编辑改的标题"
    refused(editor, retitled, published, ["title"])  # the status stays, the text may not change
    draft = make(n=1)
    scheduled = Article.objects.get(pk=draft.pk)
    scheduled.publish_at = LATER
    refused(editor, scheduled, draft, ["publish_at"])
    archived = make(status=Status.ARCHIVED, n=2)
    reviewed = Article.objects.get(pk=archived.pk)
    reviewed.status = Status.REVIEW
    refused(reviewer, reviewed, archived, ["status"])  # through 草稿 first, for everyone
    assert Article.objects.get(pk=published.pk).title == "乡村振兴的新路子" and StatusChange.objects.count() == 0


def test_a_bulk_edit_writes_what_one_save_would(reviewer):
    from taggit.models import Tag

    from articles.models import Region

    hangzhou, ningbo = Region.objects.get(code="3301"), Region.objects.get(code="3302")
    Tag.objects.create(name="ai", slug="ai")
    stored = make(title="旧标题", n=1)
    stored.regions.set([hangzhou])
    stored.tags.set(["旧标签"])
    edited = Article.objects.get(pk=stored.pk)
    edited.body, edited.summary = "新的第一段。\n\n新的第二段。", ""
    in_review = make(status=Status.REVIEW, n=2)
    moved = Article.objects.get(pk=in_review.pk)
    moved.status = Status.PUBLISHED
    new = Article(title="  新文章  ", body="第一段，有 空格。\n\n第二段。\n\n第三段。", warnings=["title guessed"],
                  raw_sha256="c" * 64)
    long = Article(title="长文", body="长" * 600 + "\n\n第二段。", raw_sha256="d" * 64)
    workflow.articles_save_edits(edits=[
        workflow.ArticleEdit(article=new, stored=None, region_ids=[hangzhou.pk], tag_names=["AI", "党建"]),
        workflow.ArticleEdit(article=long, stored=None),
        # regions and tags given but not changed: left as they are
        workflow.ArticleEdit(article=edited, stored=stored, changed={"body"}, region_ids=[ningbo.pk],
                             tag_names=["新标签"]),
        workflow.ArticleEdit(article=moved, stored=in_review, changed={"status"}),
    ], user=reviewer)

    new = Article.objects.get(pk=new.pk)
    assert (new.title, new.summary, new.has_warnings) == ("新文章", "第一段，有 空格。", True)
    assert new.created_at is not None
    assert [r.code for r in new.regions.all()] == ["3301"] and sorted(new.tags.names()) == ["ai", "党建"]
    assert Tag.objects.filter(name__iexact="ai").count() == 1  # 'AI' is the stored 'ai'
    assert len(Article.objects.get(pk=long.pk).summary) == 500
    assert changes(new) == [("", Status.DRAFT, "reviewer", "新建")]
    created = new.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == ("+", reviewer, "")
    assert abs(created.history_date - new.created_at) < timedelta(seconds=1)
    assert list(created.regions.values_list("article_id", "region_id")) == [(new.pk, hangzhou.pk)]

    edited = Article.objects.get(pk=stored.pk)
    assert (edited.summary, edited.edited_fields) == ("新的第一段。", ["body"])
    assert [r.code for r in edited.regions.all()] == ["3301"] and list(edited.tags.names()) == ["旧标签"]
    version = last_history(edited)
    assert (version.history_type, version.history_date, version.body) == ("~", edited.updated_at, edited.body)
    assert changes(edited) == []
    assert changes(in_review) == [(Status.REVIEW, Status.PUBLISHED, "reviewer", "发布")]
