"""python manage.py import_texts PATH [PATH ...]: raw page dumps in, articles out."""
import json
import logging
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from articles.ingest import draft_to_record
from articles.models import ImportBatch, ImportChunk, Status
from articles.services.batches import (
    BatchNotResumable,
    batch_paths,
    import_batch_check_resumable,
    import_batch_resume,
    import_batches_mark_interrupted,
)
from articles.services.chunks import CHUNK_FILES, batch_summary, import_batch_enqueue, import_batch_requeue
from articles.services.imports import (
    ImportSummary,
    database_ready,
    ingest_paths,
    interruption,
    preview_paths_offline,
)


class Command(BaseCommand):
    help = "Import raw Chinese page texts (files, folders, .zip archives) as articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--dry-run", action="store_true", help="parse and report; write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object per file (JSON Lines)")
        parser.add_argument("--status", default=Status.DRAFT,
                            choices=[Status.DRAFT, Status.REVIEW, Status.PUBLISHED], help="status of new articles")
        parser.add_argument("--source", default=None, help="force this source for every article")
        parser.add_argument("--user", default=None, help="import as this user (their permissions apply)")
        parser.add_argument("--workers", type=int, default=None, help="parser processes (default: all cores)")
        parser.add_argument("--resume", type=int, default=None, metavar="BATCH_ID",
                            help="finish an interrupted batch: the files it recorded are counted, the rest imported")
        parser.add_argument("--queue", action="store_true",
                            help="split the import into chunks for the task workers (`manage.py db_worker`, any "
                                 "number, on any machine sharing the database and the files) instead of importing here")
        parser.add_argument("--chunk-files", type=int, default=CHUNK_FILES, metavar="N",
                            help=f"with --queue: files per chunk (default {CHUNK_FILES})")
        parser.add_argument("--wait", action="store_true", help="with --queue: follow the batch until it is done")
        parser.add_argument("--log", default=None, metavar="FILE",
                            help="where tracebacks of unexpected errors go (default: a file in the temp folder)")

    def handle(self, *args, paths, dry_run, json: bool, status, source, user, workers, resume, log, queue, chunk_files,
               wait, **options):
        if bool(paths) == bool(resume) or (resume and dry_run):
            raise CommandError("give the files or folders to import, or --resume BATCH_ID (not both; no --dry-run)")
        if queue and (dry_run or json or resume or workers) or chunk_files < 1:
            raise CommandError("--queue goes with paths, --status, --source, --user, --chunk-files N (N >= 1) "
                               "and --wait")
        ready = database_ready()
        if not ready and (not dry_run or resume):
            raise CommandError("the database has no tables yet: run `python manage.py migrate` (or `make run`) first")
        if not ready:
            self.stderr.write("the database has no tables yet (run `python manage.py migrate`): this dry run uses the "
                              "packaged region table, no tag vocabulary, and finds duplicates among these files only")
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no such user: {user}") from None
        if ready:
            for pk in import_batches_mark_interrupted():
                self.stderr.write(f"batch #{pk} was interrupted (its process is gone): "
                                  f"finish it with `import_texts --resume {pk}`")
        err = self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
        progress = None

        def on_file(outcome):
            if json:
                record = draft_to_record(outcome.draft, file=outcome.file, status=outcome.status, error=outcome.error)
                self.stdout.write(_dumps(record))
            elif outcome.status == "error":
                self.stderr.write(f"error  {outcome.error}")
            if progress is not None:
                progress.update()

        def on_start(summary: ImportSummary):
            """The inputs are counted once, by the import itself; resumed files start the bar."""
            nonlocal progress
            progress = tqdm(total=summary.total, initial=summary.resumed, unit="file", file=err,
                            disable=not err.isatty() or not summary.total, dynamic_ncols=True)

        if queue or (resume and ImportChunk.objects.filter(batch_id=resume).exists()):
            return self._queue(paths=paths, status=status, source=source, actor=actor, resume=resume,
                               chunk_files=chunk_files, wait=wait)
        batch = None
        with _log_to_file(log) as log_file:
            try:
                if resume:
                    batch = ImportBatch.objects.filter(pk=resume).first()
                    if batch is None:
                        raise CommandError(f"no import batch #{resume}")
                    import_batch_check_resumable(batch)
                    paths = batch_paths(batch)
                if resume:
                    summary = import_batch_resume(batch=batch, user=actor, workers=workers, on_file=on_file,
                                                  on_start=on_start)
                elif ready:
                    summary = ingest_paths(paths=paths, status=status, source_override=source, user=actor,
                                           dry_run=dry_run, workers=workers, on_file=on_file, on_start=on_start)
                else:
                    summary = preview_paths_offline(paths=paths, on_file=on_file, on_start=on_start)
            except (PermissionDenied, BatchNotResumable) as exc:
                raise CommandError(str(exc)) from None
            except KeyboardInterrupt as exc:
                stopped = ImportBatch.objects.filter(state=ImportBatch.State.INTERRUPTED, pid=os.getpid()
                                                     ).order_by("-pk").first()
                hint = f": batch #{stopped.pk} is marked interrupted; finish it with `import_texts --resume " \
                       f"{stopped.pk}`" if stopped and not dry_run else ""
                raise CommandError(f"interrupted ({interruption(exc)}){hint}", returncode=130) from None
            except DatabaseError as exc:
                logging.getLogger(__name__).exception("import failed")
                raise CommandError(f"the import stopped: the database failed ({type(exc).__name__}: {exc}); "
                                   f"traceback in {log_file}") from None
            finally:
                if progress is not None:
                    progress.close()
        verb = "Parsed" if dry_run else "Imported"
        message = f"{verb} {summary.describe()}"
        for note in summary.notes:
            self.stderr.write(f"note   {note}")
        if json:
            self.stderr.write(message)
        else:
            self.stdout.write(self.style.SUCCESS(message) if not summary.failed else self.style.WARNING(message))
        if log_file.exists() and log_file.stat().st_size:
            self.stderr.write(f"tracebacks of unexpected errors: {log_file}")
        if summary.failed:
            raise CommandError(f"{summary.failed} file(s) failed", returncode=1)


    def _queue(self, *, paths, status, source, actor, resume, chunk_files, wait):
        """Hand the import to the task workers (or a resumed queued batch back to them)."""
        try:
            if resume:
                batch = ImportBatch.objects.get(pk=resume)
                import_batch_check_resumable(batch)
                queued = import_batch_requeue(batch=batch)
            else:
                batch = import_batch_enqueue(paths=paths, status=status, source_override=source, user=actor,
                                             chunk_files=chunk_files)
                queued = batch.chunks.count()
        except (PermissionDenied, BatchNotResumable) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"batch #{batch.pk}: {batch.total} files in {queued} chunk(s) queued for the task workers "
                          "(`manage.py db_worker`); follow it in the admin or with `import_texts --resume` "
                          "if it stops")
        if not wait:
            return
        started = time.monotonic()
        while True:
            batch.refresh_from_db()
            if batch.state != ImportBatch.State.RUNNING:
                break
            time.sleep(1)
        summary = batch_summary(batch)
        summary.seconds = time.monotonic() - started
        message = f"Imported {summary.describe()}"
        self.stdout.write(self.style.SUCCESS(message) if not summary.failed else self.style.WARNING(message))
        if batch.state != ImportBatch.State.DONE:
            raise CommandError(f"batch #{batch.pk} is {batch.get_state_display()}: {batch.error}")
        if summary.failed:
            raise CommandError(f"{summary.failed} file(s) failed", returncode=1)


@contextmanager
def _log_to_file(path: str | None):
    """While importing, the project's log records (tracebacks included) go to a file, not the console."""
    target = Path(path) if path else Path(tempfile.gettempdir()) / f"gaoku-import-{time.strftime('%Y%m%d-%H%M%S')}.log"
    handler = logging.FileHandler(target, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"))
    logger = logging.getLogger("articles")
    saved = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        yield target
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved
        handler.close()


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)
