"""The one write path (articles/services/articles.py) called with parsed drafts: what lands in the database.

Written from the mutants bench/mutation.py found surviving: the import tests go through the command
and its worker processes, which tell whether an article was written, not what was written.
"""
import dataclasses
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from taggit.models import Tag

from articles import selectors_import
from articles.ingest import Gazetteer, Vocabulary, parse
from articles.ingest.script import name_key, to_traditional
from django.core.exceptions import PermissionDenied

from articles.models import Article, ImportBatch, ImportRecord, Region, SearchDocument, Source, Status, StatusChange
from articles.services import articles as write

pytestmark = pytest.mark.django_db

PAGES = Path(settings.BASE_DIR) / "fixtures" / "pages"
STUDY = "001_72962b98874534b5.txt"  # 学习时报, by 付文科, edited by 赵珊, about 杭州 (3301)
SOUTH = "004_834f884de4a1454c.txt"  # Traditional: 南方雜誌, about 广东 (44)
NO_DATE = "003_2871c8c39e5b1104.txt"  # has a URL and a warning


def draft_of(name, *, index=True, **changes):
    page = PAGES / name
    draft = parse(page.read_bytes(), name, gazetteer=Gazetteer.default(), vocabulary=Vocabulary(),
                  with_index_tokens=index)
    return dataclasses.replace(draft, **changes) if changes else draft


def repost(draft, name="repost.txt"):
    """The same article elsewhere: other bytes, Traditional script, one more line."""
    body = to_traditional(draft.body) + "\n\n（來源：某某網）"
    return draft_of(STUDY, filename=name, sha256="f" * 64, body=body, fingerprint=_fp(body),
                    fingerprint_bands=_bands(body), url=None)


def _fp(text):
    from articles.ingest.dedup import simhash

    return simhash(text)


def _bands(text):
    from articles.ingest.dedup import bands

    return bands(_fp(text))


def upsert(*drafts, status=Status.DRAFT, user=None, indexed=None, source_override=None, batch=None):
    sources = write.SourceResolver(selectors_import.source_index())
    with transaction.atomic():
        return write.articles_upsert_from_drafts(drafts=list(drafts), status=status, sources=sources,
                                                 region_ids=write.region_id_map(), user=user, indexed=indexed,
                                                 source_override=source_override, batch=batch)


def test_every_field_of_a_new_draft_is_written(reviewer):
    draft = draft_of(STUDY)
    indexed = set()
    [result] = upsert(draft, status=Status.REVIEW, user=reviewer, indexed=indexed)
    article = Article.objects.get()
    assert (result.status, result.article.pk, result.duplicate_of) == ("new", article.pk, None)
    assert (article.title, article.body, article.summary) == (draft.title, draft.body, draft.summary.strip())
    assert (article.published_at, article.date_only, article.views) == (draft.published_at, draft.date_only, None)
    assert (article.authors, article.editors, article.url) == (["付文科"], ["赵珊"], "")
    assert (article.language, article.encoding, article.raw_text) == (draft.language, draft.encoding, draft.raw_text)
    assert (article.raw_sha256, article.file_name, article.status) == (draft.sha256, STUDY, Status.REVIEW)
    assert article.fingerprint == draft.fingerprint
    assert (article.fp_band0, article.fp_band1, article.fp_band2, article.fp_band3) == draft.fingerprint_bands
    assert article.extraction == {"rules": draft.rules_dict, "encoding": draft.encoding}
    assert (article.warnings, article.has_warnings) == ([], False)
    assert article.source.name == "学习时报"
    assert [r.code for r in article.regions.all()] == ["3301"]
    assert sorted(article.tags.names()) == sorted(set(draft.tags))
    assert list(StatusChange.objects.values_list("from_status", "to_status", "user", "note")) == [
        ("", Status.REVIEW, reviewer.pk, "导入")]
    assert list(ImportRecord.objects.values_list("file_name", "sha256", "status", "article", "error")) == [
        (STUDY, draft.sha256, "new", article.pk, "")]
    assert article.history.get().history_user == reviewer
    document = SearchDocument.objects.get(article=article)
    assert indexed == {article.pk}
    assert {"学习", "时报", "付", "文科", "杭州"} <= set(document.meta.split())  # source, author, region


