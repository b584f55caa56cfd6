"""Admin uploads: store an editor's files, preview them in the background, clean them up.

Files go through the default storage (UploadedFile.file), each under a unique name
(`00001.txt`, `00002.zip`, ...) while the name the editor's file had is kept for
display, so two files called the same are both kept and no server path reaches a page.
The preview is the importer's own dry run (services.imports.ingest_paths), run by a
background task that records one PreviewRow per input and its progress as it goes;
it also compares the files of the upload with each other, not only with the collection.
Files are deleted when their batch is done, and a pending batch nobody confirmed is
deleted with its files after settings.GAOKU_UPLOAD_ABANDON_HOURS (see uploads_cleanup).
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from articles.ingest.dedup import NearDuplicates
from articles.models import ImportBatch, PreviewRow, UploadedFile, UploadPreview

from .imports import FileOutcome, ingest_paths, limits_from_settings
from .inputs import TEXT_SUFFIXES, ZIP_SUFFIX, gather

logger = logging.getLogger(__name__)

# What a text column cannot hold (PostgreSQL refuses NUL; UTF-8 has no lone surrogates). A page may
# still carry them at preview time: the row shows the text without them rather than failing.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
FLUSH_ROWS = 200  # preview rows written (and progress reported) at least this often
FLUSH_SECONDS = 1.0


def _stored_name(position: int, display: str) -> str:
    """A unique, harmless name with a suffix the importer reads: every uploaded file is an input."""
    suffix = PurePath(display).suffix.lower()
    return f"{position:05d}{suffix if suffix in TEXT_SUFFIXES or suffix == ZIP_SUFFIX else '.txt'}"


def _display_name(raw: str | None) -> str:
    """The editor's own file name without any folder a browser may send."""
    return PurePath((raw or "").replace("\\", "/")).name[:255] or "未命名文件"


def upload_create(*, user, files, status: str, source: str = "") -> ImportBatch:
    """A pending batch holding the uploaded files; its preview is queued (the caller enqueues the task)."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(origin="upload", created_by=user,
                                           options={"status": status, "source": source.strip()})
        for position, upload in enumerate(files, start=1):
            display = _display_name(upload.name)
            stored = UploadedFile(batch=batch, name=display, size=upload.size or 0)
            stored.file.save(_stored_name(position, display), upload, save=False)
            stored.stored_name = PurePath(stored.file.name).name
            stored.save()
        # The importer reads local paths; with the default FileSystemStorage this is the batch's folder.
        batch.options = {**batch.options, "folder": default_storage.path(f"imports/{batch.pk}")}
        batch.save(update_fields=["options"])
        UploadPreview.objects.create(batch=batch)
    return batch


# ---- names an editor may see


@dataclass
class UploadNames:
    """Turns the importer's file names (local paths) into names an editor may see.

    For an upload, the name the editor's file had; for a command's batch, the path from the
    folder or file the operator named; never the server's folders.
    """

    prefixes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # stored file name -> editor's name

    @classmethod
    def for_batch(cls, batch: ImportBatch) -> UploadNames:
        options = batch.options or {}
        if options.get("folder"):
            names = dict(batch.uploaded_files.values_list("stored_name", "name"))
            return cls([str(options["folder"])], names)
        return cls(sorted({str(PurePath(p).parent) for p in options.get("paths") or ()}, key=len, reverse=True))

    def _relative(self, name: str) -> str:
        for prefix in self.prefixes:
            prefix = prefix.rstrip("/") + "/"
            if name.startswith(prefix):
                return name[len(prefix):]
        return _outside_media(name)

    def display(self, name: str) -> str:
        first, sep, rest = self._relative(name).partition("/")
        return self.names.get(first, first) + sep + rest

    def text(self, message: str, file: str = "") -> str:
        """An error message without the file's local path (the row already names the file)."""
        if file and message.startswith(file + ": "):
            message = message[len(file) + 2:]
        for prefix in self.prefixes:
            message = message.replace(prefix.rstrip("/") + "/", "")
        return _outside_media(message)


def upload_display_name(path: str) -> str:
    """An imported file's name as the admin shows it: for an uploaded file, the name the editor's file had."""
    root = str(Path(settings.MEDIA_ROOT) / "imports") + "/"
    if not path.startswith(root):
        return path
    batch_id, _, rest = path[len(root):].partition("/")
    stored, sep, inner = rest.partition("/")
    name = UploadedFile.objects.filter(batch_id=batch_id if batch_id.isdigit() else None, stored_name=stored
                                       ).values_list("name", flat=True).first()
    return (name or stored) + sep + inner


def _outside_media(text: str) -> str:
    root = str(settings.MEDIA_ROOT).rstrip("/") + "/"
    return text.replace(root, "")


# ---- the background preview


class _WithinUpload:
    """Files of one upload compared with each other as the importer will: same bytes, or near-duplicates."""

    def __init__(self):
        self.by_sha: dict[str, str] = {}
        self.near = NearDuplicates(settings.GAOKU_NEAR_DUPLICATE_DISTANCE)

    def check(self, outcome: FileOutcome, name: str) -> tuple[str, str]:
        draft = outcome.draft
        if draft is None:
            return outcome.status, ""
        first = self.by_sha.setdefault(draft.sha256, name)
        if first != name:
            return "unchanged", first  # the importer skips bytes it has already written
        if outcome.status not in ("new", "duplicate"):
            return outcome.status, ""
        status, other = outcome.status, ""
        if status == "new":
            other = self.near.find(draft.fingerprint) or ""
            status = "duplicate" if other else "new"
        # A repost is compared with later files too, as the importer compares them with every article it wrote.
        self.near.add(draft.fingerprint, name)
        return status, other


