"""Every admin page loads for a superuser and for each group; permissions are enforced."""
import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.urls import reverse

from articles.admin.forms import ArticleForm
from articles.models import Article, ImportBatch, Region, Source

pytestmark = pytest.mark.django_db


def urls(article, source, region, batch):
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist")
        + f"?province={region.parent_id or region.pk}&city={region.pk}&tag=abc",
        reverse("admin:articles_article_changelist") + "?attention=no_tags",
        reverse("admin:articles_article_changelist") + "?q=党建",
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_preview", args=[article.pk]),
        reverse("admin:articles_article_attention"),
        reverse("admin:articles_article_import"),
        reverse("admin:articles_article_export"),
        reverse("admin:articles_source_changelist"),
        reverse("admin:articles_source_change", args=[source.pk]),
        reverse("admin:articles_region_changelist"),
        reverse("admin:articles_region_change", args=[region.pk]),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:articles_tagsynonym_changelist"),
        reverse("admin:articles_importbatch_changelist"),
        reverse("admin:articles_importbatch_upload"),
        reverse("admin:articles_importbatch_change", args=[batch.pk]),
    ]


@pytest.mark.parametrize("who", ["superuser", "editor", "reviewer"])
def test_every_admin_page_loads(who, request, client, imported):
    user = request.getfixturevalue(who)
    client.force_login(user)
    article = imported[1]
    for url in urls(article, Source.objects.first(), Region.objects.get(code="3301"), ImportBatch.objects.first()):
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)


def test_duplicate_comparison_page(client, reviewer, imported):
    a, b = imported[0], imported[1]
    b.duplicate_of = a
    b.save()
    client.force_login(reviewer)
    html = client.get(reverse("admin:articles_article_compare", args=[b.pk])).content.decode()
    assert a.title in html and b.title in html and "保留原稿" in html


def test_changelist_query_count_is_constant(client, superuser, imported, django_assert_max_num_queries):
    client.force_login(superuser)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_anonymous_is_sent_to_login(client, imported):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302 and "/login/" in response.url


def test_staff_without_group_sees_no_articles(client, django_user_model, imported):
    user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


@pytest.mark.parametrize("who", ["superuser", "reviewer", "editor"])
def test_the_article_form_lists_every_field_the_admin_lets_each_group_change(who, request):
    """ArticleForm names its fields: each one the change page offers for editing is among them."""
    model_admin = admin.site._registry[Article]
    http = RequestFactory().get("/")
    http.user = request.getfixturevalue(who)
    shown = set(flatten_fieldsets(model_admin.get_fieldsets(http))) - set(model_admin.get_readonly_fields(http))
    editable = shown - {"version"}  # the concurrency token is the form's own field, not the model's
    assert editable <= set(ArticleForm._meta.fields)
    assert editable <= set(model_admin.get_form(http)().fields)
    assert set(ArticleForm._meta.fields) - editable <= {"publish_at"}  # read-only for editors, who may not publish
