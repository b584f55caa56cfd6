"""Values a database column cannot hold are dropped or cleaned where they leave the core, with a warning."""
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from articles.ingest import parse
from articles.ingest.checks import MAX_VIEWS, checked

from .conftest import FIXTURE_PAGES

PAGE = FIXTURE_PAGES / "001_72962b98874534b5.txt"


def _page(gazetteer, vocabulary, text: str | None = None, encoding: str = "utf-8"):
    text = PAGE.read_text(encoding="utf-8") if text is None else text
    return parse(text.encode(encoding), PAGE.name, gazetteer=gazetteer, vocabulary=vocabulary)


def test_an_absurd_view_count_is_dropped_and_a_big_real_one_kept(gazetteer, vocabulary):
    text = PAGE.read_text(encoding="utf-8").replace("2023-08-02 11:19:26", "2023-08-02 11:19:26 浏览：{}")
    huge = _page(gazetteer, vocabulary, text.format("99999999999999999999999"))
    assert huge.views is None and "view count 99999999999999999999999 is not a real count: dropped" in huge.warnings
    big = _page(gazetteer, vocabulary, text.format("3000000000"))
    assert big.views == 3_000_000_000 and not any("count" in w for w in big.warnings)
    assert checked(replace(big, views=MAX_VIEWS + 1)).views is None


def test_nul_and_lone_surrogates_are_removed_with_a_warning(gazetteer, vocabulary):
    text = PAGE.read_text(encoding="utf-8").replace("。", "。\x00", 2)
    draft = _page(gazetteer, vocabulary, text, "utf-16")
    assert "\x00" not in draft.body + draft.raw_text + draft.summary
    assert any(w.startswith("removed ") and "cannot store" in w and "body" in w for w in draft.warnings)
    broken = checked(replace(draft, title="标题\ud800", tags=("党建\udfff",)))
    assert broken.title == "标题" and broken.tags == ("党建",)


def test_a_date_out_of_range_is_dropped(gazetteer, vocabulary):
    draft = _page(gazetteer, vocabulary)
    ancient = checked(replace(draft, published_at=datetime(1, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))))
    assert ancient.published_at is None and not ancient.date_only
    assert "date 0001-01-01 is out of range (1900–2100): dropped" in ancient.warnings
    assert checked(draft) is draft  # nothing to check: the same draft back


def test_a_source_or_tag_longer_than_its_column_is_dropped(gazetteer, vocabulary):
    draft = checked(replace(_page(gazetteer, vocabulary), source="学" * 201, tags=("党建", "长" * 101)))
    assert draft.source is None and draft.tags == ("党建",)
    assert "source name of 201 characters is not a name: dropped" in draft.warnings
