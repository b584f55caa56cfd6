"""The one write path from an ArticleDraft to an Article (used by the importer and reprocess)."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.ingest import ArticleDraft
from articles.ingest.dedup import NearDuplicates, bands
from articles.ingest.script import name_key, to_simplified
from articles.models.articles import SUMMARY_CHARS
from articles.models import Article, ImportRecord, Region, Source, Status, StatusChange

from . import rows
from .workflow import can_edit, ensure_can_edit

logger = logging.getLogger(__name__)

@dataclass
class UpsertResult:
    status: str  # new | updated | unchanged | duplicate
    article: Article | None
    duplicate_of: Article | None = None
    note: str = ""


class SourceResolver:
    """Finds a Source by any spelling (南方雜誌 == 南方杂志); creates missing ones in simplified form.

    What it hands out is a real row with its name and aliases (search documents are built from them),
    and a transaction opened with `atomic()` takes back, on rollback, every source it resolved inside,
    so no cached id outlives the row a rollback undid.
    """

    def __init__(self, index: dict[str, int]):
        self.index = index
        self._rows: dict[int, Source] = {}
        self._journal: list[str] = []  # keys added to the index, in order, for atomic() to take back

    @contextmanager
    def atomic(self):
        mark = len(self._journal)
        try:
            with transaction.atomic():
                yield
        except BaseException:
            for key in self._journal[mark:]:
                pk = self.index.pop(key, None)
                self._rows.pop(pk, None)
            del self._journal[mark:]
            raise

    def _row(self, pk: int) -> Source | None:
        if pk not in self._rows:
            row = Source.objects.only("id", "name", "aliases").filter(pk=pk).first()
            if row is None:
                return None
            self._rows[pk] = row
        return self._rows[pk]

    def resolve(self, name: str | None) -> Source | None:
        if not name:
            return None
        key = name_key(name)
        pk = self.index.get(key)
        if pk is not None:
            row = self._row(pk)
            if row is not None:
                return row
            del self.index[key]  # the row is gone (deleted, or its transaction rolled back elsewhere)
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
        self._rows[source.pk] = source
        self._journal.append(key)
        return source


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:190] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# On PostgreSQL the stored articles a fingerprint can match: those sharing one of its bands and
# within the distance of it (bit_count of the XOR), found with the band indexes, one lookup a page.
_NEAR_SQL = """
SELECT DISTINCT a.id, a.fingerprint, a.duplicate_of_id, a.fp_band0, a.fp_band1, a.fp_band2, a.fp_band3
FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::int[], %s::int[]) AS q (fp, b0, b1, b2, b3)
JOIN {table} a ON (a.fp_band0 = q.b0 OR a.fp_band1 = q.b1 OR a.fp_band2 = q.b2 OR a.fp_band3 = q.b3)
WHERE a.fingerprint IS NOT NULL AND bit_count((a.fingerprint # q.fp)::bit(64)) <= %s
ORDER BY a.id"""


def near_duplicate_index(fingerprints) -> NearDuplicates:
    """The stored articles that share a band with any of the fingerprints, earliest first.

    Each is indexed as the pk of its original: a repost of a repost is a repost of the first. One
    indexed query, never a scan of the table; the stored bands are reused and no model instance is
    built per row. On PostgreSQL the query leaves out the articles that share a band with a
    fingerprint but are further from it than the distance: the index would never give them for it,
    and by chance alone they grow with the table (four 16-bit bands: at a million articles, about
    60 a page; the bench's pages, made from a few samples, share bands with a fifth of the table).
    """
    index = NearDuplicates(settings.GAOKU_NEAR_DUPLICATE_DISTANCE)
    fingerprints = list(fingerprints)
    if not fingerprints:
        return index
    banded = [bands(fingerprint) for fingerprint in fingerprints]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_NEAR_SQL.format(table=connection.ops.quote_name(Article._meta.db_table)),
                           [fingerprints, *map(list, zip(*banded, strict=True)), index.distance])
            rows = cursor.fetchall()
    else:
        cond = Q()
        for i, values in enumerate(zip(*banded, strict=True)):
            cond |= Q(**{f"fp_band{i}__in": set(values)})
        rows = (Article.objects.filter(cond).exclude(fingerprint__isnull=True).order_by("id")
                .values_list("id", "fingerprint", "duplicate_of_id", "fp_band0", "fp_band1", "fp_band2", "fp_band3"))
    for pk, fingerprint, original, *stored in rows:
        index.add(fingerprint, original or pk, banded=tuple(stored) if None not in stored else None)
    return index


def _as_article(found) -> Article | None:
    """A matcher's value as an Article: a stored original's pk, or a page of this chunk."""
    return Article(pk=found) if isinstance(found, int) else found


def find_near_duplicate(draft: ArticleDraft) -> Article | None:
    """The earliest stored article the draft repeats (as an unsaved Article with only a pk), or None."""
    return _as_article(near_duplicate_index([draft.fingerprint]).find(draft.fingerprint))


# The ledger row of a written page, as rows.write takes it.
RECORD_FIELDS = ("batch_id", "chunk_id", "file_name", "sha256", "status", "article_id")

def apply_draft(article: Article, draft: ArticleDraft, *, source: Source | None, skip: set[str] = frozenset()) -> list:
    """Copy the draft's fields onto the article (not saved); returns (regions, tags) to set after saving."""
    values = {
        "title": draft.title[:500], "body": draft.body, "summary": draft.summary.strip()[:SUMMARY_CHARS],
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
    article.has_warnings = bool(article.warnings)  # as save() would: the bulk path never calls it
    return [None if "regions" in skip else draft.region_codes, None if "tags" in skip else draft.tags]


def set_relations(article: Article, region_codes, tags, region_ids: dict[str, int]) -> None:
    if region_codes is not None:
        article.regions.set([region_ids[c] for c in region_codes if c in region_ids])
    if tags is not None:
        article.tags.set(list(tags))


def article_upsert_from_draft(*, draft: ArticleDraft, status: str = Status.DRAFT, sources: SourceResolver,
                              region_ids: dict[str, int], source_override: str | None = None, user=None,
                              batch=None, chunk=None, indexed: set | None = None,
                              region_names: dict[str, tuple[str, str]] | None = None) -> UpsertResult:
    """Write one draft (caller owns the transaction): the bulk path with a chunk of one."""
    return articles_upsert_from_drafts(drafts=[draft], status=status, sources=sources, region_ids=region_ids,
                                       source_override=source_override, user=user, batch=batch, chunk=chunk,
                                       indexed=indexed, region_names=region_names)[0]


def _upsert_known(*, draft: ArticleDraft, sources: SourceResolver, region_ids: dict[str, int],
                  source_override: str | None, batch, chunk=None, user=None) -> UpsertResult | None:
    """A page the database knows: the same bytes (unchanged) or the same URL (updated); None otherwise."""
    existing = Article.objects.filter(raw_sha256=draft.sha256).only("id").first()
    if existing:
        result = UpsertResult("unchanged", existing)
    else:
        same_url = Article.objects.filter(url=draft.url).first() if draft.url else None
        if same_url is None:
            return None
        if not can_edit(user, same_url):  # the workflow gate: a published article needs 审核 to change
            result = UpsertResult("unchanged", same_url, note="已发布的文章只有“审核”组能用新版本更新；本文件未导入。")
        else:
            source = sources.resolve(source_override or draft.source)
            regions, tags = apply_draft(same_url, draft, source=source, skip=set(same_url.edited_fields))
            same_url.raw_sha256, same_url.file_name = draft.sha256, draft.filename[:1000]
            same_url._change_reason = "重新导入（原文链接相同）"
            same_url.save()
            set_relations(same_url, regions, tags, region_ids)
            result = UpsertResult("updated", same_url)
    ImportRecord.objects.create(batch=batch, chunk=chunk, file_name=draft.filename[:1000], sha256=draft.sha256,
                                status=result.status, article=result.article, error=result.note)
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
    ensure_can_edit(user, [article])
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


def articles_reprocess(*, queryset, user=None, batch_size: int = 200, errors: list | None = None) -> tuple[int, int]:
    """Reprocess many articles; returns (seen, changed).

    One article that fails (any exception) is rolled back alone, logged with its traceback, and
    appended to `errors` as (article id, reason); the others go on.
    """
    from articles import selectors_import

    gazetteer, vocabulary = selectors_import.build_gazetteer(), selectors_import.build_vocabulary()
    sources, region_ids = SourceResolver(selectors_import.source_index()), region_id_map()
    seen = changed = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for article in Article.objects.filter(pk__in=ids[start:start + batch_size]):
                seen += 1
                try:
                    with sources.atomic():
                        changed += article_reprocess(article=article, gazetteer=gazetteer, vocabulary=vocabulary,
                                                     sources=sources, region_ids=region_ids, user=user)
                except Exception as exc:  # one article never stops the run; the traceback goes to the log
                    logger.exception("reprocess of article %s failed", article.pk)
                    if errors is not None:
                        errors.append((article.pk, f"{type(exc).__name__}: {exc}"))
    return seen, changed


def tag_ids_for(names: set[str]) -> dict[str, int]:
    """Tag ids by name, creating missing tags in bulk (unicode slugs, unique)."""
    from taggit.models import Tag

    found = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
    missing = sorted(names - set(found))
    if missing:
        taken = set(Tag.objects.filter(slug__in=[slugify(n, allow_unicode=True) for n in missing])
                    .values_list("slug", flat=True))
        new = []
        for name in missing:
            base = slugify(name, allow_unicode=True) or "tag"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}_{n}", n + 1
            taken.add(slug)
            new.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(new)
        found.update(Tag.objects.filter(name__in=missing).values_list("name", "id"))
    return found


def _search_documents(fresh, region_names: dict[str, tuple[str, ...]]) -> list[int]:
    """Documents from the tokens the parser workers made; only the meta tokens are segmented here."""
    from articles.models import SearchDocument
    from articles.search.documents import DOCUMENT_FIELDS, document_row

    docs = [document_row(article, tags=draft.tags, tokens=draft.index_tokens,
                         region_names=[n for c in draft.region_codes for n in region_names.get(c, ())])
            for _, draft, article in fresh
            if draft.index_tokens is not None]  # parsed without index tokens: indexed by the caller afterwards
    rows.write(SearchDocument, DOCUMENT_FIELDS, docs)
    return [d[0] for d in docs]


def region_name_map() -> dict[str, tuple[str, str]]:
    """Region names by code, as search documents hold them."""
    return {code: (name, short) for code, name, short in Region.objects.values_list("code", "name", "short_name")}


def lock_pages(drafts: list[ArticleDraft]) -> None:
    """Hold the drafts' bytes, URLs and fingerprint bands until the transaction ends (see rows.lock_keys)."""
    keys = [f"sha:{d.sha256}" for d in drafts] + [f"url:{d.url}" for d in drafts if d.url]
    keys += [f"band{i}:{b}" for d in drafts for i, b in enumerate(d.fingerprint_bands) if b is not None]
    rows.lock_keys(keys)


# What a history row holds beyond the article's tracked fields, as bulk_history_create fills it.
_HISTORY_FIELDS = ("history_id", "history_date", "history_user_id", "history_change_reason", "history_type")


@cache
def _history_model():
    """Article's history model (Article.history builds a new manager class at every access)."""
    return Article.history.model


def _history_rows(articles: list[Article], ids, *, user, reason: str) -> tuple[tuple[str, ...], list[tuple]]:
    """The import's history rows (fields, rows), straight from the written articles."""
    tracked = tuple(f.attname for f in _history_model().tracked_fields)
    get = attrgetter(*tracked)
    now, user_id = timezone.now(), getattr(user, "pk", None)
    return tracked + _HISTORY_FIELDS, [get(a) + (next(ids), now, user_id, reason, "+") for a in articles]


def _write_new(fresh: list[tuple[int, ArticleDraft, Article]], *, region_ids: dict[str, int], user) -> None:
    """Insert new articles with their region links and history rows (history after the regions, so
    the history row holds the regions the article was imported with, not an empty set)."""
    Through, History = Article.regions.through, _history_model()
    HistoryRegions = History.regions.model
    objs = [a for _, _, a in fresh]
    regions = [[region_ids[c] for c in dict.fromkeys(d.region_codes) if c in region_ids] for _, d, _ in fresh]
    ids = rows.new_ids({Article: len(objs), Through: sum(map(len, regions)), History: len(objs)})
    for a in objs:
        a.pk = next(ids[Article])
    later = [a for a in objs if getattr(a, "_chunk_original", None) is not None]  # reposts of earlier pages here
    numbered = bool(objs) and objs[0].pk is not None
    for a in later if numbered else ():
        a.duplicate_of = a._chunk_original
    rows.insert(Article, objs)
    if later and not numbered:  # the originals got their ids with the insert
        for a in later:
            a.duplicate_of = a._chunk_original
        Article.objects.bulk_update(later, ["duplicate_of"])
    links = [(next(ids[Through]), a.pk, r) for a, linked in zip(objs, regions, strict=True) for r in linked]
    link_ids = rows.write(Through, ("id", "article_id", "region_id"), links)
    fields, history = _history_rows(objs, ids[History], user=user, reason="导入")
    history_ids = rows.write(History, fields, history)
    history_of = dict(zip((a.pk for a in objs), history_ids, strict=True))
    rows.write(HistoryRegions, ("history_id", "id", "article_id", "region_id"),
               [(history_of[article], pk, article, region) for (_, article, region), pk in zip(links, link_ids,
                                                                                                  strict=True)])


def articles_upsert_from_drafts(*, drafts: list[ArticleDraft], status: str, sources: SourceResolver,
                                region_ids: dict[str, int], source_override: str | None = None, user=None,
                                batch=None, chunk=None, indexed: set | None = None,
                                region_names: dict[str, tuple[str, str]] | None = None) -> list[UpsertResult]:
    """The one write path from drafts to articles: a handful of queries per chunk, not dozens per article.

    Idempotent by the raw bytes' sha256; a page whose URL is known updates that article (fields an
    editor changed stay). New pages are written in bulk (COPY on PostgreSQL), each compared with the
    stored articles and the earlier pages of the chunk for a repost. Concurrent importers wait for
    each other on the same bytes, URL or fingerprint band (lock_pages), so two workers meeting the
    same page write it once. The caller owns the transaction; articles whose search documents were
    written here are added to `indexed`, the others the caller indexes.
    """
    from articles.models import TaggedArticle

    results: list[UpsertResult | None] = [None] * len(drafts)
    seen_sha: dict[str, int] = {}
    fresh: list[tuple[int, ArticleDraft, Article]] = []
    lock_pages(drafts)
    near = near_duplicate_index(d.fingerprint for d in drafts)  # then the chunk's own pages, as they come
    urls = {d.url for d in drafts if d.url}
    known_sha, known_urls = set(), set()
    for sha, url in Article.objects.filter(Q(raw_sha256__in={d.sha256 for d in drafts}) | Q(url__in=urls)
                                           ).values_list("raw_sha256", "url"):
        known_sha.add(sha)
        known_urls.add(url)
    for i, draft in enumerate(drafts):
        if draft.sha256 in seen_sha or draft.sha256 in known_sha or (draft.url and draft.url in known_urls):
            continue  # bytes already written (earlier, or in this chunk), or an update: one by one below
        seen_sha[draft.sha256] = i
        original = _as_article(near.find(draft.fingerprint))
        article = Article(raw_sha256=draft.sha256, file_name=draft.filename[:1000])
        apply_draft(article, draft, source=sources.resolve(source_override or draft.source))
        article.status = Status.DRAFT if original else status
        article.duplicate_of = original if original is None or original.pk else None
        if original is not None and original.pk is None:
            article._chunk_original = original
        near.add(draft.fingerprint, original or article)
        fresh.append((i, draft, article))
    objs = [a for _, _, a in fresh]
    _write_new(fresh, region_ids=region_ids, user=user)
    tag_ids = tag_ids_for({t for _, d, _ in fresh for t in d.tags})
    rows.write(TaggedArticle, ("content_object_id", "tag_id"),
               [(a.pk, tag_ids[t]) for _, d, a in fresh for t in dict.fromkeys(d.tags)])
    user_id = getattr(user, "pk", None)
    rows.write(StatusChange, ("article_id", "from_status", "to_status", "user_id", "note"), [
        (a.pk, "", a.status, user_id, "导入（疑似重复，保持草稿）" if a.duplicate_of_id else "导入") for a in objs])
    records = []
    batch_id, chunk_id = getattr(batch, "pk", None), getattr(chunk, "pk", None)
    for i, draft, article in fresh:
        status_name = "duplicate" if article.duplicate_of_id else "new"
        results[i] = UpsertResult(status_name, article, article.duplicate_of)
        records.append((batch_id, chunk_id, draft.filename[:1000], draft.sha256, status_name, article.pk))
    rows.write(ImportRecord, RECORD_FIELDS, records)
    if fresh and any(d.index_tokens is not None for _, d, _ in fresh):
        done = _search_documents(fresh, region_names if region_names is not None else region_name_map())
        if indexed is not None:
            indexed.update(done)
    for i, draft in enumerate(drafts):
        if results[i] is None:
            results[i] = _upsert_known(draft=draft, sources=sources, region_ids=region_ids,
                                       source_override=source_override, batch=batch, chunk=chunk, user=user
                                       ) or article_upsert_from_draft(  # its URL's article is gone since: a new one
                draft=draft, status=status, sources=sources, region_ids=region_ids, source_override=source_override,
                user=user, batch=batch, chunk=chunk, indexed=indexed, region_names=region_names)
    return results  # type: ignore[return-value]
