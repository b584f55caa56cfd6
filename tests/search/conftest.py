"""Every search test that takes `backend` runs once per backend this database can serve."""
import pytest
from django.db import connection

from articles.search import database_backend, get_backend, parse_query
from articles.search.fallback import FallbackBackend
from articles.search.postgres import PostgresBackend, has_rum_index
from articles.search.tantivy_backend import TantivyBackend
from articles.search.tantivy_sync import sync

TANTIVY = "tantivy"


class Following(TantivyBackend):
    """The tantivy backend on a machine whose index has just caught up: each search syncs first."""

    def search(self, *args, **kwargs):
        sync(self.path)
        return super().search(*args, **kwargs)


def _backends():
    """The vendor's backend (on PostgreSQL also without rum, as a database lacking the extension), tantivy's
    over this database, and the fallback."""
    fallback = pytest.param(FallbackBackend, id="fallback")
    tantivy = pytest.param(TANTIVY, id="tantivy")
    if connection.vendor == "postgresql":
        return [pytest.param(PostgresBackend, id="postgresql-rum"),
                pytest.param(lambda: PostgresBackend(rum=False), id="postgresql-gin"), tantivy, fallback]
    return [pytest.param(get_backend, id=connection.vendor), tantivy, fallback]


@pytest.fixture(params=_backends())
def backend(request):
    if request.param == TANTIVY:
        return Following(str(request.getfixturevalue("tmp_path") / "index"), database=database_backend())
    made = request.param()
    if getattr(made, "rum", False) and not has_rum_index():
        pytest.skip("this PostgreSQL has no rum index (the extension is not installed): the GIN run covers it")
    return made


@pytest.fixture
def ids(backend):
    """The ids a search for `text` finds with this run's backend."""
    return lambda text, **kwargs: backend.search(parse_query(text), **kwargs).ids
