"""Importing page dumps: gather inputs, skip known bytes, parse on all cores, write in batches.

Each chunk of files is written in one transaction together with its ledger rows
(ImportRecord) and search documents, so a batch killed midway leaves only whole
articles and running it again completes it (`import_texts --resume` counts what the ledger holds).

Every file is read, parsed and written behind an error boundary: whatever goes wrong with one
file is that file's error row (its reason; the traceback of an unexpected one in the log), and
the batch goes on. A chunk the database refuses is written again one file at a time.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import os
import signal
import socket
import threading
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone

from articles import selectors_import
from articles.ingest import ArticleDraft, Gazetteer, Vocabulary
from articles.ingest.dedup import NearDuplicates
from articles.models import Article, ImportBatch, ImportChunk, ImportRecord, Status
from articles.search import rebuild_index
from articles.search.documents import follow_later
from articles.signals import indexing_suspended

from .articles import (
    RECORD_FIELDS,
    SourceResolver,
    article_upsert_from_draft,
    articles_upsert_from_drafts,
    find_near_duplicate,
    region_id_map,
    region_name_map,
)
from . import rows
from .inputs import InputRef, Limits, ReadRefused, gather, read
from .parsers import Parsers, parse_guarded, unexpected
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
    sha256: str = ""


@dataclass
class ImportSummary:
    counts: Counter = field(default_factory=Counter)
    skipped: int = 0
    total: int = 0
    seconds: float = 0.0
    batch_id: int | None = None
    resumed: int = 0  # files an earlier, interrupted run of the batch had already done
    notes: list[str] = field(default_factory=list)  # batch-level events worth telling the operator

    @property
    def failed(self) -> int:
        return self.counts["error"]

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        parts = ", ".join(f"{s} {self.counts[s]}" for s in STATUSES if self.counts[s])
        resumed = f" ({self.resumed} done by the interrupted run)" if self.resumed else ""
        return (f"{self.total} files{resumed} in {self.seconds:.1f}s ({self.rate:.0f} files/s): {parts or 'nothing'}"
                f"; {self.skipped} other files skipped")


def limits_from_settings() -> Limits:
    return Limits(max_file_bytes=settings.GAOKU_MAX_FILE_BYTES)


def parse_seconds() -> float:
    """How long one page may take to parse before it is refused (setting GAOKU_PARSE_SECONDS)."""
    return settings.GAOKU_PARSE_SECONDS


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def ingest_paths(*, paths: list[str | Path], status: str = Status.DRAFT, source_override: str | None = None,
                 user=None, dry_run: bool = False, workers: int | None = None, chunk_size: int = 64,
                 batch: ImportBatch | None = None, origin: str = "command",
                 on_file: Callable[[FileOutcome], None] | None = None,
                 on_start: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Import every page under `paths`. Bad files are reported, never fatal; returns counts per status.

    `on_start` is told the summary once the inputs are counted (its total, and the files resumed),
    `on_file` each file's outcome.

    Given a batch that already has ledger rows (an interrupted run), the files it recorded are
    counted, not read again: the run resumes. SIGTERM or Ctrl-C marks the batch interrupted.
    """
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
        refs = _not_yet_recorded(batch.records, refs, summary)
        batch_started(batch, total=summary.total, processed=summary.resumed)
        summary.batch_id = batch.pk
    if on_start:
        on_start(summary)
    try:
        with _interruptible():
            writer = _Writer(status=status, source_override=source_override, user=user, batch=batch, dry_run=dry_run)
            import_refs(refs, writer=writer, limits=limits, workers=workers, chunk_size=chunk_size,
                        summary=summary, on_file=on_file)
    except BaseException as exc:
        if batch is not None:
            batch_stopped(batch, summary, exc)
        raise
    summary.seconds = time.monotonic() - started
    if batch is not None:
        batch.state = ImportBatch.State.DONE
        batch.finished_at = timezone.now()
        batch.counts = dict(summary.counts, skipped=summary.skipped)
        batch.error = ""
        batch.save(update_fields=["state", "finished_at", "counts", "error"])
    if not dry_run:
        follow_later()  # the new documents into the rum tier (and tantivy), by a worker, off this import's path
    return summary


