"""The list's 省份 / 城市 / 标签 / 来源 filters are autocomplete boxes (django-admin-autocomplete-filter)
that filter."""
import re

import pytest
from django.urls import reverse

from articles.models import Article, Region

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


def titles(response):
    return {a.title for a in response.context["cl"].result_list}


def test_filters_are_search_boxes_not_lists(admin_client, imported):
    page = admin_client.get(LIST).content.decode()
    for name in ("province", "city", "tag", "source__id__exact"):
        assert f'name="{name}"' in page and "admin-autocomplete" in page
        assert f'<label class="visually-hidden" for="id-{name}-dal-filter">' in page
    # the 34 provinces are no longer links in the sidebar
    assert page.count("?province=") == 0
    assert "autocomplete_filter_qs.js" in page


def test_province_city_tag_and_source_filter(admin_client, imported):
    article = next(a for a in imported if a.regions.filter(level=Region.Level.CITY).exists() and a.tags.exists())
    city = article.regions.filter(level=Region.Level.CITY).first()
    tag, source = article.tags.first(), article.source
    for query, expected in [
        (f"province={city.parent_id}", Article.objects.in_region(city.parent)),
        (f"province={city.parent_id}&city={city.pk}", Article.objects.in_region(city)),
        (f"tag={tag.pk}", Article.objects.tagged(tag)),
        (f"source__id__exact={source.pk}", Article.objects.filter(source=source)),
    ]:
        response = admin_client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert titles(response) == {a.title for a in expected} and article.title in titles(response)
    # the chosen value is shown in the box (selected option with its name)
    page = admin_client.get(f"{LIST}?tag={tag.pk}").content.decode()
    assert re.search(rf'<option value="{tag.pk}" selected>{re.escape(tag.name)}</option>', page)
    # a province id given as a city finds nothing rather than everything
    assert titles(admin_client.get(f"{LIST}?city={city.parent_id}")) == set()


@pytest.mark.parametrize("query", ["province=abc", "city=x%E5", "tag=1e3", "source__id__exact=x", "tag=999999"])
def test_bad_filter_values_are_no_500(admin_client, imported, query):
    assert admin_client.get(f"{LIST}?{query}").status_code in (200, 302)


def test_region_autocomplete_offers_one_level(admin_client, imported):
    province = Region.objects.get(name="浙江省")

    def names(**extra):
        params = {"app_label": "articles", "model_name": "article", "field_name": "regions", **extra}
        response = admin_client.get(reverse("admin:autocomplete"), params)
        assert response.status_code == 200
        return [Region.objects.get(pk=r["id"]) for r in response.json()["results"]]

    found = names(level="province", term="江")  # 浙江省, 江苏省 …, and no city such as 镇江市
    assert {"浙江省", "江苏省", "黑龙江省"} <= {r.name for r in found}
    assert {r.level for r in found} == {"province"}
    cities = names(level="city", parent=str(province.pk), term="州")
    assert {r.parent for r in cities} == {province} and "杭州市" in {r.name for r in cities}


def test_tag_autocomplete_answers(admin_client, imported):
    tag = next(t for a in imported for t in a.tags.all())
    response = admin_client.get(reverse("admin:autocomplete"), {
        "app_label": "articles", "model_name": "article", "field_name": "tags", "term": tag.name})
    assert response.status_code == 200
    assert {"id": str(tag.pk), "text": tag.name} in response.json()["results"]
