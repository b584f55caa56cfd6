"""Every labelled sample through parse(): the fields a careful editor would extract."""
import pytest

from articles.ingest import draft_to_record, parse

from .conftest import SHARED_SAMPLES


def _cases():
    import json

    path = SHARED_SAMPLES / "expected.json"
    if not path.exists():
        return []
    labels = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    cases = []
    for name, label in sorted(labels.items()):
        cases.append((name, label))
        cases += [(v if v.endswith(".txt") else f"{name[:-4]}.{v}.txt", label) for v in label.get("variants", [])]
    return cases


def _norm(s):
    import re
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def _ok(field, want, alts, got):
    return any(_norm(str(w)) == _norm(str(got)) for w in [want, *alts])


@pytest.mark.parametrize("name, label", _cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_sample(name, label, samples_dir, gazetteer, vocabulary):
    draft = parse((samples_dir / name).read_bytes(), name, gazetteer=gazetteer, vocabulary=vocabulary)
    record = draft_to_record(draft, file=name, status="new")
    alt = label.get("alt", {})
    assert _ok("title", label["title"], alt.get("title", []), record["title"])
    want_date = label["published_at"]
    got_date = record["published_at"]
    if want_date is None:
        assert got_date is None
    else:
        assert got_date[:10] == want_date[:10]
        if len(want_date) > 10:
            assert got_date[11:16] == want_date[11:16]
    assert _ok("source", label["source"], alt.get("source", []), record["source"])
    assert record["regions"] == label["regions"] or record["regions"] in alt.get("regions", [])
    body = _norm(record["body"])
    assert any(body.startswith(_norm(w)) for w in [label["body_first"], *alt.get("body_first", [])])
    assert any(body.endswith(_norm(w)) for w in [label["body_last"], *alt.get("body_last", [])])
    for noise in label.get("noise", []):
        assert _norm(noise) not in body
    assert record["language"] == label["language"]
    assert record["views"] == label["views"]
    assert sorted(record["editors"]) == sorted(label["editors"])
    assert record["authors"] == label["authors"] or record["authors"] in alt.get("authors", [])  # in byline order
    assert record["url"] == label["url"] or record["url"] in alt.get("url", [])
    assert "\ufffd" not in record["body"] and "\ufeff" not in draft.raw_text


def test_record_has_exactly_the_documented_keys(samples_dir, gazetteer, vocabulary):
    draft = parse((samples_dir / "web-020.txt").read_bytes(), "web-020.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert set(draft_to_record(draft, file="x", status="new")) == {
        "file", "status", "error", "title", "published_at", "source", "authors", "editors", "views", "url",
        "regions", "tags", "language", "body", "warnings",
    }


def test_rules_say_which_rule_won(samples_dir, gazetteer, vocabulary):
    draft = parse((samples_dir / "002_3d63953e7ebce92d.txt").read_bytes(), "002.txt", gazetteer=gazetteer,
                  vocabulary=vocabulary)
    rules = draft.rules_dict
    assert rules["source"] == "journal_issue" and rules["title"] == "line_above_meta"
    assert rules["published_at"].startswith("ymd")


def test_truncated_speech_is_flagged(samples_dir, gazetteer, vocabulary):
    draft = parse((samples_dir / "003_2871c8c39e5b1104.txt").read_bytes(), "003.txt", gazetteer=gazetteer,
                  vocabulary=vocabulary)
    assert "body looks truncated" in draft.warnings and "no date found" in draft.warnings
    assert draft.url == "https://www.dawenbi.com/181730.html"
    assert "如若转载" not in draft.body
