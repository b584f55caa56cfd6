#!/usr/bin/env python
"""Benchmark: article rows through django-import-export, as the admin runs them (dry run, then confirm).

    .venv/bin/python bench/csv_import.py [--rows 1500] [--database-url sqlite:////tmp/bench-csv.sqlite3]

Makes N articles from the demo pages, exports them as CSV with ArticleResource (as the admin's
export does), edits every row's title, and imports the file twice: the preview (dry run in a
rolled-back transaction) and the confirmed import, then once more as the worker does for a long
table (services.table_imports: its preview, then its import), and finally the rows again as new
articles. Prints rows/s for each, wall clock and this process's CPU time (on a shared machine the
wall clock also measures the neighbours).
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--database-url", default="sqlite:////tmp/bench-csv.sqlite3")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "False")
    sys.path.insert(0, str(ROOT))
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    import django

    django.setup()
    import tablib
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from articles.models import Article, Region
    from articles.resources import ArticleResource, ChineseCSV

    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        sys.exit(f"{args.database_url}: not empty; give a fresh database")
    pages = sorted((ROOT / "fixtures" / "pages").glob("*.txt"))
    from articles.services.imports import ingest_paths

    ingest_paths(paths=pages)
    templates = list(Article.objects.all())
    regions = list(Region.objects.filter(level=Region.Level.CITY)[:50])
    for i in range(args.rows - len(templates)):
        t = templates[i % len(templates)]
        a = Article.objects.create(title=f"{t.title}（样稿 {i}）", body=t.body, summary=t.summary,
                                   published_at=t.published_at, source=t.source, authors=t.authors,
                                   url=f"https://example.com/{i}.html", warnings=t.warnings)
        a.tags.add(*t.tags.names())
        a.regions.add(regions[i % len(regions)])
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "pw")

    exported = ArticleResource().export().csv
    dataset = tablib.import_set(exported, format="csv")
    titles = dataset["title"]
    del dataset["title"]
    dataset.append_col([f"{t}·改" for t in titles], header="title")
    data = ChineseCSV().create_dataset(dataset.csv.encode("utf-8-sig"))
    for label, dry_run in (("preview (dry run)", True), ("confirm", False)):
        started, cpu = time.perf_counter(), time.process_time()
        run = lambda dry_run=dry_run: ArticleResource().import_data(  # noqa: E731
            data, dry_run=dry_run, use_transactions=True, user=user, raise_errors=True)
        if os.environ.get("BENCH_QUERIES"):
            from collections import Counter

            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                result = run()
            width = int(os.environ.get("BENCH_QUERIES_WIDTH", 70))
            shapes = Counter(q["sql"][:width] for q in queries.captured_queries)
            print(f"{label}: {len(queries.captured_queries) / len(data):.1f} queries per row")
            for shape, n in shapes.most_common(12):
                print(f"  {n:6d}  {shape}")
        elif os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile(time.process_time)  # CPU: the neighbours' load is not ours
            result = profile.runcall(run)
            pstats.Stats(profile).sort_stats(os.environ.get("BENCH_PROFILE", "cumulative")).print_stats(40)
        else:
            result = run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        totals = {k: v for k, v in result.totals.items() if v}
        # CPU time too: on a shared machine the wall clock also measures the neighbours.
        print(f"{label}: {len(data)} rows in {seconds:.1f}s = {len(data) / seconds:.0f} rows/s "
              f"(CPU {cpu:.1f}s = {len(data) / cpu:.0f} rows/s)  {totals}")
    # The admin hands a table this long to the worker: previewed, then imported, a chunk per transaction.
    from articles.services.table_imports import (table_import_confirm, table_import_run, table_preview_enqueue,
                                                 table_preview_run)

    del dataset["title"]
    dataset.append_col([f"{t}·再改" for t in titles], header="title")
    batch = table_preview_enqueue(dataset=dataset, user=user, file_name="bench.csv")
    for label, step in (("worker preview", table_preview_run), ("worker import", table_import_run)):
        if label == "worker import":
            batch.refresh_from_db()
            table_import_confirm(batch=batch)
        started, cpu = time.perf_counter(), time.process_time()
        counts = step(batch=batch)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{label} (chunks of 250): {len(dataset)} rows in {seconds:.1f}s = {len(dataset) / seconds:.0f} rows/s "
              f"(CPU {cpu:.1f}s = {len(dataset) / cpu:.0f} rows/s)  {counts}")
    # New articles: the same rows without ids (each with its tags, regions, history and status log).
    fresh = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        fresh.append([("" if h == "id" else "draft" if h == "status" else f"{v}·新" if h == "title" else v)
                      for h, v in zip(dataset.headers, row, strict=True)])
    started, cpu = time.perf_counter(), time.process_time()
    result = ArticleResource().import_data(fresh, dry_run=False, use_transactions=True, user=user, raise_errors=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"new rows (confirm): {len(fresh)} rows in {seconds:.1f}s = {len(fresh) / seconds:.0f} rows/s "
          f"(CPU {cpu:.1f}s = {len(fresh) / cpu:.0f} rows/s)  {dict((k, v) for k, v in result.totals.items() if v)}")
    changed = Article.objects.filter(title__endswith="·再改").count()
    print(f"titles changed: {changed}/{len(data)}; marked edited: "
          f"{sum('title' in a.edited_fields for a in Article.objects.only('edited_fields'))}")


if __name__ == "__main__":
    main()
