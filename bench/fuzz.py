#!/usr/bin/env python
"""Mutation fuzzing of parse(): real pages, damaged the way copy-paste and scraping damage them.

    .venv/bin/python bench/fuzz.py [--pages 20000] [--seed 1] [--save DIR]
    .venv/bin/python bench/fuzz.py --case 1234 [--seed 1]     # replay one case, with its traceback

Pages come from ../shared/samples and ../shared/corpus (or --dirs). parse() must return a draft
or refuse with IngestError; anything else is a crash. Prints crashes per 10,000 pages, each
distinct crash (exception and where it was raised) once, with the command that replays it.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest import Gazetteer, IngestError, Vocabulary, parse  # noqa: E402
from tests.ingest.mutations import mutate  # noqa: E402

# ../shared next to the checkout (CI), or next to the folder of worktrees.
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
              ROOT.parent / "shared")
REPORT_EVERY = 10_000


def load_pages(dirs: list[Path]) -> list[tuple[str, str]]:
    """(name, text) of every page that decodes as UTF-8 or GB18030 (mutate() re-encodes them)."""
    pages = []
    for folder in dirs:
        for path in sorted(folder.glob("*")):
            if path.suffix.lower() not in (".txt", ".html", ".htm"):
                continue
            data = path.read_bytes()
            for encoding in ("utf-8", "gb18030"):
                try:
                    pages.append((path.name, data.decode(encoding)))
                    break
                except UnicodeDecodeError:
                    continue
    return pages


def make_case(pages, seed: int, case: int) -> tuple[str, bytes, list[str]]:
    rnd = random.Random(seed * 1_000_003 + case)
    name, text = rnd.choice(pages)
    data, steps = mutate(text, rnd)
    return name, data, steps


def where(exc: BaseException) -> str:
    """The innermost frame inside the project: file:line in function."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if str(ROOT) in f.filename] or \
        traceback.extract_tb(exc.__traceback__)
    frame = frames[-1]
    return f"{Path(frame.filename).relative_to(ROOT) if str(ROOT) in frame.filename else frame.filename}:" \
           f"{frame.lineno} in {frame.name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--case", type=int, default=None, help="replay this one case and print its traceback")
    parser.add_argument("--dirs", nargs="*", type=Path, default=[SHARED / "samples", SHARED / "corpus"])
    parser.add_argument("--save", type=Path, default=None, help="write each crashing page's bytes here")
    args = parser.parse_args()
    pages = load_pages([d for d in args.dirs if d.is_dir()])
    if not pages:
        parser.error(f"no pages in {', '.join(map(str, args.dirs))}")
    gazetteer, vocabulary = Gazetteer.default(), Vocabulary()
    if args.case is not None:
        name, data, steps = make_case(pages, args.seed, args.case)
        print(f"case {args.case}: {name} after {', '.join(steps)} ({len(data)} bytes)")
        parse(data, name, gazetteer=gazetteer, vocabulary=vocabulary)  # a crash shows its traceback
        print("parsed without a crash")
        return 0
    print(f"{len(pages)} pages, {args.pages} mutated copies, seed {args.seed}")
    crashes: dict[str, list[int]] = {}
    outcomes = Counter()
    started = time.monotonic()
    for case in range(args.pages):
        name, data, steps = make_case(pages, args.seed, case)
        try:
            parse(data, name, gazetteer=gazetteer, vocabulary=vocabulary)
            outcomes["draft"] += 1
        except IngestError:
            outcomes["refused"] += 1
        except Exception as exc:
            outcomes["crash"] += 1
            key = f"{type(exc).__name__}: {str(exc)[:80]} at {where(exc)}"
            crashes.setdefault(key, []).append(case)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"crash-{args.seed}-{case}-{name}").write_bytes(data)
        done = case + 1
        if done % REPORT_EVERY == 0 or done == args.pages:
            rate = done / (time.monotonic() - started)
            print(f"{done} pages ({rate:.0f}/s): {outcomes['draft']} drafts, {outcomes['refused']} refused, "
                  f"{outcomes['crash']} crashes ({outcomes['crash'] * REPORT_EVERY / done:.1f} per 10,000)")
    for key, cases in sorted(crashes.items(), key=lambda kv: -len(kv[1])):
        replay = f"{sys.executable} bench/fuzz.py --seed {args.seed} --case {cases[0]}"
        print(f"  {len(cases)}x {key}\n     replay: {replay}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
