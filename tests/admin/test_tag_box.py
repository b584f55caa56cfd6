"""The change form's tag box: stored tags offered as you type (either script, most used first), new names
kept, ，and 、 still separate names."""
import pytest
from django.urls import reverse

from .browserlike import open_and_post

pytestmark = pytest.mark.django_db

URL = reverse("admin:articles_article_tag_autocomplete")


def test_the_box_offers_stored_tags_in_either_script(client, editor, imported):
    imported[0].tags.add("党建引领")
    imported[1].tags.add("党建引领")
    imported[2].tags.add("党建工作")
    client.force_login(editor)
    for term in ("党建", "黨建"):
        names = [r["id"] for r in client.get(URL, {"term": term}).json()["results"]]
        assert {"党建引领", "党建工作"} <= set(names) and names.index("党建引领") < names.index("党建工作"), names
    assert client.get(URL, {"term": "没有这个标签"}).json() == {"results": [], "pagination": {"more": False}}
    assert client.get(URL, {"term": "党", "page": "abc"}).status_code == 200  # junk page: the first page


def test_the_box_needs_a_desk_login(client, imported):
    assert client.get(URL, {"term": "党建"}).status_code == 302


def test_the_change_form_shows_the_box_with_the_articles_tags(client, editor, imported):
    article = imported[0]
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'data-tags="true"' in page and URL in page and "，" in page  # separators include ，and 、
    for name in article.tags.names():
        assert f'<option value="{name}" selected>{name}</option>' in page


def test_names_picked_typed_or_separated_by_chinese_commas_are_saved(client, editor, imported):
    article = imported[0]
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = open_and_post(client, url, tags=["党建", "新标签甲，新标签乙、新标签丙"])
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert sorted(article.tags.names()) == sorted(["党建", "新标签甲", "新标签乙", "新标签丙"])
    assert "tags" in article.edited_fields
