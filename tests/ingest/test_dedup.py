from articles.ingest import parse
import pytest

from articles.ingest.dedup import NearDuplicates, bands, hamming, simhash
from articles.ingest.script import to_traditional


def test_simplified_and_traditional_reposts_with_other_boilerplate_are_near_duplicates(samples_dir, gazetteer, vocabulary):
    original = (samples_dir / "001_72962b98874534b5.txt").read_text(encoding="utf-8")
    first = parse(original.encode("utf-8"), "a.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    repost = "\n".join([
        "首頁 | 新聞 | 評論 | 專題", "當前位置：首頁 > 理論 > 正文",
        to_traditional(first.title), "2023-08-03 09:00 來源：學習時報",
        to_traditional(first.body), "(責編:王五)", "相關閱讀", "版權所有 某某新聞網 Copyright 2024",
    ])
    second = parse(repost.encode("utf-8"), "b.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert second.language == "zh-Hant"
    assert hamming(first.fingerprint, second.fingerprint) <= 3
    assert set(first.fingerprint_bands) & set(second.fingerprint_bands)


def test_unrelated_articles_are_far_apart(samples_dir, gazetteer, vocabulary):
    drafts = [parse(p.read_bytes(), p.name, gazetteer=gazetteer, vocabulary=vocabulary)
              for p in sorted(samples_dir.glob("web-0[0-2]*.txt")) if "gb18030" not in p.name]
    for i, a in enumerate(drafts):
        for b in drafts[i + 1:]:
            assert hamming(a.fingerprint, b.fingerprint) > 10, (a.filename, b.filename)


def test_fingerprint_fits_a_signed_bigint_and_bands_are_16_bit():
    fp = simhash("抓基层、打基础，是我们党治国理政、管党治党的固本之策。" * 3)
    assert -(2**63) <= fp < 2**63
    assert all(0 <= b < 2**16 for b in bands(fp))


def test_the_near_duplicate_index_finds_the_earliest_within_the_distance_and_nothing_farther():
    near = NearDuplicates(3)
    far, a, b = 0b1111 << 40, 0, 0b111  # b is 3 bits from a; far is 4 bits from a
    assert near.find(a) is None
    near.add(b, "b")
    near.add(a, "a")
    assert near.find(a) == "b"  # both match: the one added first wins
    assert near.find(0b11) == "b"
    assert near.find(far) is None and near.find(0b111111 << 20) is None
    spread = (1 << 16) | (1 << 32) | (1 << 48)  # three bands differ from a's, one is equal
    assert hamming(spread, a) == 3 and near.find(spread) == "a"


def test_a_distance_the_bands_cannot_guarantee_is_refused():
    with pytest.raises(ValueError, match="between 0 and 3"):
        NearDuplicates(4)
