"""Later migrations must not drop the raw indexes of 0004/0005 (an AlterField rebuilds a table on SQLite)."""
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_site_indexes_survive_every_migration():
    with connection.cursor() as cursor:
        indexes = {name for table in ("articles_article", "articles_searchdocument")
                   for name in connection.introspection.get_constraints(cursor, table)}
    assert {"article_public_newest_idx", "article_source_pub_idx"} <= indexes
    if connection.vendor == "postgresql":
        assert "searchdoc_newest_idx" in indexes
