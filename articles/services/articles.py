"""The one write path from an ArticleDraft to an Article (used by the importer and reprocess)."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.text import slugify

from articles.ingest import ArticleDraft
from articles.ingest.dedup import hamming
from articles.ingest.script import normalize_key, to_simplified
from articles.models import Article, ImportRecord, Region, Source, Status, StatusChange

# Fields the importer fills and an editor may correct; reprocess never overwrites edited ones.
DRAFT_FIELDS = ("title", "body", "summary", "published_at", "date_only", "source", "authors", "editors", "views",
                "url", "language", "regions", "tags")


@dataclass
class UpsertResult:
    status: str  # new | updated | unchanged | duplicate
    article: Article | None
    duplicate_of: Article | None = None


class SourceResolver:
    """Finds a Source by any spelling (南方雜誌 == 南方杂志); creates missing ones in simplified form."""

    def __init__(self, index: dict[str, int]):
        self.index = index

    def resolve(self, name: str | None) -> Source | None:
        if not name:
            return None
        key = normalize_key(name)
        pk = self.index.get(key)
        if pk is not None:
            return Source(pk=pk)
        simplified = to_simplified(name.strip())
        source = Source.objects.filter(name=simplified).first()
        if source is None:
            source = Source(name=simplified, aliases=[name] if name != simplified else [])
            source.slug = _unique_slug(simplified)
            source.save()
        elif name != simplified and name not in source.aliases:
            source.aliases = [*source.aliases, name]
            source.save(update_fields=["aliases"])
        self.index[key] = source.pk
        return source


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:190] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def find_near_duplicate(draft: ArticleDraft, *, exclude_pk: int | None = None) -> Article | None:
    """The earliest article whose fingerprint is within the configured Hamming distance.

    Candidates come from four indexed band lookups, never a scan of the table.
    """
    b = draft.fingerprint_bands
    candidates = (
        Article.objects.filter(Q(fp_band0=b[0]) | Q(fp_band1=b[1]) | Q(fp_band2=b[2]) | Q(fp_band3=b[3]))
        .exclude(fingerprint__isnull=True)
        .order_by("id")
        .only("id", "fingerprint", "duplicate_of_id", "title")[:200]
    )
    limit = getattr(settings, "GAOKU_NEAR_DUPLICATE_DISTANCE", 3)
    for article in candidates:
        if article.pk != exclude_pk and hamming(article.fingerprint, draft.fingerprint) <= limit:
            return Article.objects.get(pk=article.duplicate_of_id) if article.duplicate_of_id else article
    return None


def apply_draft(article: Article, draft: ArticleDraft, *, source: Source | None, skip: set[str] = frozenset()) -> list:
    """Copy the draft's fields onto the article (not saved); returns (regions, tags) to set after saving."""
    values = {
        "title": draft.title[:500], "body": draft.body, "summary": draft.summary[:2000],
        "published_at": draft.published_at, "date_only": draft.date_only, "source": source,
        "authors": list(draft.authors), "editors": list(draft.editors), "views": draft.views,
        "url": (draft.url or "")[:1000], "language": draft.language,
    }
    for field, value in values.items():
        if field not in skip and not (field == "date_only" and "published_at" in skip):
            setattr(article, field, value)
    article.raw_text = draft.raw_text
    article.encoding = draft.encoding
    article.fingerprint = draft.fingerprint
    article.fp_band0, article.fp_band1, article.fp_band2, article.fp_band3 = draft.fingerprint_bands
    article.extraction = {"rules": draft.rules_dict, "encoding": draft.encoding}
    article.warnings = list(draft.warnings)
    return [None if "regions" in skip else draft.region_codes, None if "tags" in skip else draft.tags]


def set_relations(article: Article, region_codes, tags, region_ids: dict[str, int]) -> None:
    if region_codes is not None:
        article.regions.set([region_ids[c] for c in region_codes if c in region_ids])
    if tags is not None:
        article.tags.set(list(tags))


