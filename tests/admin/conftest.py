import pytest
from django.conf import settings

from articles.models import Article
from articles.services.imports import ingest_paths


@pytest.fixture
def imported(db):
    """The five demo pages, imported as drafts."""
    ingest_paths(paths=[settings.BASE_DIR / "fixtures" / "pages"])
    return list(Article.objects.order_by("pk"))
