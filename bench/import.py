#!/usr/bin/env python
"""Import benchmark: N page texts made from the demo pages, into SQLite and PostgreSQL.

    .venv/bin/python bench/import.py [--count 10000] [--only sqlite|postgres] [--runs 3]
    .venv/bin/python bench/import.py --profile --count 2000 [--only postgres]
    .venv/bin/python bench/import.py --queue 2 --only postgres   # import_texts --queue, 2 db_worker processes

Prints articles/s, resident memory (parent + parser workers) at 25/50/75/100 % of the
batch, and the time to re-import the same folder (sha256 lookups, no parsing).

--profile imports in this process instead and says where the time goes: the writer's
CPU, its time waiting on the database per kind of statement, the database server's
own CPU for this connection, the parser processes' CPU, and cProfile's top functions.
"""
import argparse
import cProfile
import io
import os
import pstats
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
    marks, samples = [count * q // 4 for q in (1, 2, 3, 4)], []
    for seen, _ in enumerate(proc.stdout, start=1):
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


def bench_queue(name: str, url: str, folder: Path, count: int, workers: int) -> None:
    """`import_texts --queue --wait` with `workers` db_worker processes (one core each) taking the chunks."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "False",
           "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    procs = [subprocess.Popen([PY, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(workers)]
    try:
        time.sleep(3)  # the workers start
        started = time.monotonic()
        subprocess.run([PY, "manage.py", "import_texts", "--queue", "--wait", "--chunk-files", "250", str(folder)],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - started
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()
    print(f"{name:10s} {count} pages, queued, {workers} db_worker(s): {seconds:6.1f} s  "
          f"{count / seconds:6.0f} articles/s")


def _statement_kind(sql: str) -> str:
    """INSERT articles_article, SELECT articles_article, ... (the verb and the first table)."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
    table = re.search(r'(?:FROM|INTO|UPDATE|COPY)\s+"?(\w+)"?', sql, re.I)
    return f"{verb} {table.group(1) if table else ''}".strip()


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a local PostgreSQL backend process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(name: str, url: str, folder: Path, count: int, parsers: int | None = None) -> None:
    """One import in this process, with the writer's time taken apart."""
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="False")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.services.imports import ingest_paths

    call_command("migrate", verbosity=0)
    waits: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = waits.setdefault(_statement_kind(sql), [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    try:
        from articles.services import rows
    except ImportError:  # a tree from before COPY (to compare with)
        rows = None
    # Every COPY goes through rows.write (rows.insert in trees from before it).
    copied = "write" if hasattr(rows, "write") else "insert"
    copy_rows = getattr(rows, copied) if rows else None

    def timed_copy(model, *args):  # COPY does not pass through execute wrappers
        started = time.perf_counter()
        try:
            return copy_rows(model, *args)
        finally:
            entry = waits.setdefault(f"COPY {model._meta.db_table}", [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    if rows and rows.copies():  # elsewhere the rows go in with bulk_create, timed by the wrapper
        setattr(rows, copied, timed_copy)
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
    server0 = _backend_cpu(backend) if backend else 0.0
    cpu0, children0, wall0 = time.process_time(), os.times(), time.perf_counter()
    profiler = cProfile.Profile()
    with connection.execute_wrapper(timed):
        profiler.enable()
        summary = ingest_paths(paths=[folder], workers=parsers)
        profiler.disable()
    wall = time.perf_counter() - wall0
    writer_cpu = time.process_time() - cpu0
    children = os.times()
    parsers_cpu = (children.children_user + children.children_system
                   - children0.children_user - children0.children_system)
    server = _backend_cpu(backend) - server0 if backend else 0.0
    waited = sum(t for _, t in waits.values())
    print(f"{name}: {count} pages in {wall:.1f} s ({count / wall:.0f} articles/s): {dict(summary.counts)}")
    print(f"  writer CPU {writer_cpu:.1f} s ({writer_cpu / count * 1000:.2f} ms/article); "
          f"waiting on the database {waited:.1f} s ({waited / wall:.0%} of the writer's wall time)")
    if backend:
        print(f"  PostgreSQL backend CPU {server:.1f} s ({server / count * 1000:.2f} ms/article)")
    print(f"  parser processes CPU {parsers_cpu:.1f} s ({parsers_cpu / count * 1000:.2f} ms/article)")
    print("  statements (count, seconds):")
    for kind, (n, seconds) in sorted(waits.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"    {seconds:7.2f} s {n:6d}  {kind}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())
    saved = Path(tempfile.gettempdir()) / "gaoku-import.prof"
    profiler.dump_stats(saved)
    print(f"the whole profile: {saved} (python -m pstats)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--runs", type=int, default=1, help="import into a fresh database this many times")
    parser.add_argument("--profile", action="store_true", help="one import in this process, its time taken apart")
    parser.add_argument("--parsers", type=int, help="with --profile: parser processes (1: parse in the writer, "
                        "as a db_worker does)")
    parser.add_argument("--queue", type=int, metavar="WORKERS", help="import_texts --queue with this many db_workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        make_pages(folder, args.count)
        print(f"{args.count} pages generated in {folder} ({os.cpu_count()} cores)")
        if args.profile:  # one database: Django is set up once in this process
            if args.only == "sqlite":
                profile("SQLite", f"sqlite:///{tmp}/bench.sqlite3", folder, args.count, args.parsers)
            else:
                fresh_postgres()
                profile("PostgreSQL", PG_URL, folder, args.count, args.parsers)
            return
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs}, load average {os.getloadavg()[0]:.1f}")
            run_one = (lambda *a: bench_queue(*a, args.queue)) if args.queue else bench
            if args.only in (None, "sqlite"):
                Path(tmp, "bench.sqlite3").unlink(missing_ok=True)
                run_one("SQLite", f"sqlite:///{tmp}/bench.sqlite3", folder, args.count)
            if args.only in (None, "postgres"):
                fresh_postgres()
                run_one("PostgreSQL", PG_URL, folder, args.count)


def fresh_postgres() -> None:
    db = PG_URL.rsplit("/", 1)[1]
    subprocess.run(["psql", PG_URL.rsplit("/", 1)[0] + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {db}",
                    "-c", f"CREATE DATABASE {db} ENCODING 'UTF8' TEMPLATE template0"], check=True)


if __name__ == "__main__":
    main()
