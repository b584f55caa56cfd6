from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag

from articles.ingest.script import name_key
from articles.models import Article, Region, RegionAlias, Source, Status
from articles.selectors_import import source_index
from articles.tag_strings import parse_tags

pytestmark = pytest.mark.django_db


def make(title="以高质量党建促进高质量发展", **kw):
    return Article.objects.create(title=title, body="第一段。\n\n第二段。", **kw)


class TestConstraints:
    def test_empty_title_rejected_by_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.bulk_create([Article(title="")])

    def test_unknown_status_rejected_by_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.bulk_create([Article(title="标题", status="deleted")])

    def test_raw_bytes_sha256_unique(self):
        make(raw_sha256="a" * 64)
        with pytest.raises(IntegrityError), transaction.atomic():
            make(title="另一篇", raw_sha256="a" * 64)

    def test_articles_without_raw_text_may_coexist(self):
        make(raw_sha256=None)
        make(title="手工录入", raw_sha256=None)
        assert Article.objects.count() == 2

    def test_not_a_duplicate_of_itself(self):
        a = make()
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=a.pk).update(duplicate_of=a)

    def test_summary_defaults_to_first_paragraph(self):
        assert make().summary == "第一段。"

    def test_source_name_unique(self):
        Source.objects.create(name="学习时报")
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.create(name="学习时报", slug="other")


class TestPublished:
    def test_only_published_status(self):
        for status in Status.values:
            make(title=f"{status}稿", status=status)
        assert [a.title for a in Article.objects.published()] == ["published稿"]

    def test_scheduled_article_hidden_until_its_time(self):
        now = timezone.now()
        later = make(title="定时稿", status=Status.PUBLISHED, publish_at=now + timedelta(hours=1))
        due = make(title="到点稿", status=Status.PUBLISHED, publish_at=now - timedelta(minutes=1))
        assert list(Article.objects.published(now=now)) == [due]
        assert set(Article.objects.published(now=now + timedelta(hours=2))) == {later, due}


class TestRegions:
    def test_every_province_level_unit_loaded(self):
        provinces = Region.objects.filter(level=Region.Level.PROVINCE)
        assert provinces.count() == 34
        names = set(provinces.values_list("short_name", flat=True))
        assert {"内蒙古", "广西", "香港", "澳门", "台湾", "重庆"} <= names

    def test_cities_and_short_names(self):
        hz = Region.objects.get(name="杭州市")
        assert hz.short_name == "杭州" and hz.parent.name == "浙江省"
        assert hz.path == "浙江省/杭州市"
        assert str(hz) == "浙江省 › 杭州市"
        assert Region.objects.get(name="延边朝鲜族自治州").short_name == "延边"

    def test_county_names_resolve_to_their_city(self):
        assert RegionAlias.objects.get(name="昆山市").region.path == "江苏省/苏州市"
        assert RegionAlias.objects.get(name="冠县").region.path == "山东省/聊城市"
        assert RegionAlias.objects.get(name="香洲区").region.path == "广东省/珠海市"

    def test_municipality_districts_resolve_to_the_municipality(self):
        assert RegionAlias.objects.get(name="渝中区").region.path == "重庆市"
        assert RegionAlias.objects.get(name="浦东新区").region.path == "上海市"

    def test_in_region_province_includes_its_cities(self):
        zj, hz = Region.objects.get(name="浙江省"), Region.objects.get(name="杭州市")
        city_article = make(title="杭州稿")
        city_article.regions.add(hz)
        province_article = make(title="浙江稿")
        province_article.regions.add(zj)
        other = make(title="苏州稿")
        other.regions.add(RegionAlias.objects.get(name="昆山市").region)
        assert set(Article.objects.in_region(zj)) == {city_article, province_article}
        assert set(Article.objects.in_region(hz)) == {city_article}

    def test_in_region_does_not_repeat_articles(self):
        zj, hz = Region.objects.get(name="浙江省"), Region.objects.get(name="杭州市")
        a = make()
        a.regions.add(zj, hz)
        assert list(Article.objects.in_region(zj)) == [a]


class TestTagsAndSources:
    def test_chinese_separators_and_unicode_slugs(self):
        a = make()
        a.tags.add(*parse_tags("基层党建，乡村振兴、党建 党建"))
        assert sorted(a.tags.names()) == ["乡村振兴", "党建", "基层党建"]
        assert Tag.objects.get(name="基层党建").slug == "基层党建"

    def test_tagged(self):
        a, b = make(), make(title="其他")
        a.tags.add("党建")
        b.tags.add("乡村振兴")
        assert list(Article.objects.tagged("党建")) == [a]
        assert list(Article.objects.tagged(Tag.objects.get(name="乡村振兴"))) == [b]

    def test_source_stored_simplified_with_unicode_slug(self):
        s = Source.objects.create(name="南方雜誌", aliases=["南方雜誌"])
        assert s.name == "南方杂志" and s.slug == "南方杂志"
        assert source_index()[name_key("南方雜誌")] == s.pk  # where imports look a source up

    def test_natural_keys(self):
        assert Region.objects.get_by_natural_key("3301").name == "杭州市"
        s = Source.objects.create(name="学习时报")
        assert Source.objects.get_by_natural_key("学习时报") == s