def test_warnings_and_a_url_are_written_and_a_draft_without_tokens_is_left_for_the_caller_to_index():
    draft = draft_of(NO_DATE, index=False)
    indexed = set()
    upsert(draft, indexed=indexed)
    article = Article.objects.get()
    assert (article.url, article.has_warnings) == ("https://www.dawenbi.com/181730.html", True)
    assert article.warnings == list(draft.warnings) != []
    assert indexed == set() and not SearchDocument.objects.exists()


def test_long_values_are_cut_to_their_columns():
    draft = draft_of(STUDY, title="长" * 600, summary="  " + "摘" * 600, url="https://example.com/" + "a" * 1200,
                     filename="f" * 1200 + ".txt")
    upsert(draft)
    article = Article.objects.get()
    assert (len(article.title), len(article.summary), len(article.url)) == (500, write.SUMMARY_CHARS, 1000)
    assert article.summary == "摘" * write.SUMMARY_CHARS
    assert len(article.file_name) == len(ImportRecord.objects.get().file_name) == 1000


def test_the_same_bytes_again_change_nothing_and_say_so():
    draft = draft_of(STUDY)
    [first] = upsert(draft)
    again, twin = upsert(draft, dataclasses.replace(draft, filename="copy.txt"))
    assert (again.status, again.article.pk) == ("unchanged", first.article.pk)
    assert (twin.status, twin.article.pk) == ("unchanged", first.article.pk)
    assert Article.objects.count() == 1
    assert sorted(ImportRecord.objects.values_list("status", flat=True)) == ["new", "unchanged", "unchanged"]


def test_a_new_version_at_a_known_url_updates_the_article_and_keeps_what_an_editor_changed(editor):
    draft = draft_of(NO_DATE)
    [first] = upsert(draft)
    Article.objects.filter(pk=first.article.pk).update(title="编辑改的标题", edited_fields=["title"])
    newer = dataclasses.replace(draft, sha256="e" * 64, filename="n" * 1200, title="新标题", body="新的正文。",
                                tags=("新标签",), region_codes=("44",), source="新华社")
    batch = ImportBatch.objects.create()
    [result] = upsert(newer, user=editor, batch=batch)
    article = Article.objects.get()
    assert (result.status, result.article.pk) == ("updated", first.article.pk)
    assert (article.title, article.body, article.raw_sha256, article.file_name) == (
        "编辑改的标题", "新的正文。", "e" * 64, "n" * 1000)
    assert (list(article.tags.names()), article.source.name) == (["新标签"], "新华社")
    assert [r.code for r in article.regions.all()] == ["44"]
    assert article.history.first().history_change_reason == "重新导入（原文链接相同）"
    record = ImportRecord.objects.get(status="updated")
    assert (record.article, record.batch, record.file_name, record.sha256) == (article, batch, "n" * 1000, "e" * 64)


def test_a_published_article_is_not_updated_by_an_editors_import(editor):
    draft = draft_of(NO_DATE)
    upsert(draft, status=Status.PUBLISHED)
    [result] = upsert(dataclasses.replace(draft, sha256="e" * 64, title="新标题"), user=editor)
    assert (result.status, result.article.pk) == ("unchanged", Article.objects.get().pk)
    assert result.note == "已发布的文章只有“审核”组能用新版本更新；本文件未导入。"
    assert Article.objects.get().title == draft.title
    record = ImportRecord.objects.get(sha256="e" * 64)
    assert (record.status, record.error, record.article_id) == ("unchanged", result.note, result.article.pk)


def test_a_repost_of_a_stored_article_stays_a_draft_linked_to_the_first_even_through_another_repost():
    original = draft_of(STUDY)
    [first] = upsert(original, status=Status.PUBLISHED)
    [second] = upsert(repost(original), status=Status.PUBLISHED)
    third_draft = dataclasses.replace(repost(original, "third.txt"), sha256="d" * 64)
    Article.objects.filter(pk=second.article.pk).update(fingerprint=third_draft.fingerprint)
    [third] = upsert(third_draft, status=Status.PUBLISHED)
    assert (second.status, second.duplicate_of.pk) == ("duplicate", first.article.pk)
    assert (third.status, third.duplicate_of.pk) == ("duplicate", first.article.pk)
    stored = Article.objects.get(pk=second.article.pk)
    assert (stored.status, stored.duplicate_of_id) == (Status.DRAFT, first.article.pk)
    assert StatusChange.objects.get(article=stored).note == "导入（疑似重复，保持草稿）"
    assert ImportRecord.objects.get(article=stored).status == "duplicate"
    assert write.find_near_duplicate(repost(original)).pk == first.article.pk
    assert write.find_near_duplicate(draft_of(SOUTH)) is None


