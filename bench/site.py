"""Public site benchmark: seed ≥100,000 articles into PostgreSQL, serve with gunicorn, load it, print p50/p95.

    /work/main/.venv/bin/python bench/site.py [--articles 100000] [--requests 200] [--concurrency 8]

Seeding is incremental: rerunning tops the database up to --articles and reuses it.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "gaoku_bench_site"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8765
WORKERS = max(2, (os.cpu_count() or 2) * 2)
sys.path.insert(0, str(ROOT))

TAG_WORDS = (
    "党建 基层治理 乡村振兴 高质量发展 组织工作 文旅 养老 医疗 教育 科技创新 生态环保 营商环境 民生 就业 "
    "文化 体育 交通 水利 农业 工业 金融 安全生产 疫情防控 社区 志愿服务 法治 廉政 统战 宣传 人才 "
    "数字经济 城市更新 港澳 对外开放 招商引资 改革 审批 扶贫 脱贫攻坚 党史学习"
).split()


def ensure_database():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f"CREATE DATABASE {DB_NAME} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")


def sentences() -> list[str]:
    """Real sentences from the sample page dumps."""
    found = []
    for folder in (Path("/work/shared/samples"), ROOT / "fixtures" / "pages"):
        for path in sorted(folder.glob("*.txt")):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            found += [s.strip() + "。" for s in re.split(r"[。！？\n]", text) if 12 <= len(s.strip()) <= 120]
    return sorted(set(found))


def _segment_batch(rows):
    from articles.ingest.segment import segment

    return [(pk, " ".join(segment(t)), " ".join(segment(b)), " ".join(segment(m))) for pk, t, b, m in rows]


def seed(target: int, batch: int = 2000):
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag

    from articles.ingest.script import to_traditional
    from articles.models import Article, Region, SearchDocument, Source, Status, TaggedArticle

    have = Article.objects.count()
    if have >= target:
        print(f"seed: {have} articles already in {DB_NAME}; reusing")
        return
    rng = random.Random(have)
    pool = sentences()
    sources = [Source.objects.get_or_create(name=n)[0] for n in (
        "学习时报", "人民日报", "新华社", "南方杂志", "光明日报", "经济日报", "山西日报", "云南日报", "太原晚报",
        "中国新闻网", "澎湃新闻", "党建研究", "求是", "浙江日报", "解放日报", "北京日报", "四川日报", "湖南日报",
    )]
    tags = [Tag.objects.get_or_create(name=w, defaults={"slug": w})[0] for w in TAG_WORDS]
    regions = list(Region.objects.select_related("parent"))
    start = timezone.make_aware(datetime(2015, 1, 1))
    span = int((timezone.make_aware(datetime(2025, 6, 1)) - start).total_seconds())
    t0 = time.time()
    executor = ProcessPoolExecutor(max_workers=os.cpu_count() or 2)
    while have < target:
        n = min(batch, target - have)
        articles = []
        for _ in range(n):
            body = "\n\n".join("".join(rng.sample(pool, 3)) for _ in range(rng.randint(2, 4)))
            title = rng.choice(pool)[:40].rstrip("。，,")
            hant = rng.random() < 0.1
            articles.append(Article(
                title=to_traditional(title) if hant else title,
                body=to_traditional(body) if hant else body,
                summary=body[:120],
                published_at=start + timedelta(seconds=rng.randrange(span)),
                date_only=rng.random() < 0.3,
                source=rng.choice(sources),
                authors=[rng.choice(["张明", "李华", "王芳", "赵珊", "付文科"])],
                language="zh-Hant" if hant else "zh-Hans",
                status=Status.PUBLISHED if rng.random() < 0.95 else Status.DRAFT,
            ))
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            tagged, placed, docs_in = [], [], []
            for a in articles:
                a_tags = rng.sample(tags, rng.randint(1, 3))
                a_regions = rng.sample(regions, rng.randint(1, 2))
                tagged += [TaggedArticle(content_object_id=a.pk, tag_id=t.pk) for t in a_tags]
                placed += [Article.regions.through(article_id=a.pk, region_id=r.pk) for r in a_regions]
                meta = " ".join([a.source.name, *(t.name for t in a_tags), *(r.name for r in a_regions), *a.authors])
                docs_in.append((a.pk, a.title, a.body, meta))
            TaggedArticle.objects.bulk_create(tagged)
            Article.regions.through.objects.bulk_create(placed)
            chunks = [docs_in[i::4] for i in range(4)]
            by_pk = {a.pk: a for a in articles}
            docs = []
            for rows in executor.map(_segment_batch, chunks):
                for pk, t, b, m in rows:
                    a = by_pk[pk]
                    docs.append(SearchDocument(article_id=pk, title=t, body=b, meta=m, published_at=a.published_at))
            SearchDocument.objects.bulk_create(docs)
        have += n
        print(f"seed: {have}/{target} ({time.time() - t0:.0f}s)", flush=True)
    executor.shutdown()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan_urls():
    """The URLs to load, resolved against the seeded data."""
    import django

    django.setup()
    from django.db.models import Count

    from articles.models import Article, Region
    from articles.selectors_site import Cursor, public_articles

    ids = list(public_articles().order_by("?").values_list("pk", flat=True)[:200])
    deep = public_articles().newest_first().only("id", "published_at")[1000 * 20 - 1]
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
        "search 2-char": [f"/search/?q={quote(w)}" for w in ("基层", "党建", "发展", "乡村")],
        "search 4-char": [f"/search/?q={quote(w)}" for w in ("乡村振兴", "基层党建", "高质量", "组织工作")],
        "search multi-word": [f"/search/?q={quote(w)}" for w in ("基层 党建 创新", "乡村振兴 产业", "高质量 发展 广东")],
    }, Article.objects.count()


def serve(env):
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS), "--log-level", "warning"],
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


def load(paths: list[str], requests: int, concurrency: int):
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
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return p(0.50), p(0.95), len(latencies) / elapsed, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", default="1,2,8", help="client processes; comma-separated runs")
    args = parser.parse_args()

    env = {
        **os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "localhost,127.0.0.1", "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0", "CONN_MAX_AGE": "60",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    ensure_database()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}, check=True)
    seed(args.articles)
    urls, total = plan_urls()
    proc = serve(env)
    try:
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            print(f"\n{total} articles in {DB_NAME}; {args.requests} requests per row, {concurrency} client processes, "
                  f"gunicorn {WORKERS} workers on loopback, {os.cpu_count()} CPUs\n")
            print(f"| {'page':<22} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s':>7} |")
            print(f"|{'-' * 24}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
            for name, paths in urls.items():
                p50, p95, rps, errors = load(paths, args.requests, concurrency)
                flag = f"  ({len(errors)} errors: {errors[:2]})" if errors else ""
                print(f"| {name:<22} | {p50:>7.1f} | {p95:>7.1f} | {rps:>7.1f} |{flag}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
