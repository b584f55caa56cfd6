"""What the importer writes is found by search: its own search documents, not ones the ORM built."""
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article, SearchDocument, Status
from articles.search import document_for, get_backend, parse_query
from articles.services.imports import ingest_paths

pytestmark = pytest.mark.django_db

PAGES = Path(settings.BASE_DIR) / "fixtures" / "pages"


def ids(text):
    return get_backend().search(parse_query(text), limit=100).ids


@pytest.mark.parametrize("workers", [1, 2])
def test_imported_articles_are_found_by_source_tags_regions_and_authors(workers):
    summary = ingest_paths(paths=[PAGES], status=Status.PUBLISHED, workers=workers)
    assert summary.counts["new"] == 5
    for article in Article.objects.all():
        doc = SearchDocument.objects.get(article=article)
        expected = document_for(article)  # what the indexer builds from the stored article and its relations
        assert (doc.title, doc.body, doc.meta, doc.published_at) == (
            expected.title, expected.body, expected.meta, expected.published_at), article.file_name
    article = Article.objects.get(title="推动基层党建全域提升全面提质")
    assert article.source.name == "学习时报" and article.authors and article.tags.exists()
    for term in ["学习时报", *article.tags.names(), "杭州", *article.authors]:
        assert article.pk in ids(term), term
        assert term in doc_meta(article), term


def doc_meta(article) -> str:
    return SearchDocument.objects.get(article=article).meta.replace(" ", "")
