"""python manage.py import_texts PATH [PATH ...]: raw page dumps in, articles out."""
import json
import sys
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import BaseCommand, CommandError

from articles.ingest import draft_to_record
from articles.models import Status
from articles.services.imports import database_ready, ingest_paths, preview_paths_offline


class Progress:
    """A one-line progress bar on a terminal (files/s, ETA); silent otherwise."""

    def __init__(self, stream, total: int):
        self.stream, self.total, self.done = stream, total, 0
        self.enabled = stream.isatty() and total > 0
        self.started = self.last = time.monotonic()

    def step(self):
        self.done += 1
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and self.done < self.total):
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-6)
        eta = (self.total - self.done) / rate if rate else 0
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                          f"{rate:.0f} files/s ETA {eta:.0f}s ")
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import raw Chinese page texts (files, folders, .zip archives) as articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="parse and report; write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object per file (JSON Lines)")
        parser.add_argument("--status", default=Status.DRAFT,
                            choices=[Status.DRAFT, Status.REVIEW, Status.PUBLISHED], help="status of new articles")
        parser.add_argument("--source", default=None, help="force this source for every article")
        parser.add_argument("--user", default=None, help="import as this user (their permissions apply)")
        parser.add_argument("--workers", type=int, default=None, help="parser processes (default: all cores)")

    def handle(self, *args, paths, dry_run, json: bool, status, source, user, workers, **options):
        ready = database_ready()
        if not ready and not dry_run:
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
        err = self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
        progress = None

        def on_file(outcome):
            nonlocal progress
            if json:
                record = draft_to_record(outcome.draft, file=outcome.file, status=outcome.status, error=outcome.error)
                self.stdout.write(_dumps(record))
            elif outcome.status == "error":
                self.stderr.write(f"error  {outcome.error}")
            if progress:
                progress.step()

        try:
            from articles.services.inputs import gather
            from articles.services.imports import limits_from_settings

            progress = Progress(err, len(gather(paths, limits_from_settings()).refs))
            if ready:
                summary = ingest_paths(paths=paths, status=status, source_override=source, user=actor,
                                       dry_run=dry_run, workers=workers, on_file=on_file)
            else:
                summary = preview_paths_offline(paths=paths, on_file=on_file)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        finally:
            if progress:
                progress.close()
        verb = "Parsed" if dry_run else "Imported"
        message = f"{verb} {summary.describe()}"
        if json:
            self.stderr.write(message)
        else:
            self.stdout.write(self.style.SUCCESS(message) if not summary.failed else self.style.WARNING(message))
        if summary.failed:
            raise CommandError(f"{summary.failed} file(s) failed", returncode=1)


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)
