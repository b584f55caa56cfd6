"""An import never loses a batch: one bad page, a dead worker or a signal costs at most its own file."""
import io
import logging
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from articles.ingest import Gazetteer, Vocabulary, parse
from articles.models import Article, ImportBatch, ImportRecord, SearchDocument, Source
from articles.search import get_backend, parse_query
from articles.services.batches import STALE_AFTER, import_batches_mark_interrupted
from articles.services.imports import FileOutcome, _Writer, ingest_paths
from articles.services.parsers import Parsers

from .test_command import records, run

pytestmark = pytest.mark.django_db

INPUTS = Path(__file__).parent / "inputs"
PAGE = "001_72962b98874534b5.txt"  # 学习时报, with a 时间 line to put a view count next to


def _with_views(text: str, views: str) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "2023-08-02" in line)
    lines[at] += f"  浏览：{views}"
    return "\n".join(lines)


def _corrupt_zip(path: Path, good: bytes, bad: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok.txt", good)
        zf.writestr("bad.txt", bad)
    data = bytearray(buffer.getvalue())
    start = data.find(b"bad.txt") + len("bad.txt")
    for i in range(start + 40, start + 80):  # inside bad.txt's deflate stream
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def hostile(pages, tmp_path):
    """The demo pages, plus every input the issue found crashing or losing a batch."""
    text = (pages / PAGE).read_text(encoding="utf-8")
    shutil.copy(INPUTS / "cx163-37.txt", pages)
    for name, views in [("views-overflow", "99999999999999999999999"), ("views-3e9", "3000000000")]:
        marked = text.replace("学习时报", f"学习时报{name[-3:]}")  # other bytes, and not a near duplicate's title
        (pages / f"{name}.txt").write_text(_with_views(marked, views) + f"\n{name}", encoding="utf-8")
    # A UTF-16 page with a NUL, from a source the database does not know yet.
    utf16 = text.replace("学习时报", "东区时报").replace("。", "。\x00", 1).replace("推动", "促进")
    (pages / "utf16-nul.txt").write_bytes(utf16.encode("utf-16"))
    _corrupt_zip(tmp_path / "pages" / "corrupt.zip", (pages / "002_3d63953e7ebce92d.txt").read_bytes() + b"\nzip",
                 (pages / "004_834f884de4a1454c.txt").read_bytes())
    return pages


def test_hostile_inputs_fail_alone_and_the_rest_imports(hostile):
    code, out, err = run(hostile, "--json")
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in records(out)}
    assert code == 1 and "1 file(s) failed" in err and "Traceback" not in err + out
    assert rows["bad.txt"]["status"] == "error" and "zlib.error" in rows["bad.txt"]["error"]
    assert rows["bad.txt"]["file"].endswith("corrupt.zip/bad.txt")
    assert {r["status"] for name, r in rows.items() if name != "bad.txt"} <= {"new", "duplicate"}
    assert Article.objects.count() == len(rows) - 1

    crashed = Article.objects.get(file_name__endswith="cx163-37.txt")  # IndexError in parse() before
    assert crashed.source.name == "网易财经"
    assert Article.objects.get(file_name__endswith="views-3e9.txt").views == 3_000_000_000
    overflow = Article.objects.get(file_name__endswith="views-overflow.txt")
    assert overflow.views is None and any("not a real count" in w for w in overflow.warnings)
    nul = Article.objects.get(file_name__endswith="utf16-nul.txt")
    assert nul.encoding.startswith("utf-16") and "\x00" not in nul.body + nul.raw_text
    assert any("cannot store" in w for w in nul.warnings) and nul.source.name == "东区时报"
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.DONE and batch.counts["error"] == 1
    assert ImportRecord.objects.filter(batch=batch).count() == len(rows)


def test_dry_run_names_the_bad_file_too(hostile):
    code, out, err = run(hostile, "--dry-run", "--json")
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in records(out)}
    assert code == 1 and "Traceback" not in err
    assert [n for n, r in rows.items() if r["status"] == "error"] == ["bad.txt"]
    assert Article.objects.count() == 0


def test_reimport_after_hostile_inputs_is_unchanged(hostile):
    run(hostile)
    code, out, _ = run(hostile, "--json")
    rows = records(out)
    assert code == 1 and {r["status"] for r in rows if "bad.txt" not in r["file"]} == {"unchanged"}


def _draft(pages, name, **changes):
    data = (pages / name).read_bytes()
    return replace(parse(data, str(pages / name), gazetteer=Gazetteer.default(), vocabulary=Vocabulary(),
                         with_index_tokens=True), **changes)


