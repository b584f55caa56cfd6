"""python -m articles.ingest.cli PATH...: dry-run JSON Lines without Django (for scoring rules)."""
import json
import sys
from pathlib import Path

from . import Gazetteer, IngestError, Vocabulary, draft_to_record, parse


def main(argv: list[str]) -> int:
    gazetteer, vocabulary = Gazetteer.default(), Vocabulary()
    failed = 0
    for arg in argv:
        root = Path(arg)
        pages = (p for p in root.rglob("*") if p.suffix.lower() in {".txt", ".html", ".htm"})
        files = sorted(pages) if root.is_dir() else [root]
        for path in files:
            try:
                draft = parse(path.read_bytes(), path.name, gazetteer=gazetteer, vocabulary=vocabulary)
                record = draft_to_record(draft, file=str(path), status="new")
            except IngestError as exc:
                failed += 1
                record = draft_to_record(None, file=str(path), status="error", error=str(exc))
            print(json.dumps(record, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
