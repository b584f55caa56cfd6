import pytest
from django.core.exceptions import PermissionDenied
from taggit.models import Tag

from articles.models import Article, Source, Status, TagSynonym
from articles.selectors_import import build_vocabulary
from articles.services import curation

pytestmark = pytest.mark.django_db


def test_merge_tags_keeps_one_and_maps_future_imports(imported, reviewer):
    a, b = imported[0], imported[1]
    a.tags.add("党的建设")
    b.tags.add("党建")
    keep, other = Tag.objects.get(name="党建"), Tag.objects.get(name="党的建设")
    curation.tag_merge(keep=keep, others=[other], user=reviewer)
    assert not Tag.objects.filter(name="党的建设").exists()
    assert "党建" in a.tags.names()
    assert TagSynonym.objects.get(name="党的建设").tag == keep
    assert build_vocabulary().canonical("党的建设") == "党建"


def test_rename_tag_keeps_old_name_as_synonym(imported):
    tag, _ = Tag.objects.get_or_create(name="党的建设", defaults={"slug": "党的建设"})
    curation.tag_rename(tag=tag, name="党建工作")
    assert TagSynonym.objects.get(name="党的建设").tag.name == "党建工作"


def test_merge_sources_keeps_old_names_as_aliases(imported, reviewer):
    keep = Source.objects.get(name="学习时报")
    other = Source.objects.create(name="学习时报社", aliases=["學習時報社"])
    moved = Article.objects.filter(pk=imported[0].pk)
    moved.update(source=other)
    curation.source_merge(keep=keep, others=[other], user=reviewer)
    keep.refresh_from_db()
    assert {"学习时报社", "學習時報社"} <= set(keep.aliases)
    assert Article.objects.get(pk=imported[0].pk).source == keep
    assert not Source.objects.filter(name="学习时报社").exists()


def test_resolve_duplicate_carries_tags_and_regions_and_never_deletes(imported, reviewer):
    keep, dup = imported[0], imported[1]
    dup.duplicate_of = keep
    dup.save()
    dup_tags = set(dup.tags.names())
    dup_regions = set(dup.regions.all())
    curation.article_resolve_duplicate(keep=keep, duplicate=dup, user=reviewer)
    dup.refresh_from_db()
    assert dup.status == Status.ARCHIVED and dup.duplicate_of == keep
    assert dup_tags <= set(keep.tags.names()) and dup_regions <= set(keep.regions.all())
    assert Article.objects.filter(pk=dup.pk).exists()


def test_editor_cannot_archive_a_published_duplicate(imported, editor):
    keep, dup = imported[0], imported[1]
    Article.objects.filter(pk=dup.pk).update(status=Status.PUBLISHED)
    dup.refresh_from_db()
    with pytest.raises(PermissionDenied):
        curation.article_resolve_duplicate(keep=keep, duplicate=dup, user=editor)
    dup.refresh_from_db()
    assert dup.status == Status.PUBLISHED and dup.duplicate_of_id is None


def test_not_a_duplicate_keeps_both_as_they_are(client, editor, imported):
    from django.urls import reverse

    original, duplicate = imported[0], imported[1]
    Article.objects.filter(pk=duplicate.pk).update(duplicate_of=original)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_compare", args=[duplicate.pk])).content.decode()
    assert "不是重复" in page
    diff = page[page.index('<div class="text-diff">'):]
    assert "<del>" in diff and "<ins>" in diff  # two different bodies, their difference marked
    response = client.post(reverse("admin:articles_article_compare", args=[duplicate.pk]), {"not_duplicate": "1"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id is None and duplicate.status == Status.DRAFT
    assert Article.objects.get(pk=original.pk).status == Status.DRAFT
    assert "不是" in Article.history.filter(id=duplicate.pk).first().history_change_reason


def test_merging_tags_lets_the_editor_choose_the_survivor(client, reviewer, imported):
    from django.urls import reverse

    for a in imported:
        a.tags.add("党的建设")
    imported[0].tags.add("党建工作")
    popular, rare = Tag.objects.get(name="党的建设"), Tag.objects.get(name="党建工作")
    client.force_login(reviewer)
    changelist = reverse("admin:taggit_tag_changelist")
    page = client.post(changelist, {"action": "merge_tags", "_selected_action": [popular.pk, rare.pk]})
    assert page.status_code == 200 and "党建工作（1 篇）" in page.content.decode()
    response = client.post(changelist, {"action": "merge_tags", "_selected_action": [popular.pk, rare.pk],
                                        "apply": "1", "keep": rare.pk})
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=popular.pk).exists()
    assert all("党建工作" in a.tags.names() for a in imported)
    assert TagSynonym.objects.get(name="党的建设").tag == rare


def test_the_comparison_says_when_the_bodies_are_the_same(client, editor, imported):
    from django.urls import reverse

    original, duplicate = imported[0], imported[1]
    Article.objects.filter(pk=duplicate.pk).update(duplicate_of=original, body=original.body)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_compare", args=[duplicate.pk])).content.decode()
    assert "两篇正文相同" in page and '<div class="text-diff">' not in page
