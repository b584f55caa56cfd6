"""Walk every admin URL and action an editor (编辑) can reach and prove none makes anything public or un-schedules it.

Nothing here is a list of known URLs: the walk enumerates the admin site's registered models, each
admin's URL patterns (custom ones included), its changelist actions and its import formats, and tries
each with the payloads an editor could send. After every request the invariants are checked.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.models import Article, ImportBatch, Region, Source, Status
from articles.resources import IMPORT_FORMATS
from articles.services import workflow

from .browserlike import form_data

pytestmark = pytest.mark.django_db

# What an editor might try on any form: publish, clear the schedule, change the text.
FORM_PAYLOADS = [{}, {"status": Status.PUBLISHED}, {"publish_at_0": "", "publish_at_1": ""},
                 {"status": Status.PUBLISHED, "publish_at_0": "", "publish_at_1": "", "title": "编辑改的标题"},
                 {"title": "编辑改的标题", "tags": "编辑的标签", "name": "编辑改的名字"},
                 {"tag": "abc", "source": "abc", "regions": "abc", "duplicate_of": "abc", "parent": "abc",
                  "version": "旧", "views": "-1", "published_at_0": "昨天", "slug": "a/b", "homepage": "javascript:x"}]
# What an editor might post to pages without a model form (duplicates, batch confirmation ...).
BARE_PAYLOADS = [{}, {"keep": "original"}, {"keep": "duplicate"}, {"status": Status.PUBLISHED}]


def reader_view(article: Article) -> tuple:
    """What readers see of an article."""
    source = Source.objects.filter(pk=article.source_id).values_list("name", "slug", "homepage").first()
    return (article.title, article.body, article.summary, source, article.url, article.published_at,
            tuple(sorted(article.tags.values_list("name", "slug"))),
            tuple(sorted(article.regions.values_list("pk", flat=True))))


class Desk:
    """The articles in every workflow state, set up by a reviewer; the invariants an editor must not break."""

    def __init__(self, imported, reviewer):
        self.public, self.scheduled, self.withdrawn, self.archived, self.duplicate = imported

        def move(article, status, **schedule):
            workflow.article_change_status(article=article, status=status, user=reviewer, **schedule)

        move(self.public, Status.PUBLISHED)
        self.schedule = timezone.now() + timedelta(days=30)
        move(self.scheduled, Status.PUBLISHED, publish_at=self.schedule)
        move(self.withdrawn, Status.PUBLISHED)
        move(self.withdrawn, Status.DRAFT)
        move(self.archived, Status.PUBLISHED)
        move(self.archived, Status.ARCHIVED)
        Article.objects.filter(pk=self.duplicate.pk).update(duplicate_of=self.public, status=Status.REVIEW)
        self.public_ids = set(Article.objects.published().values_list("pk", flat=True))
        assert self.public_ids == {self.public.pk}
        self.published = {a.pk: reader_view(a) for a in Article.objects.filter(status=Status.PUBLISHED)}

    def broken(self) -> list[str]:
        problems = []
        now_public = set(Article.objects.published().values_list("pk", flat=True))
        if now_public - self.public_ids:
            problems.append(f"made public: {sorted(now_public - self.public_ids)}")
        scheduled = Article.objects.get(pk=self.scheduled.pk)
        if scheduled.publish_at != self.schedule or scheduled.status != Status.PUBLISHED:
            problems.append(f"un-scheduled: {scheduled.status} {scheduled.publish_at}")
        for pk, seen in self.published.items():
            article = Article.objects.filter(pk=pk).first()
            if article is None or article.status != Status.PUBLISHED or reader_view(article) != seen:
                problems.append(f"published article #{pk} changed")
        return problems


def url_arguments(pattern, objects, history_ids) -> list[tuple[tuple, dict]]:
    """Every way to fill a URL pattern's parameters (named, or a regex's groups) with the objects at hand."""
    names = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
    groups = pattern.pattern.regex.groups
    if not names and not groups:
        return [((), {})]
    if "version_id" in names or (not names and groups == 2):  # a history version: (article, version)
        return [((), {"object_id": pk, "version_id": hid}) if names else ((pk, hid), {}) for pk, hid in history_ids]
    return [((), {name: obj.pk for name in names}) if names else ((obj.pk,) * groups, {}) for obj in objects]


def walk_urls(client, editor, desk, history_ids):
    """GET every named URL of every registered admin, then post every form with every payload."""
    request = RequestFactory().get("/admin/")
    request.user = editor
    visited, failures = [], []
    for model, model_admin in admin.site._registry.items():
        objects = list(model._default_manager.all()[:6])
        for pattern in model_admin.get_urls():
            if not pattern.name or pattern.name.endswith("_autocomplete"):
                continue
            for args, kwargs in url_arguments(pattern, objects, history_ids if model is Article else []):
                try:
                    url = reverse(f"admin:{pattern.name}", args=args, kwargs=kwargs)
                except NoReverseMatch:
                    continue
                page = client.get(url)
                visited.append(pattern.name)
                if page.status_code >= 500:
                    failures.append(f"GET {url}: {page.status_code}")
                    continue
                html = page.content.decode() if page.status_code == 200 else ""
                form = form_data(html) if 'id="' in html and '_form"' in html else None
                for payload in FORM_PAYLOADS if form else BARE_PAYLOADS:
                    response = client.post(url, {**(form or {}), **payload})
                    if response.status_code >= 500:
                        failures.append(f"POST {url} {payload}: {response.status_code}")
                    failures += [f"POST {url} {payload}: {p}" for p in desk.broken()]
    return visited, failures


def walk_actions(client, editor, desk):
    """Every changelist action of every registered admin, on every object, with its intermediate form filled."""
    request = RequestFactory().get("/admin/")
    request.user = editor
    region, source = Region.objects.get(code="3301"), Source.objects.first()
    done, failures = [], []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        pks = list(model._default_manager.values_list("pk", flat=True)[:10])
        for name in model_admin.get_actions(request):
            for selected in [pks, *[[pk] for pk in pks[:6]]]:
                data = {"action": name, "_selected_action": selected, "apply": "1", "tags": "编辑的标签",
                        "regions": [region.pk], "source": source.pk, "post": "yes", "keep": selected[-1]}
                response = client.post(changelist, data)
                if response.status_code >= 500:
                    failures.append(f"action {name}: {response.status_code}")
                failures += [f"action {name} on {selected}: {p}" for p in desk.broken()]
            done.append(f"{model._meta.model_name}.{name}")
    return done, failures


def walk_imports(client, desk):
    """Rows that publish or clear a schedule, in every import format the article admin offers."""
    failures = []
    rows = [(a.pk, a.title, Status.PUBLISHED, "") for a in Article.objects.all()]
    rows += [("", "编辑新建的文章", Status.PUBLISHED, ""), (desk.public.pk, "编辑改的标题", Status.PUBLISHED, "")]
    dataset = tablib.Dataset(*rows, headers=["id", "title", "status", "publish_at"])
    for index, fmt in enumerate(IMPORT_FORMATS):
        content = dataset.export(fmt().get_title().lower())
        content = content.encode() if isinstance(content, str) else content
        for row in range(len(rows)):
            one = tablib.Dataset(rows[row], headers=dataset.headers).export(fmt().get_title().lower())
            for body in (content, one.encode() if isinstance(one, str) else one):
                response = client.post(reverse("admin:articles_article_import"), {
                    "resource": 0, "format": index,
                    "import_file": SimpleUploadedFile(f"rows.{fmt().get_extension()}", body)})
                if response.status_code >= 500:
                    failures.append(f"import {fmt.__name__}: {response.status_code}")
                confirm = response.context.get("confirm_form") if response.context else None
                if confirm is not None:
                    client.post(reverse("admin:articles_article_process_import"), dict(confirm.initial))
                failures += [f"import {fmt.__name__} row {row}: {p}" for p in desk.broken()]
    return failures


def walk_upload(client, editor, desk):
    """Upload a new version of the published page (same URL) and a page asking to be published."""
    failures = []
    page = Path(desk.public.file_name).read_bytes()
    for status in (Status.PUBLISHED, Status.DRAFT):
        response = client.post(reverse("admin:articles_importbatch_upload"), {
            "status": status, "source": "",
            "files": [SimpleUploadedFile("again.txt",
                                         page.replace(desk.public.title.encode(), "编辑上传的标题".encode()))]})
        if response.status_code >= 500:
            failures.append(f"upload {status}: {response.status_code}")
    for batch in ImportBatch.objects.filter(created_by=editor, state=ImportBatch.State.PENDING):
        confirm = reverse("admin:articles_importbatch_confirm", args=[batch.pk])
        client.get(confirm)
        client.post(confirm, {})
    failures += [f"upload: {p}" for p in desk.broken()]
    return failures


def test_no_admin_url_or_action_lets_an_editor_publish_or_unschedule(client, editor, reviewer, imported):
    Article.objects.filter(pk=imported[0].pk).update(url="https://example.com/same-page")  # an upload can match it
    imported[0].refresh_from_db()
    desk = Desk(imported, reviewer)
    history_ids = list(Article.history.values_list("id", "history_id"))
    client.force_login(editor)

    failures = walk_upload(client, editor, desk)
    visited, url_failures = walk_urls(client, editor, desk, history_ids)
    actions, action_failures = walk_actions(client, editor, desk)
    failures += url_failures + action_failures + walk_imports(client, desk)

    assert failures == [], "\n".join(failures[:30])
    # The walk really went everywhere: custom URLs, history versions, every article action.
    for name in ("articles_article_change", "articles_article_simple_history", "articles_article_compare",
                 "articles_article_preview", "articles_article_attention", "articles_article_import",
                 "articles_importbatch_upload", "articles_importbatch_confirm", "articles_source_change",
                 "taggit_tag_change"):
        assert name in visited, name
    assert {"article.set_published", "article.set_review", "article.add_tags", "article.set_regions",
            "article.reprocess_selected", "source.merge_sources", "tag.merge_tags"} <= set(actions)
