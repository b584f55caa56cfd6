"""Every warning the extraction core gives an editor reads in Chinese on the desk."""
import re
from pathlib import Path

from articles.admin.reasons import warning_label
from articles.ingest.pipeline import ISSUE_MONTH_WARNING

INGEST = Path(__file__).resolve().parents[2] / "articles" / "ingest"


def test_every_fixed_warning_of_the_core_has_a_chinese_label():
    found = {ISSUE_MONTH_WARNING}
    for path in INGEST.rglob("*.py"):
        found |= set(re.findall(r'warnings\.append\("([^"{]+)"\)', path.read_text(encoding="utf-8")))
    assert len(found) >= 8
    untranslated = sorted(w for w in found if warning_label(w) == w)
    assert untranslated == []
