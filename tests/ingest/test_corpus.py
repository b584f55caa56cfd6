"""Floors for the development corpus as a whole (tests/ingest/corpus, a copy of ../shared/corpus).

No assertion names a page: a rule written for one page is worth nothing on the next site. The
floors are the accuracy measured when they were set (bench/extraction.py prints the same report),
so a change that makes extraction worse across sites fails here even if every unit test passes.
"""
import contextlib
import io
import json
from importlib import util
from pathlib import Path

import pytest

from articles.ingest import IngestError, draft_to_record, parse

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

FLOORS = {"field accuracy": 0.93, "core fields": 0.90, "title": 0.86, "published_at": 0.87, "source": 0.97,
          "authors": 0.92, "regions": 0.84, "body_first": 0.90, "body_last": 0.90, "body_noise": 0.96}


def _bench_extraction():
    spec = util.spec_from_file_location("bench_extraction", HERE.parent.parent / "bench" / "extraction.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scorer():
    spec = util.spec_from_file_location("score_import", HERE / "score_import.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_report(gazetteer, tmp_path_factory):
    from articles.ingest import Vocabulary

    vocabulary = Vocabulary()
    records = []
    for path in sorted(CORPUS.glob("*.txt")):
        try:  # every page parses: no exception but the core's own refusal
            draft = parse(path.read_bytes(), path.name, gazetteer=gazetteer, vocabulary=vocabulary)
            records.append(draft_to_record(draft, file=path.name, status="new"))
        except IngestError as exc:
            records.append(draft_to_record(None, file=path.name, status="error", error=str(exc)))
    out = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        _scorer().main(str(CORPUS / "expected.json"), str(out))
    return records, report.getvalue()


def _figure(report: str, name: str) -> float:
    for line in report.splitlines():
        if line.startswith(name + " ") and not line.startswith("miss"):
            if name in ("field accuracy", "core fields"):
                return float(line.split()[2])
            hits, total = line.split()[1].split("/")
            return int(hits) / int(total)
    raise AssertionError(f"{name} not in the report")


def test_every_corpus_page_gives_a_draft(corpus_report):
    records, _ = corpus_report
    assert len(records) == 89 and all(r["status"] == "new" for r in records)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_floor(corpus_report, name):
    _, report = corpus_report
    assert _figure(report, name) >= FLOORS[name], report[-1200:]


def test_no_corpus_page_loses_more_than_half_of_its_article(corpus_report):
    """Never all or nothing: each labelled body keeps at least half of its article's text."""
    from articles.ingest.decode import decode_bytes

    records, _ = corpus_report
    labels = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    recall = _bench_extraction().body_recall
    kept = {}
    for record in records:
        label = labels.get(record["file"].removesuffix(".txt"))
        if label and "body" not in label.get("unlabelled", []):
            page = decode_bytes((CORPUS / record["file"]).read_bytes(), record["file"])[0]
            share = recall(page, label, record["body"])
            if share is not None:
                kept[record["file"]] = share
    assert len(kept) >= 75
    assert {name: round(share, 2) for name, share in kept.items() if share < 0.5} == {}
