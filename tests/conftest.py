import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw")


def _member(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    """A member of 编辑: edits and submits for review, cannot publish."""
    return _member("编辑", "editor")


@pytest.fixture
def reviewer(db):
    """A member of 审核: may also publish."""
    return _member("审核", "reviewer")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached counts must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def samples(db):
    """The demo pages imported as published articles, keyed by file name (see tests/site/samples.py)."""
    from tests.site.samples import make_samples

    return make_samples()
