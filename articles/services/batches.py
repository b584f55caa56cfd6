"""Import batches that outlive their process: found when interrupted, and resumed where they stopped."""
from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from articles.models import ImportBatch, Status

from .imports import FileOutcome, ImportSummary, ingest_paths

# A running batch beats its heart after every chunk (seconds apart); this long without one, it is gone.
STALE_AFTER = timedelta(minutes=10)

RESUMABLE = (ImportBatch.State.INTERRUPTED, ImportBatch.State.FAILED)


class BatchNotResumable(Exception):
    pass


def process_gone(batch, now) -> bool:
    """Whether the process that runs a batch (or a chunk) is gone: not alive on this host, or silent."""
    if batch.host == socket.gethostname() and batch.pid:
        try:
            os.kill(batch.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, and someone else's
            pass
    return batch.heartbeat_at is None or now - batch.heartbeat_at > STALE_AFTER


def import_batches_mark_interrupted() -> list[int]:
    """Running batches whose process is gone (kill -9, a crash, a reboot) become interrupted; their ids."""
    now = timezone.now()
    found = []
    for batch in ImportBatch.objects.filter(state=ImportBatch.State.RUNNING).only(
            "id", "host", "pid", "heartbeat_at", "processed", "total"):
        if process_gone(batch, now):
            where = f"{batch.host}:{batch.pid}" if batch.pid else "未知进程"
            error = (f"导入进程（{where}）已不在：中断于 {batch.processed}/{batch.total} 个文件，可以继续导入")
            if ImportBatch.objects.filter(Q(pk=batch.pk), Q(state=ImportBatch.State.RUNNING),
                                          Q(heartbeat_at=batch.heartbeat_at) | Q(heartbeat_at__isnull=True)
                                          ).update(state=ImportBatch.State.INTERRUPTED, error=error):
                found.append(batch.pk)
    return found


def batch_paths(batch: ImportBatch) -> list[Path]:
    options = batch.options or {}
    paths = options.get("paths") or ([options["folder"]] if options.get("folder") else [])
    return [Path(p) for p in paths]


def import_batch_check_resumable(batch: ImportBatch) -> None:
    """Raise BatchNotResumable (its message says why, in Chinese) unless the batch can be resumed."""
    import_batches_mark_interrupted()
    batch.refresh_from_db()
    if batch.state not in RESUMABLE:
        raise BatchNotResumable(f"导入 #{batch.pk} 的状态是“{batch.get_state_display()}”，只有中断或失败的批次可以继续")
    missing = [str(p) for p in batch_paths(batch) if not p.exists()]
    if not batch_paths(batch) or missing:
        raise BatchNotResumable(f"导入 #{batch.pk} 的文件已不在：{', '.join(missing) or '没有记录路径'}")


def import_batch_resume(*, batch: ImportBatch, user=None, workers: int | None = None,
                        on_file: Callable[[FileOutcome], None] | None = None,
                        on_start: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Run an interrupted (or failed) batch again: recorded files are counted, the rest imported."""
    import_batch_check_resumable(batch)
    return import_batch_run(batch=batch, user=user, workers=workers, on_file=on_file, on_start=on_start)


def import_batch_run(*, batch: ImportBatch, user=None, workers: int | None = None,
                     on_file: Callable[[FileOutcome], None] | None = None,
                     on_start: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Import the batch's files with the options it was created with."""
    options = batch.options or {}
    return ingest_paths(paths=batch_paths(batch), status=options.get("status") or Status.DRAFT,
                        source_override=options.get("source") or None, user=user or batch.created_by,
                        batch=batch, origin=batch.origin, workers=workers, on_file=on_file,
                        on_start=on_start)


def import_batch_enqueue_resume(*, batch: ImportBatch) -> None:
    """Resume a batch in the background (the admin's action): the task worker runs it."""
    from articles.tasks import import_batch

    from .chunks import import_batch_requeue

    import_batch_check_resumable(batch)
    if batch.chunks.exists():  # a queued batch: its unfinished chunks go back to the workers
        import_batch_requeue(batch=batch)
    else:
        import_batch.enqueue(batch.pk)