def _row(batch: ImportBatch, position: int, outcome: FileOutcome, names: UploadNames, within: _WithinUpload,
         source_override: str) -> PreviewRow:
    name = names.display(outcome.file)
    result, same_as = within.check(outcome, name)
    draft = outcome.draft
    texts = {"file_name": name, "same_as": same_as, "reason": names.text(outcome.error or "", outcome.file)}
    row = PreviewRow(batch=batch, position=position, result=result, duplicate_of_id=outcome.duplicate_of_id)
    if draft is not None:
        texts.update(title=draft.title, source=source_override or draft.source or "", regions="、".join(draft.regions),
                     tags="，".join(draft.tags), warnings="；".join(draft.warnings))
        row.published_at, row.date_only, row.sha256 = draft.published_at, draft.date_only, draft.sha256
    for field_name, text in texts.items():
        limit = PreviewRow._meta.get_field(field_name).max_length
        setattr(row, field_name, _UNSTORABLE.sub("", text)[:limit])
    return row


def upload_preview(*, batch: ImportBatch) -> UploadPreview:
    """Dry-run every file of the upload, recording a row per input and the progress as it goes."""
    preview, _ = UploadPreview.objects.get_or_create(batch=batch)
    paths = stored_files(batch)
    gathered = gather(paths, limits_from_settings())
    PreviewRow.objects.filter(batch=batch).delete()  # a preview run again starts afresh
    preview.state, preview.total, preview.processed = UploadPreview.State.RUNNING, len(gathered.refs), 0
    preview.skipped, preview.counts, preview.error = gathered.skipped, {}, ""
    preview.save()
    names, within, counts = UploadNames.for_batch(batch), _WithinUpload(), Counter()
    pending: list[PreviewRow] = []
    last = time.monotonic()
    source_override = batch.options.get("source") or ""

    def flush():
        nonlocal last
        PreviewRow.objects.bulk_create(pending)
        pending.clear()
        UploadPreview.objects.filter(pk=preview.pk).update(processed=preview.processed, counts=dict(counts),
                                                           updated_at=timezone.now())
        last = time.monotonic()

    def on_file(outcome: FileOutcome):
        preview.processed += 1
        row = _row(batch, preview.processed, outcome, names, within, source_override)
        counts[row.result] += 1
        pending.append(row)
        if len(pending) >= FLUSH_ROWS or time.monotonic() - last >= FLUSH_SECONDS:
            flush()

    try:
        ingest_paths(paths=paths, status=batch.options.get("status", "draft"), source_override=source_override or None,
                     user=batch.created_by, dry_run=True, on_file=on_file)
    except BaseException as exc:
        logger.exception("preview of upload batch %s failed", batch.pk)
        UploadPreview.objects.filter(pk=preview.pk).update(
            state=UploadPreview.State.FAILED, error=names.text(f"{type(exc).__name__}: {exc}")[:2000])
        raise
    flush()
    preview.state, preview.counts = UploadPreview.State.DONE, dict(counts)
    preview.save(update_fields=["state", "processed", "counts", "updated_at"])
    return preview


# ---- clean-up


def upload_files_delete(*, batch: ImportBatch) -> int:
    """Delete an upload's stored files and its preview; the batch, its ledger and the files' names stay."""
    files = list(batch.uploaded_files.exclude(file=""))
    for f in files:
        f.file.delete(save=False)  # also empties the field
    UploadedFile.objects.bulk_update(files, ["file"])
    PreviewRow.objects.filter(batch=batch).delete()
    UploadPreview.objects.filter(batch=batch).delete()
    folder = batch.options.get("folder")
    if folder:
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # FileSystemStorage leaves the emptied folder behind
    return len(files)


def upload_discard(*, batch: ImportBatch) -> None:
    """An upload nobody will import: its files, its preview and the pending batch itself."""
    upload_files_delete(batch=batch)
    batch.delete()


def uploads_cleanup(*, hours: float | None = None, now=None) -> tuple[int, int]:
    """Delete pending uploads older than `hours` (abandoned) and the files of finished batches.

    Returns (abandoned batches deleted, finished batches whose files were deleted).
    """
    hours = settings.GAOKU_UPLOAD_ABANDON_HOURS if hours is None else hours
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    pending = ImportBatch.objects.filter(origin="upload", state=ImportBatch.State.PENDING, created_at__lt=cutoff)
    abandoned = [b for b in pending if not b.options.get("confirmed")]  # confirmed ones wait for the worker
    for batch in abandoned:
        upload_discard(batch=batch)
    stored = UploadedFile.objects.exclude(file="").values("batch_id")
    finished = list(ImportBatch.objects.filter(state=ImportBatch.State.DONE, pk__in=stored))
    for batch in finished:
        upload_files_delete(batch=batch)
    return len(abandoned), len(finished)


def stored_files(batch: ImportBatch) -> list[Path]:
    """The local paths of an upload's files, in upload order."""
    return [Path(default_storage.path(f.file.name)) for f in batch.uploaded_files.exclude(file="")]
