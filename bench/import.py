#!/usr/bin/env python
"""Import benchmark: N page texts made from the demo pages, into SQLite and PostgreSQL.

    .venv/bin/python bench/import.py [--count 10000] [--only sqlite|postgres]

Prints articles/s, resident memory (parent + parser workers) at 25/50/75/100 % of the
batch, and the time to re-import the same folder (sha256 lookups, no parsing).
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/gaoku_bench")


def make_pages(folder: Path, count: int, seed: int = 7) -> None:
    """Vary each sample's title, date and body so every page is a distinct article."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "pages").glob("*.txt"))]
    shared = ROOT.parent / "shared" / "samples"
    if shared.is_dir():
        sources += [p.read_text(encoding="utf-8") for p in sorted(shared.glob("web-*.txt")) if "gb18030" not in p.name]
    sentences = [s for text in sources for s in re.findall(r"[^。\n]{12,80}。", text)]
    for i in range(count):
        text = sources[i % len(sources)]
        lines = text.split("\n")
        long_idx = [k for k, line in enumerate(lines) if len(line) > 40]
        if long_idx:  # replace a third of the paragraphs with sentences from elsewhere
            for k in rng.sample(long_idx, max(1, len(long_idx) // 3)):
                lines[k] = "".join(rng.sample(sentences, 3)) + f"第{i}号样稿。"
        text = "\n".join(lines)
        text = text.replace("181730.html", f"{i}.html")
        text = re.sub(r"20\d\d-\d\d-\d\d", f"20{10 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}", text, count=1)
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"page-{i:06d}.txt").write_text(text, encoding="utf-8")


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (parser workers), in KiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_import(env: dict, folder: Path, count: int) -> tuple[float, list[int]]:
    cmd = [PY, "manage.py", "import_texts", "--json", str(folder)]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    marks, seen, samples = [count * q // 4 for q in (1, 2, 3, 4)], 0, []
    for _ in proc.stdout:
        seen += 1
        if marks and seen >= marks[0]:
            samples.append(rss_kb(proc.pid))
            marks.pop(0)
    proc.wait()
    return time.monotonic() - started, samples


def bench(name: str, url: str, folder: Path, count: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "False"}
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    seconds, rss = run_import(env, folder, count)
    again, _ = run_import(env, folder, count)
    print(f"{name:10s} {count} pages: {seconds:6.1f} s  {count / seconds:6.0f} articles/s  "
          f"re-import {again:5.1f} s ({seconds / again:.1f}x faster)  "
          f"RSS at 25/50/75/100%: {' / '.join(f'{r / 1024:.0f}' for r in rss)} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        make_pages(folder, args.count)
        print(f"{args.count} pages generated in {folder} ({os.cpu_count()} cores)")
        if args.only in (None, "sqlite"):
            bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3", folder, args.count)
        if args.only in (None, "postgres"):
            db = PG_URL.rsplit("/", 1)[1]
            subprocess.run(["psql", PG_URL.rsplit("/", 1)[0] + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {db}",
                            "-c", f"CREATE DATABASE {db} ENCODING 'UTF8' TEMPLATE template0"], check=True)
            bench("PostgreSQL", PG_URL, folder, args.count)


if __name__ == "__main__":
    main()
