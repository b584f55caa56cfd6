"""A large reader's-site dataset for bench/site.py, written with COPY (psycopg 3), not through the importer.

The articles are the real labelled pages (tests/ingest/samples and tests/ingest/corpus) parsed once
by the import core and recombined: each article takes a title from the pages (a headline or one of
their sentences) and 3 to 14 of their paragraphs, 10 % in 繁體, dated over twenty years (more of them
recent), with sources, authors, tags and regions drawn unevenly (a few common, most rare). Search
documents are written beside the articles from the paragraphs' own tokens (segment() runs once per
paragraph, not per article), so the search vector and its index see text segmented as the importer
segments it.

Secondary indexes are dropped for the load and rebuilt after it; their definitions wait in the
table bench_dropped_index meanwhile, so an interrupted load is repaired by the next run.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import os
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "tests" / "ingest" / "samples", ROOT / "tests" / "ingest" / "corpus")
TABLES = ("articles_article", "articles_searchdocument", "articles_taggedarticle", "articles_article_regions")
CHUNK = 5_000
START = datetime(2006, 6, 1, tzinfo=UTC)
END = datetime(2026, 6, 1, tzinfo=UTC)

TAG_WORDS = [
    "党建", "基层治理", "乡村振兴", "高质量发展", "组织工作", "文旅", "养老", "医疗", "教育", "科技创新", "生态环保",
    "营商环境", "民生", "就业", "文化", "体育", "交通", "水利", "农业", "工业", "金融", "安全生产", "疫情防控",
    "社区", "志愿服务", "法治", "廉政", "统战", "宣传", "人才", "数字经济", "城市更新", "港澳", "对外开放",
    "招商引资", "改革", "审批", "扶贫", "脱贫攻坚", "党史学习",
]
SOURCES = [
    "学习时报", "人民日报", "新华社", "南方杂志", "光明日报", "经济日报", "山西日报", "云南日报", "太原晚报",
    "中国新闻网", "澎湃新闻", "党建研究", "求是", "浙江日报", "解放日报", "北京日报", "四川日报", "湖南日报",
    "南方日报", "大众日报", "河南日报", "湖北日报", "新京报", "中国青年报", "工人日报", "农民日报", "科技日报",
    "法治日报", "中国纪检监察报", "央视新闻",
]
ARTICLE_COLUMNS = (
    "id", "title", "body", "summary", "published_at", "date_only", "authors", "editors", "views", "url",
    "language", "status", "publish_at", "created_at", "updated_at", "raw_text", "file_name", "raw_sha256",
    "encoding", "fingerprint", "fp_band0", "fp_band1", "fp_band2", "fp_band3", "extraction", "warnings",
    "has_warnings", "edited_fields", "duplicate_of_id", "source_id",
)
_CLAUSE = re.compile(r"[^。！？；\n]{8,28}[。！？；]")


@dataclass(frozen=True)
class Text:
    hans: str
    hant: str
    tokens: str  # segment() of the text: the same for both scripts


@dataclass
class Pool:
    """What articles are recombined from, and the lookup tables their relations are drawn from."""
    titles: list[Text]
    paragraphs: list[Text]
    authors: list[str]
    sources: list[tuple[int, str]]  # (id, tokens of the name)
    tags: list[tuple[int, str]]
    regions: list[tuple[int, str]]  # (id, tokens of name and short name)


def _text(raw: str) -> Text:
    from articles.ingest.script import to_traditional
    from articles.ingest.segment import segment

    return Text(raw, to_traditional(raw), " ".join(segment(raw)))


def parse_pages():
    """Every labelled page through the import core: (title, body paragraphs, authors, source, tags)."""
    from articles.ingest import Gazetteer, IngestError, Vocabulary, parse

    gazetteer, vocabulary = Gazetteer.default(), Vocabulary()
    drafts = []
    for folder in PAGES:
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".txt", ".html", ".htm") or path.name.startswith(("README", "NOTICE")):
                continue
            try:
                drafts.append(parse(path.read_bytes(), path.name, gazetteer=gazetteer, vocabulary=vocabulary))
            except IngestError:
                continue
    return drafts


def build_pool() -> Pool:
    """Parse the pages, segment their paragraphs once, and make the sources, tags and regions (Django ORM)."""
    from taggit.models import Tag

    from articles.ingest.script import to_simplified
    from articles.ingest.segment import segment
    from articles.models import Region, Source

    drafts = parse_pages()
    paragraphs, titles, authors, tag_names, source_names = {}, {}, set(), list(TAG_WORDS), list(SOURCES)
    for d in drafts:
        hans_body = to_simplified(d.body)
        for para in (p.strip() for p in hans_body.split("\n")):
            if len(para) >= 20:
                paragraphs.setdefault(para[:2000], None)
                for clause in _CLAUSE.findall(para)[:4]:
                    titles.setdefault(clause.rstrip("。！？；"), None)
        titles.setdefault(to_simplified(d.title)[:60], None)
        authors.update(a for a in d.authors if 1 < len(a) <= 4)
        tag_names += [to_simplified(t) for t in d.tags]
        if d.source:
            source_names.append(to_simplified(d.source))
    tag_names = list(dict.fromkeys(t for t in tag_names if 1 < len(t) <= 12))
    source_names = list(dict.fromkeys(s for s in source_names if 1 < len(s) <= 30))
    sources = [Source.objects.get_or_create(name=n)[0] for n in source_names]
    tags = []
    for name in tag_names:
        tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name, slug=name)
        tags.append(tag)

    def tokens(s: str) -> str:
        return " ".join(segment(s))

    regions = [(r.pk, tokens(f"{r.name} {r.short_name}")) for r in Region.objects.order_by("level", "code")]
    return Pool(
        titles=[_text(t) for t in titles],
        paragraphs=[_text(p) for p in paragraphs],
        authors=sorted(authors) or ["张明", "李华"],
        sources=[(s.pk, tokens(s.name)) for s in sources],
        tags=[(t.pk, tokens(t.name)) for t in tags],
        regions=regions,
    )


def _zipf(n: int, s: float = 1.0) -> list[float]:
    """Cumulative weights: the first items common, the tail rare."""
    return list(itertools.accumulate(1 / (i + 1) ** s for i in range(n)))


def _pick(rng: random.Random, items, cum, k=1):
    total = cum[-1]
    return [items[bisect.bisect_left(cum, rng.random() * total)] for _ in range(k)]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def generate(pool: Pool, first_id: int, count: int, seed: int, now: datetime):
    """Rows for articles [first_id, first_id + count): (articles, documents, tagged, placed)."""
    rng = random.Random(seed)
    cum_src, cum_tag, cum_reg = _zipf(len(pool.sources), 0.9), _zipf(len(pool.tags), 0.8), _zipf(len(pool.regions), 0.6)
    cum_auth = _zipf(len(pool.authors), 0.7)
    span = (END - START).total_seconds()
    articles, docs, tagged, placed = [], [], [], []
    for pk in range(first_id, first_id + count):
        title = rng.choice(pool.titles)
        paras = rng.sample(pool.paragraphs, rng.randint(3, 14))
        hant = rng.random() < 0.1
        body = "\n\n".join(p.hant if hant else p.hans for p in paras)
        shown_title = title.hant if hant else title.hans
        when = START + timedelta(seconds=span * rng.random() ** 0.6)  # more articles in recent years
        date_only = rng.random() < 0.3
        if date_only:
            when = when.replace(hour=0, minute=0, second=0)
        source_id, source_tokens = _pick(rng, pool.sources, cum_src)[0]
        authors = list(dict.fromkeys(_pick(rng, pool.authors, cum_auth, rng.randint(0, 2))))
        tags = dict(_pick(rng, pool.tags, cum_tag, rng.randint(1, 4)))
        regions = dict(_pick(rng, pool.regions, cum_reg, rng.choice((0, 1, 1, 1, 2))))
        roll = rng.random()
        status = "published" if roll < 0.94 else "draft" if roll < 0.97 else "review" if roll < 0.99 else "archived"
        scheduled = status == "published" and rng.random() < 0.005
        publish_at = now + timedelta(days=rng.randint(1, 30)) if scheduled else None
        fingerprint = rng.getrandbits(64) - (1 << 63)
        bands = [(fingerprint >> (16 * i)) & 0xFFFF for i in range(4)]
        date_line = when.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")
        articles.append((
            pk, shown_title, body, body.split("\n\n", 1)[0][:200], when, date_only, _json(authors), "[]",
            rng.randint(0, 50_000) if rng.random() < 0.4 else None, "", "zh-Hant" if hant else "zh-Hans", status,
            publish_at, now, now, f"{shown_title}\n{date_line}\n\n{body}", f"bench/{pk:08d}.txt",
            hashlib.sha256(f"bench-{pk}".encode()).hexdigest(), "utf-8", fingerprint, *bands, "{}", "[]", False, "[]",
            None, source_id,
        ))
        meta = " ".join([source_tokens, *tags.values(), *regions.values(), *authors])
        docs.append((pk, title.tokens, " ".join(p.tokens for p in paras), meta, when))
        tagged += [(pk, tag_id) for tag_id in tags]
        placed += [(pk, region_id) for region_id in regions]
    return articles, docs, tagged, placed


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _load_range(args) -> int:
    """One loader process: generate and COPY its id range, a chunk per transaction."""
    dsn, pool, first_id, count, seed, now = args
    import psycopg

    done = 0
    with psycopg.connect(dsn, autocommit=True) as conn:  # a transaction per chunk, below
        conn.execute("SET session_replication_role = replica")  # no FK triggers per row: the ids are ours
        conn.execute("SET synchronous_commit = off")
        while done < count:
            n = min(CHUNK, count - done)
            articles, docs, tagged, placed = generate(pool, first_id + done, n, seed + done, now)
            with conn.transaction(), conn.cursor() as cursor:
                _copy(cursor, "articles_article", ARTICLE_COLUMNS, articles)
                # Settled: the indexes are built after the load, so the rum index (WHERE settled, 0015) takes them all.
                _copy(cursor, "articles_searchdocument", ("article_id", "title", "body", "meta", "published_at",
                                                          "settled"), ((*d, True) for d in docs))
                _copy(cursor, "articles_taggedarticle", ("content_object_id", "tag_id"), tagged)
                _copy(cursor, "articles_article_regions", ("article_id", "region_id"), placed)
            done += n
            if done % 100_000 < CHUNK:
                print(f"  loader {first_id}: {done:,}/{count:,}", flush=True)
    return done


def _secondary_indexes(conn) -> list[tuple[str, str]]:
    """(name, definition) of the indexes on the big tables that back no constraint."""
    return conn.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           WHERE t.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)""",
        [list(TABLES)],
    ).fetchall()