def test_a_refused_page_does_not_take_its_new_source_or_neighbours_with_it(pages, caplog):
    """The one-by-one retry after a refused chunk must not reuse a source the rollback undid."""
    writer = _Writer(status="draft", source_override=None, user=None, batch=None, dry_run=False)
    fresh = _draft(pages, PAGE)  # 学习时报: a source the database does not know yet
    unstorable = _draft(pages, "002_3d63953e7ebce92d.txt", body="党建\ud800研究")  # no encoder takes a lone surrogate
    with caplog.at_level(logging.INFO, logger="articles"):
        results = writer.write([fresh, unstorable], [])
    assert [r.status for r in results] == ["new", "error"]
    assert "UnicodeEncodeError" in results[1].error and "002_3d63953e7ebce92d.txt" in results[1].error
    assert any(r.exc_info for r in caplog.records)  # the traceback is in the log, not swallowed
    article = Article.objects.get(pk=results[0].article_id)
    assert article.source.name == "学习时报" and Source.objects.filter(name="学习时报").count() == 1
    assert "学习" in SearchDocument.objects.get(article=article).meta


def _find(text: str) -> list[int]:
    return get_backend().search(parse_query(text), limit=100).ids


def test_imported_pages_are_found_by_source_name_and_tag(pages, tmp_path):
    """Through the importer, twice: the second run finds 学习时报 in the resolver's index (its cache)."""
    first = tmp_path / "first"
    first.mkdir()
    (pages / PAGE).rename(first / PAGE)
    text = (pages / "002_3d63953e7ebce92d.txt").read_text(encoding="utf-8")
    (pages / "002_3d63953e7ebce92d.txt").write_text(text.replace("党建研究", "學習時報"), encoding="utf-8")
    assert run(first, "--status", "published")[0] == 0
    assert run(pages, "--status", "published")[0] == 0
    by_source = Article.objects.filter(source__name="学习时报")
    assert by_source.count() == 2 and Source.objects.filter(name="学习时报").count() == 1
    assert set(_find("学习时报")) == set(by_source.values_list("pk", flat=True))
    for article in Article.objects.all():
        document = SearchDocument.objects.get(article=article)
        if article.source_id:
            assert document.meta.startswith(" ".join(_tokens(article.source.name)))
        tag = article.tags.first()
        assert tag is not None and article.pk in _find(tag.name)
        for region in article.regions.all():
            assert region.name in document.meta.replace(" ", "")


def _tokens(text):
    from articles.ingest.segment import segment

    return segment(text)


def test_an_interrupted_batch_is_marked_and_resumes_with_the_right_count(pages, tmp_path):
    for i in range(6):  # more pages, so the interruption falls in the middle
        text = (pages / PAGE).read_text(encoding="utf-8")
        (pages / f"extra-{i}.txt").write_text(text + f"\n附{i}", encoding="utf-8")
    seen = []

    def stop_after_two(outcome: FileOutcome):
        seen.append(outcome)
        if len(seen) == 4:
            raise KeyboardInterrupt("SIGINT")

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(paths=[pages], chunk_size=2, workers=1, on_file=stop_after_two)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.INTERRUPTED and "中断" in batch.error
    assert batch.records.count() == 4 == batch.processed
    code, out, err = run("--resume", batch.pk)
    batch.refresh_from_db()
    assert code == 0 and "4 done by the interrupted run" in out
    assert batch.state == ImportBatch.State.DONE and sum(batch.counts.values()) == 11
    assert batch.counts["new"] + batch.counts["duplicate"] == 11 == Article.objects.count()
    assert batch.records.count() == 11
    code, _, err = run("--resume", batch.pk)
    assert code == 1 and "只有中断或失败的批次可以继续" in err


def test_a_running_batch_whose_process_is_gone_is_interrupted(pages):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = ImportBatch.objects.create(state=ImportBatch.State.RUNNING, host=os.uname().nodename, pid=dead.pid,
                                      options={"paths": [str(pages)], "status": "draft"}, total=5)
    alive = ImportBatch.objects.create(state=ImportBatch.State.RUNNING, host=os.uname().nodename, pid=os.getpid(),
                                       total=5)
    ImportBatch.objects.filter(pk__in=[gone.pk, alive.pk]).update(heartbeat_at=gone.created_at)
    assert import_batches_mark_interrupted() == [gone.pk]
    gone.refresh_from_db()
    assert gone.state == ImportBatch.State.INTERRUPTED and str(dead.pid) in gone.error
    code, out, _ = run("--resume", gone.pk)
    assert code == 0 and "new 5" in out