def import_refs(refs: list[InputRef], *, writer: _Writer, limits: Limits, workers: int | None, chunk_size: int,
                summary: ImportSummary, on_file: Callable[[FileOutcome], None] | None) -> None:
    """Read, parse and write these inputs, `chunk_size` files a transaction; outcomes go to `summary`."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(refs) >= 40 else 1
    zips: dict[Path, zipfile.ZipFile] = {}
    parsers = None
    with _old_objects_frozen():
        try:
            parsers = Parsers(workers, selectors_import.gazetteer_rows(), selectors_import.build_vocabulary(),
                              seconds=parse_seconds())
            # The worker processes parse up to `ahead` chunks beyond the one being written, so
            # they never wait for the database and the database never waits for them.
            pending: deque = deque()
            ahead = 2 if parsers.pool else 0
            for chunk in _chunks(refs, chunk_size):
                pending.append(_prepare_chunk(chunk, limits, zips, parsers, writer))
                if len(pending) > ahead:
                    _report(_finish_chunk(pending.popleft(), parsers, writer), summary, on_file)
            while pending:
                _report(_finish_chunk(pending.popleft(), parsers, writer), summary, on_file)
        except BaseException:
            if parsers:
                parsers.close(abort=True)
                parsers = None
            raise
        finally:
            for zf in zips.values():
                zf.close()
            if parsers:
                parsers.close()
    if parsers.deaths:
        summary.notes.append(f"a parser process died {parsers.deaths} time(s) (killed, or out of memory); "
                             "the files it was reading were parsed again")


@contextmanager
def _old_objects_frozen():
    """While importing, the cycle collector leaves alone what was alive before (Django, the gazetteer,
    the vocabulary): each full collection walked all of it again (60 ms, a few times an import).
    Unfrozen afterwards, so nothing stays out of its reach."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class ImportInterrupted(KeyboardInterrupt):
    """SIGTERM arrived during an import (Ctrl-C arrives as KeyboardInterrupt)."""


def interruption(exc: BaseException) -> str:
    """SIGTERM, Ctrl-C: what stopped an import."""
    return str(exc) or ("Ctrl-C" if isinstance(exc, KeyboardInterrupt) else type(exc).__name__)


@contextmanager
def _interruptible():
    """While importing in the main thread, SIGTERM stops the import the way Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise ImportInterrupted(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _not_yet_recorded(records, refs: list[InputRef], summary: ImportSummary) -> list[InputRef]:
    """The inputs a ledger (a batch's or a chunk's records) does not hold yet; the recorded ones are
    counted as they ended."""
    recorded: dict[str, list[str]] = {}
    for name, status in records.order_by("id").values_list("file_name", "status"):
        recorded.setdefault(name, []).append(status)
    if not recorded:
        return refs
    rest = []
    for ref in refs:
        statuses = recorded.get(ref.name[:1000])
        if statuses:
            summary.counts[statuses.pop(0)] += 1
            summary.resumed += 1
        else:
            rest.append(ref)
    return rest


def batch_started(batch: ImportBatch, *, total: int, processed: int) -> None:
    """Mark the batch running in this process (host, pid and a heartbeat tell when it is gone)."""
    batch.state, batch.total, batch.processed = ImportBatch.State.RUNNING, total, processed
    batch.host, batch.pid, batch.heartbeat_at, batch.error = socket.gethostname(), os.getpid(), timezone.now(), ""
    batch.save(update_fields=["state", "total", "processed", "host", "pid", "heartbeat_at", "error"])


def batch_stopped(batch: ImportBatch, summary: ImportSummary, exc: BaseException) -> None:
    """A run that ended early: interrupted (a signal, Ctrl-C), or failed as a whole (its reason kept)."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        state = ImportBatch.State.INTERRUPTED
        error = f"中断（{interruption(exc)}）：已处理 {batch.processed}/{batch.total} 个文件，可以继续导入"
    else:
        logger.error("import batch %s failed", batch.pk, exc_info=exc)
        state, error = ImportBatch.State.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    counts = dict(summary.counts, skipped=summary.skipped)
    for attempt in range(2):
        try:
            ImportBatch.objects.filter(pk=batch.pk).update(state=state, error=error, counts=counts,
                                                           finished_at=timezone.now())
            break
        except DatabaseError:
            if attempt:
                raise
            connection.close()  # the interruption may have left the connection mid-query
    batch.state, batch.error = state, error


def database_ready() -> bool:
    """Whether migrate has created the tables an import reads (regions, articles)."""
    from django.db import connection

    return {Article._meta.db_table, "articles_region"} <= set(connection.introspection.table_names())


