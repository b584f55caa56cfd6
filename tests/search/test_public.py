""""Public" is Article.objects.published(): every search backend finds exactly those articles."""
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status
from articles.search import parse_query

pytestmark = pytest.mark.django_db


def test_search_finds_exactly_the_published_queryset(backend):
    now = timezone.now()
    for status in Status.values:
        for publish_at in (None, now - timedelta(minutes=1), now, now + timedelta(minutes=1)):
            Article.objects.create(title=f"试点示范{status}", body="基层治理试点示范。", status=status,
                                   publish_at=publish_at)
    public = set(Article.objects.published(now).values_list("pk", flat=True))
    assert len(public) == 3  # published with no schedule, a past one and one due this instant
    for moment in (now, now + timedelta(minutes=2)):
        public = set(Article.objects.published(moment).values_list("pk", flat=True))
        assert set(backend.search(parse_query("试点示范"), now=moment, limit=100).ids) == public
