#!/usr/bin/env python
"""Extraction benchmark: labelled page sets through parse(), scored field by field.

    .venv/bin/python bench/extraction.py [DIR ...]        (default: ../shared/samples ../shared/corpus)

For each set prints the scorer's report (../shared/tools/score_import.py, or the copy kept with the
tests when ../shared is absent): the pages that miss, accuracy per field, core fields and field
accuracy; then the pages whose body keeps less than half of the labelled article's text, and the
median and 95th-percentile parse time per page (and the median process CPU time, which other work on
the machine disturbs less). Pure core only: no Django, no database.
"""
import contextlib
import io
import json
import statistics
import sys
import tempfile
import time
import unicodedata
import re
from importlib import util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest import Gazetteer, IngestError, Vocabulary, draft_to_record, parse  # noqa: E402
from articles.ingest.decode import decode_bytes  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_SETS = [SHARED / "samples", SHARED / "corpus"]
FALLBACK_SETS = [ROOT / "tests" / "ingest" / "samples", ROOT / "tests" / "ingest" / "corpus"]


def load_scorer():
    path = SHARED / "tools" / "score_import.py"
    if not path.exists():
        path = ROOT / "tests" / "ingest" / "score_import.py"
    spec = util.spec_from_file_location("score_import", path)
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _norm(text: str) -> str:
    """Without spaces and icon-font glyphs (private-use code points, which parse() drops)."""
    return re.sub(r"[\s\ue000-\uf8ff]+", "", unicodedata.normalize("NFKC", text or ""))


def body_recall(page_text: str, label: dict, body: str | None) -> float | None:
    """Share of the labelled article's text (from the line holding body_first to the one holding
    body_last) that the extracted body keeps, counted in characters of whole lines."""
    if "body_first" not in label or "body_last" not in label:
        return None
    lines = [_norm(line) for line in page_text.split("\n")]
    first, last = _norm(label["body_first"])[:12], _norm(label["body_last"])[-12:]
    start = next((i for i, line in enumerate(lines) if line and first in line), None)
    end = next((i for i in range(len(lines) - 1, -1, -1) if lines[i] and last in lines[i]), None)
    if start is None or end is None or end < start:
        return None
    want = [line for line in lines[start:end + 1] if line]
    got = _norm(body)
    total = sum(len(line) for line in want)
    return sum(len(line) for line in want if line in got) / total if total else None


def run_set(folder: Path, scorer, gazetteer, vocabulary) -> None:
    labels = {k: v for k, v in json.loads((folder / "expected.json").read_text(encoding="utf-8")).items()
              if not k.startswith("_")}
    records, times, cpu, recalls = [], [], [], []
    for path in sorted(folder.glob("*.txt")):
        data = path.read_bytes()
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            draft = parse(data, path.name, gazetteer=gazetteer, vocabulary=vocabulary)
            record = draft_to_record(draft, file=path.name, status="new")
        except IngestError as exc:
            record = draft_to_record(None, file=path.name, status="error", error=str(exc))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        records.append(record)
        label = labels.get(path.stem) or labels.get(path.name)
        if label and "body" not in label.get("unlabelled", []):
            recall = body_recall(decode_bytes(data, path.name)[0], label, record["body"])
            if recall is not None:
                recalls.append((recall, path.name))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as out:
        out.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        scorer.main(str(folder / "expected.json"), out.name, by_group=True)
    Path(out.name).unlink()
    print(f"== {folder} ({len(records)} pages)")
    print(report.getvalue().rstrip())
    lost = sorted((r, name) for r, name in recalls if r < 0.5)
    print(f"body recall: median {statistics.median(r for r, _ in recalls):.3f}, "
          f"pages keeping < 50% of the article: {len(lost)} of {len(recalls)}"
          + "".join(f"\n  {name}: {r:.2f}" for r, name in lost))
    ms = sorted(t * 1000 for t in times)
    print(f"parse: median {statistics.median(ms):.2f} ms/page, p95 {ms[int(len(ms) * 0.95) - 1]:.2f} ms, "
          f"max {ms[-1]:.2f} ms; process CPU median {statistics.median(cpu) * 1000:.2f} ms/page\n")


def main(argv: list[str]) -> None:
    sets = [Path(a) for a in argv] or [s for s in DEFAULT_SETS if s.is_dir()] or FALLBACK_SETS
    scorer, gazetteer, vocabulary = load_scorer(), Gazetteer.default(), Vocabulary()
    for path in (ROOT / "tests" / "ingest" / "samples").glob("web-003.txt"):  # warm up caches and OpenCC
        parse(path.read_bytes(), path.name, gazetteer=gazetteer, vocabulary=vocabulary)
    for folder in sets:
        run_set(folder, scorer, gazetteer, vocabulary)


if __name__ == "__main__":
    main(sys.argv[1:])