def test_a_killed_parser_worker_costs_no_file(pages):
    jobs = [(p.name, p.read_bytes()) for p in sorted(pages.iterdir())]
    parsers = Parsers(2, _rows(), Vocabulary())
    try:
        assert all(r[1] is not None for r in parsers.results(parsers.submit(jobs[:1])))
        for process in list(parsers.pool._processes.values()):
            os.kill(process.pid, 9)
        results = parsers.results(parsers.submit(jobs))
    finally:
        parsers.close()
    assert [r[0] for r in results] == [name for name, _ in jobs]
    assert all(draft is not None for _, draft, _, _ in results) and parsers.deaths >= 1


def _rows():
    from articles.ingest.divisions import read_divisions

    return read_divisions()


WATCHED = """
import os, sys, time
sys.path.insert(0, {root!r})
from articles.ingest import Vocabulary
from articles.ingest.divisions import read_divisions
from articles.services.parsers import Parsers
parsers = Parsers(2, read_divisions(), Vocabulary())
parsers.results(parsers.submit([("a.txt", "标题\\n正文。".encode())] * 4))
print(" ".join(str(p.pid) for p in parsers.pool._processes.values()), flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kill -9 and /proc: Linux")
def test_parser_workers_die_with_their_parent(tmp_path):
    from django.conf import settings

    parent = subprocess.Popen([sys.executable, "-c", WATCHED.format(root=str(settings.BASE_DIR))],
                              stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert len(workers) == 2
    parent.kill()
    parent.wait()
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.05)
    for pid in workers:  # a zombie no one reaps is gone too: it holds no memory and runs nothing
        status = Path(f"/proc/{pid}/stat")
        assert not status.exists() or status.read_text().split(") ")[1].startswith("Z")


def test_reprocess_names_a_failing_article_and_goes_on(pages, monkeypatch):
    from django.core.management import CommandError, call_command

    from articles.ingest import pipeline

    run(pages)
    broken = Article.objects.order_by("pk").first()
    real_parse = pipeline.parse

    def parse_with_a_bug(data, filename, **kwargs):
        if filename == broken.file_name:
            raise ZeroDivisionError("a bug met this page")
        return real_parse(data, filename, **kwargs)

    monkeypatch.setattr(pipeline, "parse", parse_with_a_bug)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("reprocess", stdout=out, stderr=err)
    assert exc.value.returncode == 1
    assert f"article {broken.pk}: ZeroDivisionError" in err.getvalue()
    assert "Reprocessed 5 articles" in out.getvalue() and "1 failed" in out.getvalue()


def test_the_admin_resumes_an_interrupted_batch(client, reviewer, pages):
    """The changelist finds the batch whose process is gone; the action finishes it (tasks run at once in tests)."""
    from django.urls import reverse

    def stop_after_two(outcome):
        if ImportBatch.objects.get().records.count() >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(paths=[pages], chunk_size=2, workers=1, user=reviewer, on_file=stop_after_two)
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING, pid=None,
                                                   heartbeat_at=batch.created_at - STALE_AFTER)  # as after kill -9
    client.force_login(reviewer)
    changelist = reverse("admin:articles_importbatch_changelist")
    page = client.get(changelist)
    assert "继续导入所选的中断批次" in page.content.decode() and "已中断" in page.content.decode()
    response = client.post(changelist, {"action": "resume_selected", "_selected_action": [batch.pk]}, follow=True)
    batch.refresh_from_db()
    assert f"导入 #{batch.pk} 已在后台继续" in response.content.decode()
    assert batch.state == ImportBatch.State.DONE and batch.counts["new"] == 5 == Article.objects.count()
    response = client.post(changelist, {"action": "resume_selected", "_selected_action": [batch.pk]}, follow=True)
    assert "只有中断或失败的批次可以继续" in response.content.decode()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_that_takes_too_long_is_refused_alone(pages, settings, workers):
    # A page of 100,000 nested <div>s: read in linear time now, still seconds.
    settings.GAOKU_PARSE_SECONDS = 0.2
    (pages / "deep.html").write_text("<html><body>" + "<div>" * 100000 + "正文。" + "</div>" * 100000
                                     + "</body></html>")
    code, out, err = run(pages, "--json", "--workers", workers)
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in records(out)}
    assert "took longer than 0.2 s to read" in rows["deep.html"]["error"], (rows["deep.html"], err)
    assert code == 1 and "Traceback" not in err
    assert Article.objects.count() == 5


def test_two_entries_of_one_name_in_a_zip_are_both_read(pages, tmp_path):
    first = (pages / PAGE).read_bytes()
    second = (pages / "004_834f884de4a1454c.txt").read_bytes()
    archive = tmp_path / "same-names.zip"
    with zipfile.ZipFile(archive, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("a.txt", first)
        zf.writestr("a.txt", second)
    code, out, _ = run(archive, "--json")
    assert code == 0 and [r["status"] for r in records(out)] == ["new", "new"]
    assert Article.objects.count() == 2
