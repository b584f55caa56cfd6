"""Public site benchmark: a large dataset in PostgreSQL, served by gunicorn, loaded by client processes.

    /work/main/.venv/bin/python bench/site.py [--articles 100000] [--database gaoku_bench_site]
        [--requests 200] [--concurrency 1,2,8]
    /work/main/.venv/bin/python bench/site.py --articles 1000000 --database gaoku_bench_million
    /work/main/.venv/bin/python bench/site.py ... --engine tantivy --index-dir /srv/gaoku-index

The dataset (bench/site_data.py) is written with COPY and reused: a rerun tops it up to --articles.
Prints p50/p95 per page type and per kind of search with each number of clients, then the search
backend alone, in this process, with and without rum (the ranking a database without the extension
gets), with the counts it shows. With --engine tantivy the index in --index-dir is synced first
(built from every document the first time; the time and size are printed), the server searches it
(GAOKU_SEARCH_INDEX_DIR), and the backend-alone table is tantivy's.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
WORKERS = max(2, (os.cpu_count() or 2) * 2)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from site_data import TAG_WORDS  # noqa: E402 - bench/ is put on the path just above

SEARCHES = {
    "search 2-char": ("基层", "党建", "发展", "乡村"),
    "search 4-char": ("乡村振兴", "基层党建", "高质量", "组织工作"),
    "search multi-word": ("基层 党建 创新", "乡村振兴 产业", "高质量 发展 广东"),
}


def ensure_database(name: str):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                         "TEMPLATE template0")


def plan_urls():
    """The URLs to load, resolved against the seeded data."""
    import django

    django.setup()
    from django.db.models import Count

    from articles.models import Article, Region
    from articles.selectors_site import Cursor, public_articles

    ids = list(public_articles().order_by("?").values_list("pk", flat=True)[:200])
    public = public_articles().newest_first().only("id", "published_at")
    deep = public[min(1000 * 20, public.count()) - 1]  # the last article of list page 1,000, or the last there is
    busiest = Region.objects.filter(level="province").annotate(n=Count("articles")).order_by("-n").first()
    return {
        "home": ["/"],
        "list p1": ["/articles/"],
        "list p1000 (keyset)": [f"/articles/?before={Cursor.of(deep).encode()}"],
        "article": [f"/articles/{pk}/" for pk in ids],
        "tag": [f"/tags/{quote(w)}/" for w in TAG_WORDS[:10]],
        "region (province)": [f"/regions/{busiest.code}/"],
        "archive index": ["/archive/"],
        "month jump": [f"/articles/?month={y}-{m:02d}" for y, m in ((2016, 3), (2019, 11), (2023, 6))],
        **{name: [f"/search/?q={quote(q)}" for q in queries] for name, queries in SEARCHES.items()},
    }, Article.objects.count()


def serve(env):
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/robots.txt")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def _client(args):
    """One client process: its own keep-alive connection, returns (latencies, start, end)."""
    paths, count, seed = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    latencies, errors = [], []
    started = time.perf_counter()
    for _ in range(count):
        path = rng.choice(paths)
        t = time.perf_counter()
        conn.request("GET", path, headers={"Host": "localhost"})
        resp = conn.getresponse()
        resp.read()
        latencies.append(time.perf_counter() - t)
        if resp.status != 200:
            errors.append((path, resp.status))
    return latencies, started, time.perf_counter(), errors


def load_test(paths: list[str], requests: int, concurrency: int):
    """Client processes (not threads: the GIL would make the client the bottleneck)."""
    from multiprocessing import get_context

    per_client = max(1, requests // concurrency)
    with get_context("fork").Pool(concurrency) as pool:
        # Warm every gunicorn worker's caches and connections before measuring.
        pool.map(_client, [(paths, 10, 1000 + i) for i in range(concurrency)])
        results = pool.map(_client, [(paths, per_client, i) for i in range(concurrency)])
    latencies = sorted(x for r in results for x in r[0])
    errors = [e for r in results for e in r[3]]
    elapsed = max(r[2] for r in results) - min(r[1] for r in results)
    def p(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    return p(0.50), p(0.95), len(latencies) / elapsed, errors


def sync_index(env, index_dir: str):
    """Bring the tantivy index up to the dataset (all of it the first time), in a process of its own."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "sync_search_index"], cwd=ROOT, check=True,
                   env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "GAOKU_SEARCH_INDEX_DIR": index_dir})
    size = sum(f.stat().st_size for f in Path(index_dir).rglob("*") if f.is_file())
    print(f"tantivy index in {index_dir}: synced in {time.perf_counter() - started:.1f} s, {size / 1e9:.2f} GB")


