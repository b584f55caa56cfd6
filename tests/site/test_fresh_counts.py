"""Cached counts follow every write: an import, a publish, an unpublish, a tag edit, a scheduled time."""
import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status
from articles.services.imports import ingest_paths
from articles.services.workflow import article_change_status

from .samples import SAMPLES

pytestmark = pytest.mark.django_db
PAGES = ["001_72962b98874534b5.txt", "004_834f884de4a1454c.txt", "web-003.txt", "web-024.txt", "web-038.txt"]


def _provinces(client):
    return re.findall(r'<h2><a href="/regions/(\d+)/">', client.get("/regions/").content.decode())


def _count_links(client, url):
    return len(re.findall(r'class="count"', client.get(url).content.decode()))


def test_import_publish_and_unpublish_show_at_once(client, superuser):
    assert _provinces(client) == [] and _count_links(client, "/") == 0  # cached while empty
    # The bulk import path writes without model signals: the version still moves.
    ingest_paths(paths=[SAMPLES / name for name in PAGES], status=Status.PUBLISHED)
    provinces = _provinces(client)
    assert len(provinces) >= 3
    assert _count_links(client, "/tags/") > 0 and _count_links(client, "/") > 0
    guangdong = Article.objects.get(regions__name="广东省")
    article_change_status(article=guangdong, status=Status.DRAFT, user=superuser)
    assert len(_provinces(client)) == len(provinces) - 1
    article_change_status(article=Article.objects.get(pk=guangdong.pk), status=Status.PUBLISHED, user=superuser)
    assert _provinces(client) == provinces


def test_tag_rename_and_removal_show_at_once(client, superuser):
    ingest_paths(paths=[SAMPLES / PAGES[0]], status=Status.PUBLISHED)
    article = Article.objects.get()
    article.tags.set(["党建"])
    assert "党建" in client.get("/tags/").content.decode()
    tag = article.tags.get()
    tag.name = "党的建设"
    tag.save()
    assert "党的建设" in client.get("/tags/").content.decode()
    article.tags.clear()
    assert "党的建设" not in client.get("/tags/").content.decode()


def test_a_scheduled_article_is_counted_once_its_time_comes(client, superuser):
    ingest_paths(paths=[SAMPLES / PAGES[0]], status=Status.DRAFT)
    article_change_status(article=Article.objects.get(), status=Status.PUBLISHED, user=superuser,
                          publish_at=timezone.now() + timedelta(seconds=1))
    assert _provinces(client) == []
    time.sleep(1.1)
    assert len(_provinces(client)) == 1
