import shutil
from pathlib import Path

import pytest
from django.conf import settings

PAGES = Path(settings.BASE_DIR) / "fixtures" / "pages"


@pytest.fixture
def pages(tmp_path):
    """A copy of the five demo page dumps in a folder of their own."""
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    return folder
