"""Queued imports: one batch in chunks that task workers share (services/chunks.py).

The first test runs two real `db_worker` processes against the test database; the others drive the
same services in this process, on both databases: a chunk taken twice, a worker that died, a worker
whose chunk was taken over.
"""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count

from articles.models import Article, ImportBatch, ImportChunk, ImportRecord
from articles.services import imports
from articles.services import chunks as chunks_service
from articles.services.chunks import import_batch_enqueue, import_chunk_run, take
from articles.services.imports import ChunkLost, _Writer
from articles.tasks import import_chunk

CORPUS = Path(django_settings.BASE_DIR) / "tests" / "ingest" / "corpus"
PAGES = Path(django_settings.BASE_DIR) / "fixtures" / "pages"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# Committed data, for the worker processes (and the immediate task backend's own connection); the
# serialized rollback gives the next transactional test (the browser tests) the tables it expects.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def folder(tmp_path):
    """30 pages of other sites, the 5 demo pages, and the demo pages again, byte for byte, further on
    (so that they fall in other chunks than their originals)."""
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    for page in sorted(CORPUS.glob("*.txt"))[:30]:
        shutil.copy(page, root / "a" / page.name)
    shutil.copytree(PAGES, root / "b")
    shutil.copytree(PAGES, root / "z-copies")
    return root


def _check(batch: ImportBatch, files: int = 40) -> Counter:
    """The batch is done, and its ledger and articles are what one import of the folder gives."""
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE, batch.error
    records = Counter(dict(batch.records.values_list("status").annotate(n=Count("id")).values_list("status", "n")))
    assert sum(records.values()) == batch.total == batch.processed == files  # one ledger row per file
    assert not ImportRecord.objects.values("file_name").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert records["unchanged"] == 5  # the copies: each page written once, whichever chunk met it first
    assert records["new"] + records["duplicate"] == Article.objects.count()
    assert Article.objects.values("raw_sha256").distinct().count() == Article.objects.count()
    assert {k: v for k, v in batch.counts.items() if k != "skipped"} == dict(records)
    assert sum(c.processed for c in batch.chunks.all()) == files
    return records


def _start_worker(env) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"],
        cwd=django_settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = threading.Event()

    def read():
        for line in worker.stdout:
            if "Starting worker" in line:
                started.set()

    threading.Thread(target=read, daemon=True).start()
    assert started.wait(60), "db_worker did not start"
    return worker


@pytest.mark.slow
@COMMITTED
def test_two_db_workers_finish_one_batch_together(folder, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database lives in this process's memory, where no worker process can reach "
                    "it; the in-process tests below cover chunks, claims and takeovers on SQLite")
    settings.TASKS = DB_TASKS
    workers = [_start_worker(_worker_env()), _start_worker(_worker_env())]
    try:
        batch = import_batch_enqueue(paths=[folder], chunk_files=4)
        # Every chunk's task twice: the second finds its chunk taken or done and changes nothing.
        for pk in batch.chunks.values_list("pk", flat=True):
            import_chunk.enqueue(pk)
        _wait_until(lambda: ImportBatch.objects.get(pk=batch.pk).state != ImportBatch.State.RUNNING
                    or any(w.poll() is not None for w in workers))
        assert all(w.poll() is None for w in workers), "a worker died"
        _check(batch)
        takers = set(batch.chunks.values_list("pid", flat=True))
        assert takers == {w.pid for w in workers}  # both took part
        assert set(batch.chunks.values_list("claim", flat=True)) == {1}  # no chunk was taken twice
    finally:
        _stop(workers)


def _worker_env() -> dict:
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "False",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}


def _stop(workers) -> None:
    for w in workers:
        if w.poll() is None:
            w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(30)
        except subprocess.TimeoutExpired:
            w.kill()