def test_a_repost_later_in_the_same_chunk_is_a_duplicate_of_the_first():
    original = draft_of(STUDY)
    first, second, other = upsert(original, repost(original), draft_of(SOUTH), status=Status.PUBLISHED)
    assert (first.status, second.status, other.status) == ("new", "duplicate", "new")
    assert second.duplicate_of.pk == first.article.pk
    assert Article.objects.get(pk=second.article.pk).duplicate_of_id == first.article.pk
    assert Article.objects.get(pk=other.article.pk).status == Status.PUBLISHED


def test_an_empty_chunk_asks_for_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert write.near_duplicate_index([]).find(0) is None


def test_sources_are_found_by_any_spelling_and_created_simplified():
    [south] = upsert(draft_of(SOUTH))
    source = Source.objects.get()
    assert (source.name, source.aliases, south.article.source_id) == ("南方杂志", ["南方雜誌"], source.pk)
    sources = write.SourceResolver(selectors_import.source_index())
    assert sources.resolve("南方杂志").pk == sources.resolve(" 南方 雜誌 ").pk == source.pk
    assert sources.resolve("") is None and sources.resolve(None) is None
    Source.objects.create(name="南方日报", aliases=[])
    found = sources.resolve("南方日報")
    assert (found.name, Source.objects.get(pk=found.pk).aliases) == ("南方日报", ["南方日報"])


def test_a_source_override_replaces_the_pages_source():
    [result] = upsert(draft_of(STUDY), source_override="人民日报")
    assert result.article.source.name == "人民日报"
    [updated] = upsert(draft_of(NO_DATE))
    upsert(draft_of(NO_DATE, sha256="e" * 64), source_override="新华社")
    assert Article.objects.get(pk=updated.article.pk).source.name == "新华社"


def test_one_draft_goes_through_the_same_path_with_everything_it_is_given(reviewer):
    batch, indexed = ImportBatch.objects.create(), set()
    sources = write.SourceResolver(selectors_import.source_index())
    with transaction.atomic():
        result = write.article_upsert_from_draft(draft=draft_of(STUDY), status=Status.REVIEW, sources=sources,
                                                 region_ids=write.region_id_map(), source_override="人民日报",
                                                 user=reviewer, batch=batch, indexed=indexed)
    article = Article.objects.get()
    assert (result.status, result.article.pk, article.status, article.source.name) == (
        "new", article.pk, Status.REVIEW, "人民日报")
    assert (ImportRecord.objects.get().batch, indexed) == (batch, {article.pk})
    assert article.history.get().history_user == reviewer


def test_a_source_is_found_by_an_alias_that_is_another_name():
    source = Source.objects.create(name="南方杂志", aliases=["南方杂志社"])
    sources = write.SourceResolver(selectors_import.source_index())
    first, again = sources.resolve("南方杂志社"), sources.resolve("南方杂志社")
    assert (first.pk, again.pk, first.name, first.aliases) == (source.pk, source.pk, "南方杂志", ["南方杂志社"])
    assert Source.objects.count() == 1
    stale = write.SourceResolver({name_key("新华社"): source.pk + 100})  # a row gone since the index was read
    assert stale.resolve("新华社").name == "新华社" and Source.objects.count() == 2


def test_a_rolled_back_source_is_forgotten():
    sources = write.SourceResolver({})
    with pytest.raises(RuntimeError), sources.atomic():
        sources.resolve("新来源")
        raise RuntimeError("the chunk fails")
    assert sources.index == {} and not Source.objects.exists()
    created = sources.resolve("新来源")
    assert Source.objects.get().pk == created.pk


def test_sources_whose_names_slug_alike_get_distinct_slugs():
    sources = write.SourceResolver({})
    a, b, c = sources.resolve("A站"), sources.resolve("A·站"), sources.resolve("A！站")
    assert [s.slug for s in (a, b, c)] == ["a站", "a站-2", "a站-3"]


