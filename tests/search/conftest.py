"""Every search test that takes `backend` runs once per backend this database can serve."""
import pytest
from django.db import connection

from articles.search import get_backend, parse_query
from articles.search.fallback import FallbackBackend
from articles.search.postgres import PostgresBackend, has_rum_index


def _backends():
    """The vendor's backend (on PostgreSQL also without rum, as a database lacking the extension) and the fallback."""
    fallback = pytest.param(FallbackBackend, id="fallback")
    if connection.vendor == "postgresql":
        return [pytest.param(PostgresBackend, id="postgresql-rum"),
                pytest.param(lambda: PostgresBackend(rum=False), id="postgresql-gin"), fallback]
    return [pytest.param(get_backend, id=connection.vendor), fallback]


@pytest.fixture(params=_backends())
def backend(request):
    made = request.param()
    if getattr(made, "rum", False) and not has_rum_index():
        pytest.skip("this PostgreSQL has no rum index (the extension is not installed): the GIN run covers it")
    return made


@pytest.fixture
def ids(backend):
    """The ids a search for `text` finds with this run's backend."""
    return lambda text, **kwargs: backend.search(parse_query(text), **kwargs).ids
