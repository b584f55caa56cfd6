"""Property tests: parse() returns a draft or refuses with IngestError, whatever bytes it is given.

Derandomized (the same examples on every run, in CI too) and bounded, so they stay quick;
bench/fuzz.py runs the long campaign.
"""
import random
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import ArticleDraft, IngestError, parse
from articles.ingest.checks import MAX_VIEWS, UNSTORABLE
from articles.ingest.dedup import fingerprint_text
from articles.ingest.script import nfkc

from .conftest import SHARED_SAMPLES
from .mutations import ENCODINGS, JUNK, mutate

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PAGES = sorted(p for p in SHARED_SAMPLES.iterdir() if p.suffix == ".txt")
# Page-like text: hanzi, the labels and punctuation pages use, junk, and arbitrary characters.
page_text = st.lists(st.one_of(st.sampled_from(JUNK), st.text(min_size=1, max_size=40),
                               st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1,
                                       max_size=60), st.just("\n")), max_size=60).map("".join)


def assert_parses_or_refuses(data: bytes, filename: str, gazetteer, vocabulary) -> ArticleDraft | None:
    try:
        draft = parse(data, filename, gazetteer=gazetteer, vocabulary=vocabulary, with_index_tokens=True)
    except IngestError as exc:
        assert exc.filename == filename and str(exc).startswith(filename)
        return None
    # What a draft carries fits the database: no NUL or lone surrogate, a count a 64-bit column holds.
    for value in (draft.title, draft.body, draft.raw_text, draft.summary, draft.source or "", *draft.tags,
                  *draft.authors, *draft.editors, draft.url or ""):
        assert not UNSTORABLE.search(value)
    assert draft.views is None or 0 <= draft.views <= MAX_VIEWS
    assert draft.published_at is None or 1900 <= draft.published_at.year <= 2100
    return draft


@FUZZ
@given(text=page_text, suffix=st.sampled_from([".txt", ".html"]))
def test_any_text_as_utf8(text, suffix, gazetteer, vocabulary):
    assert_parses_or_refuses(text.encode("utf-8", "surrogatepass"), f"page{suffix}", gazetteer, vocabulary)


@FUZZ
@given(text=page_text, encoding=st.sampled_from(ENCODINGS))
def test_any_text_in_each_encoding(text, encoding, gazetteer, vocabulary):
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    assert_parses_or_refuses(data, "page.txt", gazetteer, vocabulary)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_any_bytes(data, gazetteer, vocabulary):
    assert_parses_or_refuses(data, "page.txt", gazetteer, vocabulary)


@FUZZ
@given(page=st.sampled_from(PAGES), rnd=st.randoms(use_true_random=False))
def test_mutated_real_pages(page, rnd: random.Random, gazetteer, vocabulary):
    data, _ = mutate(page.read_bytes().decode("utf-8", "replace"), rnd)
    assert_parses_or_refuses(data, page.name, gazetteer, vocabulary)


@pytest.mark.parametrize("page", PAGES[:4], ids=lambda p: p.name)
def test_the_pages_the_mutations_start_from_parse(page, gazetteer, vocabulary):
    assert assert_parses_or_refuses(page.read_bytes(), page.name, gazetteer, vocabulary) is not None


@FUZZ
@given(st.lists(st.one_of(page_text, st.text(), st.sampled_from(["，", "　", "Ａ１", "\u0301", "ﬁ", "㍿", "\ud800"])),
                max_size=30).map("".join))
def test_fast_nfkc_is_nfkc(text):
    """script.nfkc maps full-width forms itself before normalizing: the result is NFKC's, whatever the text."""
    for sample in (text, text * (300 // max(1, len(text)) + 1)):  # short and long (the fast path) alike
        assert nfkc(sample) == unicodedata.normalize("NFKC", sample)


@FUZZ
@given(st.lists(st.one_of(page_text, st.text(), st.sampled_from(["_", "，", "𠀀", "𝐀", "\U0001F600", "\ud800", "Ⅻ", "²"])),
                max_size=30).map("".join))
def test_fingerprint_text_keeps_the_word_characters(text):
    """fingerprint_text keeps what a regex's word characters keep, less _, through its own table."""
    assert fingerprint_text("", folded=text) == re.sub(r"[\W_]+", "", text)