def test_tags_are_created_once_with_unique_slugs():
    Tag.objects.create(name="Ab", slug="ab")
    ids = write.tag_ids_for({"Ab", "AB", "ab", "党建"})
    assert set(ids) == {"Ab", "AB", "ab", "党建"} and ids["Ab"] == Tag.objects.get(name="Ab").pk
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert sorted(slugs.values()) == ["ab", "ab_2", "ab_3", "党建"]


def test_reprocess_keeps_what_an_editor_changed_and_reports_whether_anything_changed(reviewer):
    [result] = upsert(draft_of(STUDY))
    article = Article.objects.get(pk=result.article.pk)
    article.title, article.body, article.edited_fields = "编辑改的标题", "旧正文", ["title"]
    article.encoding = "gb18030"
    article.save()
    article.regions.clear()
    sources = write.SourceResolver(selectors_import.source_index())
    kwargs = {"gazetteer": Gazetteer.default(), "vocabulary": Vocabulary(), "sources": sources,
              "region_ids": write.region_id_map()}
    assert write.article_reprocess(article=article, user=reviewer, **kwargs) is True
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body) == ("编辑改的标题", result.article.body)
    assert (stored.encoding, stored.extraction["encoding"]) == ("gb18030", "gb18030")
    assert [r.code for r in stored.regions.all()] == ["3301"]
    assert stored.history.first().history_change_reason == "重新抽取"
    assert stored.history.first().history_user == reviewer
    assert write.article_reprocess(article=stored, **kwargs) is False


def reprocess_kwargs():
    return {"gazetteer": Gazetteer.default(), "vocabulary": Vocabulary(), "region_ids": write.region_id_map(),
            "sources": write.SourceResolver(selectors_import.source_index())}


def test_reprocess_puts_back_lost_regions_and_tags_alone_and_keeps_an_editors_source():
    [result] = upsert(draft_of(STUDY))
    article = Article.objects.get(pk=result.article.pk)
    article.regions.clear()
    assert write.article_reprocess(article=article, **reprocess_kwargs()) is True
    assert [r.code for r in article.regions.all()] == ["3301"]
    tags = sorted(article.tags.names())
    article.tags.clear()
    assert write.article_reprocess(article=article, **reprocess_kwargs()) is True
    assert sorted(article.tags.names()) == tags
    other = Source.objects.create(name="编辑选的来源")
    Article.objects.filter(pk=article.pk).update(source=other, edited_fields=["source"])
    article = Article.objects.get(pk=article.pk)
    assert write.article_reprocess(article=article, **reprocess_kwargs()) is False
    assert Article.objects.get(pk=article.pk).source == other


def test_reprocess_refuses_an_editor_on_a_published_article_and_skips_what_cannot_be_parsed(editor):
    [result] = upsert(draft_of(STUDY), status=Status.PUBLISHED)
    article = Article.objects.get(pk=result.article.pk)
    with pytest.raises(PermissionDenied):
        write.article_reprocess(article=article, user=editor, **reprocess_kwargs())
    article.raw_text = "   "
    assert write.article_reprocess(article=article, **reprocess_kwargs()) is False


def test_reprocess_of_many_counts_and_reports_failures_without_stopping(monkeypatch):
    upsert(draft_of(STUDY), draft_of(SOUTH), draft_of(NO_DATE))
    Article.objects.filter(file_name=SOUTH).update(raw_text="")
    Article.objects.filter(file_name=STUDY).update(body="旧正文")
    errors = []
    assert write.articles_reprocess(queryset=Article.objects.all(), errors=errors) == (3, 1)
    assert errors == []
    assert Article.objects.get(file_name=STUDY).body != "旧正文"

    def broken(**kwargs):
        raise ValueError("a bug meets a page")

    monkeypatch.setattr(write, "article_reprocess", broken)
    errors = []
    assert write.articles_reprocess(queryset=Article.objects.order_by("pk"), batch_size=1, errors=errors) == (3, 0)
    assert errors == [(pk, "ValueError: a bug meets a page") for pk in Article.objects.order_by("pk").values_list(
        "pk", flat=True)]


def test_regions_are_mapped_by_code():
    assert write.region_id_map()["3301"] == Region.objects.get(code="3301").pk