def _wait_until(condition, seconds=300, what="the batch"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: timed out"
        time.sleep(0.2)


@pytest.mark.slow
@COMMITTED
def test_a_killed_db_workers_chunk_is_taken_again_by_another(folder, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database lives in this process's memory, where no worker process can reach it")
    settings.TASKS = DB_TASKS
    first = _start_worker(_worker_env())
    try:
        batch = import_batch_enqueue(paths=[folder], chunk_files=10)
        _wait_until(lambda: batch.chunks.filter(state=ImportChunk.State.RUNNING).exists(), what="the first chunk")
        first.kill()  # kill -9: no chance to give the chunk back
        first.wait()
        assert batch.chunks.filter(state=ImportChunk.State.DONE).count() < 4
        second = _start_worker(_worker_env())
        try:
            _wait_until(lambda: ImportBatch.objects.get(pk=batch.pk).state != ImportBatch.State.RUNNING)
        finally:
            _stop([second])
        _check(batch)
        taken_again = batch.chunks.get(claim=2)  # the killed worker's chunk, finished by the second
        assert taken_again.pid == second.pid
    finally:
        _stop([first])


@COMMITTED
def test_a_queued_batch_counts_what_one_import_would(folder):
    """With the immediate task backend each chunk runs as it is queued, in this process."""
    batch = import_batch_enqueue(paths=[folder], chunk_files=7)
    assert batch.chunks.count() == 6
    _check(batch)
    assert import_chunk_run(chunk_id=batch.chunks.first().pk) == {}  # a task for a chunk that is done


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@COMMITTED
def test_a_dead_workers_chunk_is_taken_over_and_only_its_missing_files_are_imported(folder, settings, monkeypatch):
    settings.TASKS = DB_TASKS  # queued, not run: this test plays the workers
    batch = import_batch_enqueue(paths=[folder], chunk_files=20)
    first, second = batch.chunks.order_by("number")
    # A worker takes the first chunk, writes 8 of its files, and is killed (kill -9: it records nothing more).
    real_report = imports._report

    def killed_after_first_write(*args):
        real_report(*args)
        raise SystemExit("killed")

    monkeypatch.setattr(chunks_service, "WRITE_FILES", 8)
    monkeypatch.setattr(imports, "_report", killed_after_first_write)
    with pytest.raises(SystemExit):
        import_chunk_run(chunk_id=first.pk)
    monkeypatch.setattr(imports, "_report", real_report)
    ImportChunk.objects.filter(pk=first.pk).update(state=ImportChunk.State.RUNNING, pid=_dead_pid())
    assert first.records.count() == 8

    # Another worker runs the second chunk, then takes over the first, whose process is gone.
    ran = import_chunk_run(chunk_id=second.pk)
    assert set(ran) == {"0", "1"}
    first.refresh_from_db()
    assert (first.state, first.claim) == (ImportChunk.State.DONE, 2)
    _check(batch)


@COMMITTED
def test_a_worker_whose_chunk_was_taken_over_writes_nothing_more(folder, settings):
    settings.TASKS = DB_TASKS
    batch = import_batch_enqueue(paths=[folder], chunk_files=40)
    mine = take(batch.chunks.get().pk)
    assert take(mine.pk) is None  # alive (this process): nobody else takes it
    ImportChunk.objects.filter(pk=mine.pk).update(pid=_dead_pid())  # it looks dead to the others
    theirs = take(mine.pk)
    assert theirs.claim == mine.claim + 1
    late = _Writer(status="draft", source_override=None, user=None, batch=batch, chunk=mine, dry_run=False)
    with pytest.raises(ChunkLost):
        late.write([], [])
    assert not ImportRecord.objects.exists()
    assert chunks_service._run(theirs, workers=1) is not None
    _check(batch)


@COMMITTED
def test_the_command_queues_a_batch_and_waits_for_it(folder):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("import_texts", "--queue", "--wait", "--chunk-files", "16", str(folder), stdout=out)
    assert "40 files in 3 chunk(s) queued" in out.getvalue()
    assert "Imported 40 files" in out.getvalue() and "unchanged 5" in out.getvalue()
    _check(ImportBatch.objects.get())
