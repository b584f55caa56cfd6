"""Ingest tests need no database: the core is pure."""
import json
from pathlib import Path

import pytest

from articles.ingest import Gazetteer, Vocabulary

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PAGES = ROOT / "fixtures" / "pages"
# A copy of ../shared/samples (page dumps and the labels a careful editor gave them), kept with the tests.
SHARED_SAMPLES = Path(__file__).resolve().parent / "samples"


@pytest.fixture(scope="session")
def gazetteer():
    return Gazetteer.default()


@pytest.fixture(scope="session")
def vocabulary():
    return Vocabulary(tags=frozenset({"党建", "基层党建", "乡村振兴"}), synonyms={"党的建设": "党建"})


@pytest.fixture(scope="session")
def samples_dir():
    return SHARED_SAMPLES


@pytest.fixture(scope="session")
def expected(samples_dir):
    return {k: v for k, v in json.loads((samples_dir / "expected.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}