def _restore_indexes(dsn: str, log) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        pending = conn.execute("SELECT name, def FROM bench_dropped_index ORDER BY length(def) DESC").fetchall()
    if not pending:
        return

    def build(item):
        name, definition = item
        t = time.time()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '2GB'")
            conn.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            conn.execute("DELETE FROM bench_dropped_index WHERE name = %s", [name])
        log(f"  index {name}: {time.time() - t:.0f}s")

    # Two at a time: GIN and rum builds are single-threaded, and the machine has two cores.
    with ThreadPoolExecutor(max_workers=2) as executor:
        list(executor.map(build, pending))


def load(dsn: str, target: int, *, processes: int = 2, log=print) -> int:
    """Top the database up to `target` articles; returns how many there are. Django must be set up."""
    import psycopg
    from django.utils import timezone

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_dropped_index (name text PRIMARY KEY, def text NOT NULL)")
    _restore_indexes(dsn, log)  # a previous load that died before rebuilding them
    with psycopg.connect(dsn, autocommit=True) as conn:
        have, max_id = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM articles_article").fetchone()
    if have >= target:
        log(f"dataset: {have:,} articles already there; reusing")
        return have
    t0 = time.time()
    pool = build_pool()
    log(f"dataset: {len(pool.titles):,} titles, {len(pool.paragraphs):,} paragraphs, {len(pool.tags)} tags, "
        f"{len(pool.sources)} sources, {len(pool.regions):,} regions from the labelled pages ({time.time() - t0:.0f}s)")
    with psycopg.connect(dsn, autocommit=True) as conn:
        for name, definition in _secondary_indexes(conn):
            conn.execute("INSERT INTO bench_dropped_index VALUES (%s, %s) ON CONFLICT DO NOTHING", [name, definition])
            conn.execute(f'DROP INDEX "{name}"')
    need = target - have
    share = -(-need // processes)
    now = timezone.now()
    jobs = [(dsn, pool, max_id + 1 + i * share, min(share, need - i * share), 7919 * (max_id + i * share), now)
            for i in range(processes) if need - i * share > 0]
    t1 = time.time()
    with get_context("fork").Pool(len(jobs)) as workers:
        loaded = sum(workers.map(_load_range, jobs))
    log(f"dataset: {loaded:,} articles with documents, tags and regions copied in {time.time() - t1:.0f}s")
    t2 = time.time()
    _restore_indexes(dsn, log)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT setval(pg_get_serial_sequence('articles_article', 'id'), "
                     "(SELECT max(id) FROM articles_article))")
        for table in TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
        total = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    log(f"dataset: indexes rebuilt, vacuumed and analysed in {time.time() - t2:.0f}s; {total:,} articles, "
        f"{time.time() - t0:.0f}s in all")
    return total


if __name__ == "__main__":  # python bench/site_data.py DSN COUNT: load without serving
    import sys

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DATABASE_URL", sys.argv[1].replace("postgresql://", "postgres://"))
    django.setup()
    load(sys.argv[1], int(sys.argv[2]))