def backend_alone(rounds: int = 5, *, index_dir: str = ""):
    """Search through the backend in this process (no HTTP): with rum where the index is rum, and without;
    or tantivy's, with an index directory."""
    import statistics

    from articles.search import database_backend, parse_query
    from articles.search.postgres import PostgresBackend, has_rum_index
    from articles.search.tantivy_backend import TantivyBackend

    if index_dir:
        variants = [("tantivy", lambda: TantivyBackend(index_dir, database=database_backend()))]
    else:
        variants = [("rum", lambda: PostgresBackend(rum=True))] if has_rum_index() else []
        variants.append(("without rum (ts_rank)", lambda: PostgresBackend(rum=False)))
    print(f"\nsearch backend alone, relevance, page 1, {rounds} rounds per query\n")
    print(f"| {'query':<18} | {'backend':<22} | {'p50 ms':>7} | {'max ms':>7} | count shown |")
    print(f"|{'-' * 20}|{'-' * 24}|{'-' * 9}|{'-' * 9}|{'-' * 13}|")
    for queries in SEARCHES.values():
        for q in queries:
            for label, make in variants:
                times = []
                for _ in range(rounds):
                    t = time.perf_counter()
                    hits = make().search(parse_query(q), limit=20)  # a backend a search, as get_backend() gives
                    times.append((time.perf_counter() - t) * 1000)
                shown = f"{hits.total:,}" if hits.exact else f"~{hits.rounded_total:,}"
                print(f"| {q:<18} | {label:<22} | {statistics.median(times):>7.1f} | {max(times):>7.1f} "
                      f"| {shown:>11} |",
                      flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database", default="gaoku_bench_site")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", default="1,2,8", help="client processes; comma-separated runs")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds per query for the backend-alone table (0: skip it)")
    parser.add_argument("--engine", choices=["database", "tantivy"], default="database",
                        help="what ranks search: the database's full text search, or a tantivy index")
    parser.add_argument("--index-dir", default="", help="the tantivy index's directory (with --engine tantivy)")
    args = parser.parse_args()
    if (args.engine == "tantivy") != bool(args.index_dir):
        parser.error("--engine tantivy and --index-dir go together")

    db_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    env = {
        **os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "localhost,127.0.0.1", "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0", "CONN_MAX_AGE": "60", "GAOKU_SEARCH_INDEX_DIR": args.index_dir,
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    ensure_database(args.database)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}, check=True)
    import django

    django.setup()
    from site_data import load

    load(db_url.replace("postgres://", "postgresql://"), args.articles)
    if args.index_dir:
        sync_index(env, args.index_dir)
    urls, total = plan_urls()
    proc = serve(env)
    try:
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            print(f"\n{total:,} articles in {args.database}, search by {args.engine}; {args.requests} requests "
                  f"per row, {concurrency} client processes, gunicorn {WORKERS} workers on loopback, "
                  f"{os.cpu_count()} CPUs; "
                  f"load average {os.getloadavg()[0]:.1f} before\n")
            print(f"| {'page':<22} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s':>7} |")
            print(f"|{'-' * 24}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
            for name, paths in urls.items():
                p50, p95, rps, errors = load_test(paths, args.requests, concurrency)
                flag = f"  ({len(errors)} errors: {errors[:2]})" if errors else ""
                print(f"| {name:<22} | {p50:>7.1f} | {p95:>7.1f} | {rps:>7.1f} |{flag}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if args.rounds:
        backend_alone(args.rounds, index_dir=args.index_dir)


if __name__ == "__main__":
    main()