def preview_paths_offline(*, paths: list[str | Path], on_file: Callable[[FileOutcome], None] | None = None,
                          on_start: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """A dry run that needs no database: the packaged gazetteer, no tag vocabulary, and duplicates
    looked for among the files of this run only. For trying the importer before `migrate`."""
    started = time.monotonic()
    limits = limits_from_settings()
    gathered = gather(paths, limits)
    summary = ImportSummary(skipped=gathered.skipped, total=len(gathered.refs))
    if on_start:
        on_start(summary)
    gazetteer, vocabulary = Gazetteer.default(), Vocabulary()
    seen: dict[str, str] = {}
    near = NearDuplicates(settings.GAOKU_NEAR_DUPLICATE_DISTANCE)
    zips: dict[Path, zipfile.ZipFile] = {}
    try:
        for ref in gathered.refs:
            try:
                _, draft, error, trace = parse_guarded(ref.name, read(ref, limits, zips), gazetteer=gazetteer,
                                                       vocabulary=vocabulary, seconds=parse_seconds())
            except ReadRefused as exc:
                draft, error, trace = None, f"{ref.name}: {exc}", None
            if trace:
                logger.error("parsing %s failed\n%s", ref.name, trace)
            if draft is None:
                outcome = FileOutcome(ref.name, "error", error)
            else:
                status = "unchanged" if draft.sha256 in seen else (
                    "duplicate" if near.find(draft.fingerprint) is not None else "new")
                seen[draft.sha256] = ref.name
                near.add(draft.fingerprint, ref.name)
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


def _prepare_chunk(chunk: list[InputRef], limits, zips, parsers: Parsers, writer: _Writer):
    """Read a chunk, drop bytes already imported, and start parsing the rest."""
    outcomes: list[FileOutcome | None] = [None] * len(chunk)
    jobs: list[tuple[int, bytes, str]] = []
    for i, ref in enumerate(chunk):
        try:
            data = read(ref, limits, zips)
        except ReadRefused as exc:
            outcomes[i] = FileOutcome(ref.name, "error", f"{ref.name}: {exc}")
            continue
        except Exception as exc:  # any other failure to read one file is that file's error
            logger.exception("reading %s failed", ref.name)
            outcomes[i] = FileOutcome(ref.name, "error", unexpected(ref.name, "reading", exc))
            continue
        jobs.append((i, data, hashlib.sha256(data).hexdigest()))
    # Bytes already imported are not parsed again: re-importing a folder is a hash lookup.
    known = {} if writer.dry_run else dict(
        Article.objects.filter(raw_sha256__in=[h for _, _, h in jobs]).values_list("raw_sha256", "id"))
    to_parse = []
    for i, _, sha in jobs:
        if sha in known:
            outcomes[i] = FileOutcome(chunk[i].name, "unchanged", article_id=known[sha], sha256=sha)
        else:
            to_parse.append(i)
    wanted = set(to_parse)
    return outcomes, to_parse, parsers.submit([(chunk[i].name, data) for i, data, _ in jobs if i in wanted])


def _finish_chunk(prepared, parsers: Parsers, writer: _Writer) -> list[FileOutcome]:
    outcomes, to_parse, submitted = prepared
    drafts, positions = [], []
    for i, (name, draft, error, trace) in zip(to_parse, parsers.results(submitted), strict=True):
        if draft is None:
            if trace:
                logger.error("parsing %s failed\n%s", name, trace)
            outcomes[i] = FileOutcome(name, "error", error)
        else:
            drafts.append(draft)
            positions.append(i)
    others = [o for o in outcomes if o is not None]
    for i, outcome in zip(positions, writer.write(drafts, others), strict=True):
        outcomes[i] = outcome
    return outcomes


class ChunkLost(Exception):
    """Another worker took this writer's chunk (it looked dead): this one must stop writing for it."""


class _Writer:
    def __init__(self, *, status, source_override, user, batch, dry_run, chunk: ImportChunk | None = None):
        self.status, self.source_override, self.user, self.batch = status, source_override, user, batch
        self.dry_run, self.chunk = dry_run, chunk
        self.sources = SourceResolver(selectors_import.source_index())
        self.region_ids = region_id_map()
        self.region_names = region_name_map()

    @contextmanager
    def _transaction(self):
        """A write transaction; for a chunk, only while this worker still holds it (its claim)."""
        with self.sources.atomic():
            if self.chunk is not None:
                self._fence()
            yield

    def _fence(self) -> None:
        """Beat the chunk's heart if this worker's claim still stands; the row stays locked until commit,
        so a worker taking the chunk over waits for this transaction and then sees the heartbeat."""
        if not ImportChunk.objects.filter(pk=self.chunk.pk, claim=self.chunk.claim).update(heartbeat_at=timezone.now()):
            raise ChunkLost(f"chunk {self.chunk.number} of batch #{self.chunk.batch_id} was taken by another worker")

    def write(self, drafts: list[ArticleDraft], others: list[FileOutcome]) -> list[FileOutcome]:
        """Write a chunk in one transaction; if anything in it fails, write its files one by one."""
        if self.dry_run:
            return [self._guarded(d, self._preview) for d in drafts]
        try:
            with indexing_suspended(), self._transaction():
                results = self._write_many(drafts)
                self._record(others)
                self._advance(len(drafts) + len(others))
            return results
        except ChunkLost:
            raise
        except Exception as exc:  # the files are retried alone below, where each failure is logged
            logger.info("chunk write refused (%s: %s); writing one by one", type(exc).__name__, exc)
        with indexing_suspended():
            results = [self._guarded(d, self._write_one) for d in drafts]
            for outcome in others:
                self._guarded(outcome, lambda o: self._record([o]) or o)
            with self._transaction():
                self._advance(len(drafts) + len(others))
        return results

    def _guarded(self, item: ArticleDraft | FileOutcome, step: Callable) -> FileOutcome:
        """One file's step behind an error boundary: a failure is that file's error, never the batch's."""
        name = item.filename if isinstance(item, ArticleDraft) else item.file
        draft = item if isinstance(item, ArticleDraft) else None
        try:
            if self.dry_run:  # reads only: no transaction (on SQLite each one would take the write lock)
                return step(item)
            with self._transaction():
                return step(item)
        except ChunkLost:
            raise
        except (IntegrityError, DatabaseError) as exc:
            # One article the database refuses (a constraint, a value too long) fails alone.
            logger.warning("import of %s failed: %s", name, exc)
            reason = f"{name}: database refused it: {exc}"
        except Exception as exc:
            logger.exception("import of %s failed", name)
            reason = unexpected(name, "checking" if self.dry_run else "writing", exc)
        if self.batch is not None:
            try:
                with self._transaction():
                    ImportRecord.objects.create(batch=self.batch, chunk=self.chunk, file_name=name[:1000],
                                                status="error", sha256=draft.sha256 if draft else "",
                                                error=reason[:2000])
            except DatabaseError:
                logger.exception("could not record the failure of %s", name)
        return FileOutcome(name, "error", reason, draft=draft)

    def _record(self, outcomes: list[FileOutcome]) -> None:
        batch_id, chunk_id = getattr(self.batch, "pk", None), getattr(self.chunk, "pk", None)
        rows.write(ImportRecord, (*RECORD_FIELDS, "error"), [
            (batch_id, chunk_id, o.file[:1000], o.sha256, o.status, o.article_id, (o.error or "")[:2000])
            for o in outcomes])

    def _advance(self, files: int) -> None:
        """Count the files done and beat the heart: a batch whose heart stopped was interrupted.

        A chunk counts its own files; its batch's progress is the sum over its chunks, whichever
        workers wrote them (a chunk taken over restarts from what its ledger holds).
        """
        if self.batch is None:
            return
        now = timezone.now()
        if self.chunk is not None:
            ImportChunk.objects.filter(pk=self.chunk.pk).update(processed=F("processed") + files)
            done = ImportChunk.objects.filter(batch=OuterRef("pk")).values("batch").annotate(n=Sum("processed"))
            ImportBatch.objects.filter(pk=self.batch.pk).update(processed=Subquery(done.values("n")), heartbeat_at=now)
            return
        self.batch.processed += files
        ImportBatch.objects.filter(pk=self.batch.pk).update(processed=self.batch.processed, heartbeat_at=now)

    def _preview(self, draft: ArticleDraft) -> FileOutcome:
        existing = Article.objects.filter(raw_sha256=draft.sha256).values_list("id", flat=True).first()
        if existing:
            return FileOutcome(draft.filename, "unchanged", draft=draft, article_id=existing)
        original = find_near_duplicate(draft)
        return FileOutcome(draft.filename, "duplicate" if original else "new", draft=draft,
                           duplicate_of_id=original.pk if original else None)

    def _write_many(self, drafts: list[ArticleDraft]) -> list[FileOutcome]:
        """All drafts of a chunk in bulk, with their search documents."""
        indexed: set[int] = set()
        results = articles_upsert_from_drafts(
            drafts=drafts, status=self.status, sources=self.sources, region_ids=self.region_ids,
            source_override=self.source_override, user=self.user, batch=self.batch, chunk=self.chunk,
            indexed=indexed, region_names=self.region_names)
        written = [r.article.pk for r in results
                   if r.status in ("new", "updated", "duplicate") and r.article.pk not in indexed]
        if written:
            rebuild_index(queryset=Article.objects.filter(pk__in=written))
        return [FileOutcome(d.filename, r.status, draft=d, article_id=r.article.pk, sha256=d.sha256,
                            duplicate_of_id=r.duplicate_of.pk if r.duplicate_of else None)
                for d, r in zip(drafts, results, strict=True)]

    def _write_one(self, draft: ArticleDraft) -> FileOutcome:
        indexed: set[int] = set()
        result = article_upsert_from_draft(
            draft=draft, status=self.status, sources=self.sources, region_ids=self.region_ids,
            source_override=self.source_override, user=self.user, batch=self.batch, chunk=self.chunk,
            indexed=indexed, region_names=self.region_names)
        if result.status in ("new", "updated", "duplicate") and result.article.pk not in indexed:
            rebuild_index(queryset=Article.objects.filter(pk=result.article.pk))
        return FileOutcome(draft.filename, result.status, draft=draft, article_id=result.article.pk,
                           sha256=draft.sha256, duplicate_of_id=result.duplicate_of.pk if result.duplicate_of else None)
