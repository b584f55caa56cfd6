import pytest

from articles.models import Article

from .samples import load_expected, make_article

pytestmark = pytest.mark.django_db
EXPECTED = load_expected()
HANS = "001_72962b98874534b5.txt"
HANT = "004_834f884de4a1454c.txt"
OTHER = "web-024.txt"


def results(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, [r["article"].pk for r in response.context["results"]]


def test_two_character_words_in_sentences_and_highlighting(client, samples):
    response, found = results(client, q="基层")
    assert samples[HANS].pk in found and samples[OTHER].pk not in found
    html = response.content.decode()
    assert "<mark>基层</mark>" in html
    assert "找到" in html


def test_script_insensitive_both_ways(client, samples):
    _, found = results(client, q="高品质党建")
    assert samples[HANT].pk in found
    _, found = results(client, q="基層黨建")
    assert samples[HANS].pk in found


def test_title_hit_first(client, samples):
    _, found = results(client, q="养老")
    assert found[0] == samples[OTHER].pk


def test_snippet_escapes_scraped_markup(client, db):
    article = make_article(HANS, EXPECTED[HANS])
    article.body = "<script>alert(1)</script>加强基层党建工作<b>粗体</b>"
    article.save()
    html = client.get("/search/", {"q": "基层"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>粗体</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;加强<mark>基层</mark>" in html


def test_filters_sort_and_paging_params(client, samples):
    _, found = results(client, q="党建", source="南方杂志")
    assert found == [samples[HANT].pk]
    _, found = results(client, q="党建", region="33")
    assert found == [samples[HANS].pk]
    _, found = results(client, q="党建", tag="组织工作")
    assert found == [samples["002_3d63953e7ebce92d.txt"].pk]
    _, found = results(client, q="党建", **{"from": "2023-08-01", "to": "2023-08-02"})
    assert found == [samples[HANS].pk]
    _, by_date = results(client, q="党建", sort="date")
    dates = [Article.objects.get(pk=pk).published_at for pk in by_date]
    assert dates == sorted(dates, reverse=True)
    for bad in ({"page": "x"}, {"page": "-3"}, {"page": "99999"}, {"from": "2023-13-01"}, {"region": "nope"}):
        assert client.get("/search/", {"q": "党建", **bad}).status_code == 200


def test_empty_query_and_no_results(client, samples):
    assert client.get("/search/").status_code == 200
    html = client.get("/search/", {"q": "量子纠缠"}).content.decode()
    assert "没有找到" in html