def article_upsert_from_draft(*, draft: ArticleDraft, status: str = Status.DRAFT, sources: SourceResolver,
                              region_ids: dict[str, int], source_override: str | None = None, user=None,
                              file_name: str = "", batch=None) -> UpsertResult:
    """Write one draft (caller owns the transaction). Idempotent by the raw bytes' sha256."""
    existing = Article.objects.filter(raw_sha256=draft.sha256).only("id").first()
    if existing:
        result = UpsertResult("unchanged", existing)
    else:
        source = sources.resolve(source_override or draft.source)
        same_url = Article.objects.filter(url=draft.url).first() if draft.url else None
        if same_url is not None:
            regions, tags = apply_draft(same_url, draft, source=source, skip=set(same_url.edited_fields))
            same_url.raw_sha256, same_url.file_name = draft.sha256, file_name[:1000]
            same_url._change_reason = "重新导入（原文链接相同）"
            same_url.save()
            set_relations(same_url, regions, tags, region_ids)
            result = UpsertResult("updated", same_url)
        else:
            original = find_near_duplicate(draft)
            article = Article(raw_sha256=draft.sha256, file_name=file_name[:1000])
            regions, tags = apply_draft(article, draft, source=source)
            article.status = Status.DRAFT if original else status
            article.duplicate_of = original
            if user is not None:
                article._history_user = user
            article._change_reason = "导入"
            article.save()
            set_relations(article, regions, tags, region_ids)
            StatusChange.objects.create(article=article, from_status="", to_status=article.status, user=user,
                                        note="导入（疑似重复，保持草稿）" if original else "导入")
            result = UpsertResult("duplicate" if original else "new", article, original)
    ImportRecord.objects.create(batch=batch, file_name=file_name[:1000], sha256=draft.sha256, status=result.status,
                                article=result.article)
    return result


def region_id_map() -> dict[str, int]:
    return dict(Region.objects.values_list("code", "id"))


def article_reprocess(*, article: Article, gazetteer, vocabulary, sources: SourceResolver,
                      region_ids: dict[str, int], user=None) -> bool:
    """Re-run extraction on the stored raw text; fields an editor changed are left alone.

    Returns whether anything changed. The raw bytes' sha256 stays: it names what was imported.
    """
    from articles.ingest import IngestError, parse

    if not article.raw_text:
        return False
    try:
        draft = parse(article.raw_text.encode("utf-8"), article.file_name or f"article-{article.pk}.txt",
                      gazetteer=gazetteer, vocabulary=vocabulary)
    except IngestError:
        return False
    skip = set(article.edited_fields)
    before = {f: getattr(article, f) for f in ("title", "body", "published_at", "source_id", "authors", "editors",
                                                "views", "url", "language", "warnings")}
    before_regions = set(article.regions.values_list("id", flat=True))
    before_tags = set(article.tags.values_list("name", flat=True))
    encoding = article.encoding
    regions, tags = apply_draft(article, draft, source=None if "source" in skip else sources.resolve(draft.source),
                                skip=skip)
    article.encoding = encoding or draft.encoding  # the text is re-read as UTF-8; keep the original bytes' encoding
    article.extraction["encoding"] = article.encoding
    after = {f: getattr(article, f) for f in before}
    changed = (before != after or (regions is not None and {region_ids.get(c) for c in regions} != before_regions)
               or (tags is not None and set(tags) != before_tags))
    if changed:
        if user is not None:
            article._history_user = user
        article._change_reason = "重新抽取"
        article.save()
        set_relations(article, regions, tags, region_ids)
    return changed


def articles_reprocess(*, queryset, user=None, batch_size: int = 200) -> tuple[int, int]:
    """Reprocess many articles; returns (seen, changed)."""
    from django.db import transaction

    from articles import selectors

    gazetteer, vocabulary = selectors.build_gazetteer(), selectors.build_vocabulary()
    sources, region_ids = SourceResolver(selectors.source_index()), region_id_map()
    seen = changed = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for article in Article.objects.filter(pk__in=ids[start:start + batch_size]):
                seen += 1
                changed += article_reprocess(article=article, gazetteer=gazetteer, vocabulary=vocabulary,
                                             sources=sources, region_ids=region_ids, user=user)
    return seen, changed
