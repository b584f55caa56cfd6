"""Importing page dumps: gather inputs, skip known bytes, parse on all cores, write in batches.

Each chunk of files is written in one transaction together with its ledger rows
(ImportRecord) and search documents, so a batch killed midway leaves only whole
articles and running it again completes it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
import zipfile
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from articles import selectors
from articles.ingest import ArticleDraft, Gazetteer, IngestError, Vocabulary, parse
from articles.ingest.dedup import hamming
from articles.models import Article, ImportBatch, ImportRecord, Status
from articles.search import rebuild_index
from articles.signals import indexing_suspended

from .articles import (
    SourceResolver,
    article_upsert_from_draft,
    articles_create_from_drafts,
    find_near_duplicate,
    near_duplicate_distance,
    region_id_map,
)
from .inputs import InputRef, Limits, ReadRefused, gather, read
from .workflow import ensure_can_set_status

logger = logging.getLogger(__name__)

STATUSES = ("new", "updated", "unchanged", "duplicate", "error")


@dataclass
class FileOutcome:
    file: str
    status: str
    error: str | None = None
    draft: ArticleDraft | None = None
    article_id: int | None = None
    duplicate_of_id: int | None = None


@dataclass
class ImportSummary:
    counts: Counter = field(default_factory=Counter)
    skipped: int = 0
    total: int = 0
    seconds: float = 0.0
    batch_id: int | None = None

    @property
    def failed(self) -> int:
        return self.counts["error"]

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        parts = ", ".join(f"{s} {self.counts[s]}" for s in STATUSES if self.counts[s])
        return (f"{self.total} files in {self.seconds:.1f}s ({self.rate:.0f} files/s): {parts or 'nothing'}"
                f"; {self.skipped} other files skipped")


def limits_from_settings() -> Limits:
    return Limits(max_file_bytes=settings.GAOKU_MAX_FILE_BYTES)


# Parser worker processes build the gazetteer once, from plain rows sent by the parent.
_worker: dict = {}


def _init_worker(rows, vocabulary: Vocabulary) -> None:
    _worker["gazetteer"] = Gazetteer.from_rows(*rows)
    _worker["vocabulary"] = vocabulary


def _parse_job(job: tuple[str, bytes]) -> tuple[str, ArticleDraft | None, str | None]:
    """Parse one page in a worker, and segment its title and body for the search index there too."""
    name, data = job
    try:
        draft = parse(data, name, gazetteer=_worker["gazetteer"], vocabulary=_worker["vocabulary"],
                      with_index_tokens=True)
    except IngestError as exc:
        return name, None, str(exc)
    except RecursionError as exc:  # pathological nesting in saved HTML
        return name, None, f"{name}: page too deeply nested to read ({exc})"
    return name, draft, None


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def ingest_paths(*, paths: list[str | Path], status: str = Status.DRAFT, source_override: str | None = None,
                 user=None, dry_run: bool = False, workers: int | None = None, chunk_size: int = 64,
                 batch: ImportBatch | None = None, origin: str = "command",
                 on_file: Callable[[FileOutcome], None] | None = None) -> ImportSummary:
    """Import every page under `paths`. Bad files are reported, never fatal; returns counts per status."""
    ensure_can_set_status(user, status)
    started = time.monotonic()
    limits = limits_from_settings()
    gathered = gather(paths, limits)
    refs = gathered.refs
    summary = ImportSummary(skipped=gathered.skipped, total=len(refs))
    if not dry_run:
        if batch is None:
            batch = ImportBatch.objects.create(origin=origin, created_by=user, options={
                "paths": [str(p) for p in paths], "status": status, "source": source_override})
        batch.state, batch.total, batch.processed = ImportBatch.State.RUNNING, len(refs), 0
        batch.save(update_fields=["state", "total", "processed"])
        summary.batch_id = batch.pk
    rows = selectors.gazetteer_rows()
    vocabulary = selectors.build_vocabulary()
    writer = _Writer(status=status, source_override=source_override, user=user, batch=batch, dry_run=dry_run)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(refs) >= 40 else 1
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(rows, vocabulary)) if workers > 1 else None
    if pool is None:
        _init_worker(rows, vocabulary)
    zips: dict[Path, zipfile.ZipFile] = {}
    try:
        # The worker processes parse up to `ahead` chunks beyond the one being written, so
        # they never wait for the database and the database never waits for them.
        pending: deque = deque()
        ahead = 2 if pool else 0
        for chunk in _chunks(refs, chunk_size):
            pending.append((chunk, _prepare_chunk(chunk, limits, zips, pool, writer)))
            if len(pending) > ahead:
                _report(_finish_chunk(*pending.popleft(), writer), summary, on_file)
        while pending:
            _report(_finish_chunk(*pending.popleft(), writer), summary, on_file)
    finally:
        for zf in zips.values():
            zf.close()
        if pool:
            pool.shutdown()
    summary.seconds = time.monotonic() - started
    if batch is not None:
        batch.state = ImportBatch.State.DONE
        batch.finished_at = timezone.now()
        batch.counts = dict(summary.counts, skipped=summary.skipped)
        batch.save(update_fields=["state", "finished_at", "counts"])
    return summary


def database_ready() -> bool:
    """Whether migrate has created the tables an import reads (regions, articles)."""
    from django.db import connection

    return {Article._meta.db_table, "articles_region"} <= set(connection.introspection.table_names())


def preview_paths_offline(*, paths: list[str | Path], on_file: Callable[[FileOutcome], None] | None = None
                          ) -> ImportSummary:
    """A dry run that needs no database: the packaged gazetteer, no tag vocabulary, and duplicates
    looked for among the files of this run only. For trying the importer before `migrate`."""
    started = time.monotonic()
    limits = limits_from_settings()
    gathered = gather(paths, limits)
    summary = ImportSummary(skipped=gathered.skipped, total=len(gathered.refs))
    gazetteer, vocabulary = Gazetteer.default(), Vocabulary()
    limit = near_duplicate_distance()
    seen: dict[str, str] = {}
    prints: list[int] = []
    zips: dict[Path, zipfile.ZipFile] = {}
    try:
        for ref in gathered.refs:
            try:
                draft = parse(read(ref, limits, zips), ref.name, gazetteer=gazetteer, vocabulary=vocabulary)
            except ReadRefused as exc:
                outcome = FileOutcome(ref.name, "error", f"{ref.name}: {exc}")
            except IngestError as exc:
                outcome = FileOutcome(ref.name, "error", str(exc))
            else:
                status = "unchanged" if draft.sha256 in seen else (
                    "duplicate" if any(hamming(fp, draft.fingerprint) <= limit for fp in prints) else "new")
                seen[draft.sha256] = ref.name
                prints.append(draft.fingerprint)
                outcome = FileOutcome(ref.name, status, draft=draft)
            _report([outcome], summary, on_file)
    finally:
        for zf in zips.values():
            zf.close()
    summary.seconds = time.monotonic() - started
    return summary


def _report(outcomes, summary: ImportSummary, on_file) -> None:
    for outcome in outcomes:
        summary.counts[outcome.status] += 1
        if on_file:
            on_file(outcome)


def _prepare_chunk(chunk: list[InputRef], limits, zips, pool, writer: "_Writer"):
    """Read a chunk, drop bytes already imported, and start parsing the rest."""
    outcomes: dict[str, FileOutcome] = {}
    jobs: list[tuple[str, bytes]] = []
    hashes: dict[str, str] = {}
    for ref in chunk:
        try:
            data = read(ref, limits, zips)
        except ReadRefused as exc:
            outcomes[ref.name] = FileOutcome(ref.name, "error", f"{ref.name}: {exc}")
            continue
        hashes[ref.name] = hashlib.sha256(data).hexdigest()
        jobs.append((ref.name, data))
    # Bytes already imported are not parsed again: re-importing a folder is a hash lookup.
    known = dict(Article.objects.filter(raw_sha256__in=list(hashes.values())).values_list("raw_sha256", "id"))
    to_parse = []
    for name, data in jobs:
        if hashes[name] in known and not writer.dry_run:
            outcomes[name] = FileOutcome(name, "unchanged", article_id=known[hashes[name]])
        else:
            to_parse.append((name, data))
    parsed = [pool.submit(_parse_job, job) for job in to_parse] if pool else to_parse
    return outcomes, parsed, hashes


def _finish_chunk(chunk: list[InputRef], prepared, writer: "_Writer") -> list[FileOutcome]:
    outcomes, parsed, hashes = prepared
    results = [f.result() for f in parsed] if parsed and hasattr(parsed[0], "result") else map(_parse_job, parsed)
    drafts = []
    for name, draft, error in results:
        if draft is None:
            outcomes[name] = FileOutcome(name, "error", error)
        else:
            drafts.append(draft)
    for outcome in writer.write(drafts, list(outcomes.values()), hashes):
        outcomes[outcome.file] = outcome
    return [outcomes[ref.name] for ref in chunk]


class _Writer:
    def __init__(self, *, status, source_override, user, batch, dry_run):
        self.status, self.source_override, self.user, self.batch = status, source_override, user, batch
        self.dry_run = dry_run
        self.sources = SourceResolver(selectors.source_index())
        self.region_ids = region_id_map()

    def write(self, drafts: list[ArticleDraft], others: list[FileOutcome], hashes: dict[str, str]) -> list[FileOutcome]:
        if self.dry_run:
            return [self._preview(d) for d in drafts]
        with indexing_suspended(), transaction.atomic():
            results, indexed = self._write_many(drafts)
            ImportRecord.objects.bulk_create([
                ImportRecord(batch=self.batch, file_name=o.file[:1000], sha256=hashes.get(o.file, ""), status=o.status,
                             error=o.error or "", article_id=o.article_id) for o in others
            ])
            written = [r.article_id for r in results
                       if r.status in ("new", "updated", "duplicate") and r.article_id not in indexed]
            if written:
                rebuild_index(queryset=Article.objects.filter(pk__in=written))
            if self.batch is not None:
                self.batch.processed += len(drafts) + len(others)
                ImportBatch.objects.filter(pk=self.batch.pk).update(processed=self.batch.processed)
        return results

    def _preview(self, draft: ArticleDraft) -> FileOutcome:
        existing = Article.objects.filter(raw_sha256=draft.sha256).values_list("id", flat=True).first()
        if existing:
            return FileOutcome(draft.filename, "unchanged", draft=draft, article_id=existing)
        original = find_near_duplicate(draft)
        return FileOutcome(draft.filename, "duplicate" if original else "new", draft=draft,
                           duplicate_of_id=original.pk if original else None)

    def _write_many(self, drafts: list[ArticleDraft]) -> tuple[list[FileOutcome], set[int]]:
        """All drafts of a chunk in bulk; if the database refuses any, fall back to one by one."""
        indexed: set[int] = set()
        try:
            with transaction.atomic():
                results = articles_create_from_drafts(
                    drafts=drafts, status=self.status, sources=self.sources, region_ids=self.region_ids,
                    source_override=self.source_override, user=self.user, batch=self.batch,
                    indexed=indexed)
        except (IntegrityError, DatabaseError) as exc:
            logger.info("bulk write refused (%s); writing one by one", exc)
            self.sources = SourceResolver(selectors.source_index())  # sources made in the rolled-back savepoint
            return [self._write_one(d) for d in drafts], set()
        return [FileOutcome(d.filename, r.status, draft=d, article_id=r.article.pk,
                            duplicate_of_id=r.duplicate_of.pk if r.duplicate_of else None)
                for d, r in zip(drafts, results)], indexed

    def _write_one(self, draft: ArticleDraft) -> FileOutcome:
        try:
            with transaction.atomic():
                result = article_upsert_from_draft(
                    draft=draft, status=self.status, sources=self.sources, region_ids=self.region_ids,
                    source_override=self.source_override, user=self.user, file_name=draft.filename, batch=self.batch)
        except (IntegrityError, DatabaseError) as exc:
            # One article the database refuses (a constraint, a value too long) fails alone.
            logger.warning("import of %s failed: %s", draft.filename, exc)
            ImportRecord.objects.create(batch=self.batch, file_name=draft.filename[:1000], sha256=draft.sha256,
                                        status="error", error=str(exc)[:2000])
            return FileOutcome(draft.filename, "error", f"{draft.filename}: database refused it: {exc}", draft=draft)
        return FileOutcome(draft.filename, result.status, draft=draft, article_id=result.article.pk,
                           duplicate_of_id=result.duplicate_of.pk if result.duplicate_of else None)
