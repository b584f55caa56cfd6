"""Articles built with the ORM from the real page dumps and their hand-checked fields."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from articles.models import Article, Region, Source, Status

# The labelled pages kept with the tests (a copy of ../shared/samples), the same files tests/ingest reads.
SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _body(text: str, first: str, last: str) -> str:
    start = text.find(first)
    end = text.find(last, start)
    if start < 0 or end < 0:
        return text
    return text[start : end + len(last)].strip()


def _region(path: str) -> Region:
    names = path.split("/")
    region = Region.objects.get(name=names[0], level=Region.Level.PROVINCE)
    if len(names) > 1:
        region = Region.objects.get(name=names[1], parent=region)
    return region


def _when(raw: str | None):
    if not raw:
        return None, False
    date_only = "T" not in raw
    fmt = "%Y-%m-%d" if date_only else ("%Y-%m-%dT%H:%M:%S" if raw.count(":") == 2 else "%Y-%m-%dT%H:%M")
    return datetime.strptime(raw, fmt).replace(tzinfo=SHANGHAI), date_only


def load_expected() -> dict:
    """The hand-checked fields of each sample page, keyed by file name."""
    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    return {name: fields for name, fields in expected.items() if not name.startswith("_")}


def make_article(name: str, fields: dict, *, status=Status.PUBLISHED, tags=(), **extra) -> Article:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    source = None
    if fields.get("source"):
        source, _ = Source.objects.get_or_create(name=fields["source"])
    when, date_only = _when(fields.get("published_at"))
    article = Article.objects.create(
        title=fields["title"],
        body=_body(text, fields["body_first"], fields["body_last"]),
        published_at=when,
        date_only=date_only,
        source=source,
        authors=fields.get("authors") or [],
        editors=fields.get("editors") or [],
        views=fields.get("views"),
        url=fields.get("url") or "",
        language=fields.get("language", "zh-Hans"),
        status=status,
        file_name=name,
        **extra,
    )
    article.regions.set([_region(p) for p in fields.get("regions", [])])
    if tags:
        article.tags.add(*tags)
    return article


# Tags an editor would give these pages: Chinese names, so slugs are unicode.
TAGS = {
    "000_ffd79dd5329f57fd.txt": ["党建", "基层治理"],
    "001_72962b98874534b5.txt": ["党建", "基层治理"],
    "002_3d63953e7ebce92d.txt": ["党建", "组织工作"],
    "004_834f884de4a1454c.txt": ["党建", "高质量发展"],
    "web-003.txt": ["文旅"],
    "web-024.txt": ["养老", "医疗"],
    "web-038.txt": ["社会"],
}


def make_samples() -> dict[str, Article]:
    """Every sample page with a title and a date, published, keyed by file name."""
    articles = {}
    for name, fields in load_expected().items():
        if not fields.get("published_at"):
            continue
        articles[name] = make_article(name, fields, tags=TAGS.get(name, ()))
    return articles
