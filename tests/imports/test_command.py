import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportBatch, ImportRecord, Source, Status
from articles.ingest.script import to_traditional

pytestmark = pytest.mark.django_db

KEYS = {"file", "status", "error", "title", "published_at", "source", "authors", "editors", "views", "url",
        "regions", "tags", "language", "body", "warnings"}


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_texts", *map(str, args), stdout=out, stderr=err, **kwargs)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def records(out):
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_dry_run_json_has_exactly_the_keys_and_writes_nothing(pages):
    code, out, _ = run(pages, "--dry-run", "--json")
    rows = records(out)
    assert code == 0 and len(rows) == 5
    assert all(set(r) == KEYS for r in rows)
    assert {r["status"] for r in rows} == {"new"}
    assert Article.objects.count() == 0 and ImportBatch.objects.count() == 0
    by_name = {r["file"].rsplit("/", 1)[-1]: r for r in rows}
    assert by_name["001_72962b98874534b5.txt"]["source"] == "学习时报"
    assert by_name["001_72962b98874534b5.txt"]["published_at"] == "2023-08-02T11:19:26+08:00"
    assert by_name["000_ffd79dd5329f57fd.txt"]["published_at"] == "2023-12-25"


def test_import_writes_articles_with_source_regions_tags_and_ledger(pages):
    code, out, _ = run(pages)
    assert code == 0 and "new 5" in out
    article = Article.objects.get(title="推动基层党建全域提升全面提质")
    assert article.source.name == "学习时报"
    assert [r.path for r in article.regions.all()] == ["浙江省/杭州市"]
    assert article.tags.count() > 0 and article.status == Status.DRAFT
    assert article.raw_text and article.raw_sha256 and article.extraction["rules"]["title"]
    assert ImportRecord.objects.filter(status="new").count() == 5
    assert article.status_changes.get().to_status == Status.DRAFT


def test_reimport_is_unchanged_and_writes_nothing_new(pages):
    run(pages)
    before = list(Article.objects.values_list("id", "updated_at"))
    code, out, _ = run(pages, "--json")
    assert code == 0 and {r["status"] for r in records(out)} == {"unchanged"}
    assert list(Article.objects.values_list("id", "updated_at")) == before


def test_one_outlet_in_both_scripts_is_one_source(pages, tmp_path):
    run(pages)
    trad = tmp_path / "trad.txt"
    text = (pages / "001_72962b98874534b5.txt").read_text(encoding="utf-8")
    trad.write_text(text.replace("学习时报", "學習時報").replace("推动基层党建", "推動基層黨建"), encoding="utf-8")
    run(trad)
    assert Source.objects.filter(name="学习时报").count() == 1
    assert not Source.objects.filter(name="學習時報").exists()


def test_traditional_repost_with_other_boilerplate_is_a_duplicate(pages, tmp_path):
    run(pages, "--status", "published")
    original = Article.objects.get(title="推动基层党建全域提升全面提质")
    repost = tmp_path / "repost.txt"
    repost.write_text("\n".join([
        "首頁 | 新聞 | 評論 | 專題", "當前位置：首頁 > 理論 > 正文", to_traditional(original.title),
        "2023-08-03 09:00 來源：學習時報", to_traditional(original.body), "(責編:王五)", "相關閱讀",
        "版權所有 某某新聞網",
    ]), encoding="utf-8")
    code, out, _ = run(repost, "--json", "--status", "published")
    row = records(out)[0]
    assert row["status"] == "duplicate" and row["language"] == "zh-Hant"
    dup = Article.objects.get(raw_sha256__isnull=False, duplicate_of=original)
    assert dup.status == Status.DRAFT  # never published twice
    assert not Article.objects.published().filter(pk=dup.pk).exists()


def test_bad_files_are_reported_and_the_rest_imports(pages, tmp_path):
    (pages / "empty.txt").write_bytes(b"")
    (pages / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (pages / "huge.txt").write_bytes("党建".encode() * (3 * 1024 * 1024))
    (pages / "notes.docx").write_bytes(b"PK")
    (pages / "link.txt").symlink_to(pages / "001_72962b98874534b5.txt")
    code, out, err = run(pages, "--json")
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in records(out)}
    assert code == 1 and "failed" in err
    assert rows["empty.txt"]["status"] == "error" and "empty" in rows["empty.txt"]["error"]
    assert "binary" in rows["binary.txt"]["error"] and "huge.txt" in rows["huge.txt"]["error"]
    assert "too large" in rows["huge.txt"]["error"] and "symbolic link" in rows["link.txt"]["error"]
    assert "notes.docx" not in rows and "1 other files skipped" in err
    assert Article.objects.count() == 5
    assert ImportRecord.objects.filter(status="error").count() == 4


def _zip(path, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in entries.items():
            if isinstance(name, zipfile.ZipInfo):
                zf.writestr(name, data)
            else:
                zf.writestr(name, data)
    return path


def test_zip_archive_imports_and_refuses_unsafe_entries(pages, tmp_path):
    good = (pages / "002_3d63953e7ebce92d.txt").read_bytes()
    link = zipfile.ZipInfo("inner/link.txt")
    link.external_attr = (0o120777 << 16)
    archive = _zip(tmp_path / "batch.zip", {
        "inner/002.txt": good,
        "../escape.txt": good,
        link: b"/etc/passwd",
        "bomb.txt": b"0" * (2 * 1024 * 1024),
        "readme.md": b"x",
    })
    code, out, _ = run(archive, "--json")
    rows = {r["file"].split("batch.zip/")[-1]: r for r in records(out)}
    assert code == 1
    assert rows["inner/002.txt"]["status"] == "new"
    assert rows["inner/002.txt"]["file"].endswith("002.txt")
    assert ".." in rows["../escape.txt"]["error"]
    assert "symbolic link" in rows["inner/link.txt"]["error"]
    assert "zip bomb" in rows["bomb.txt"]["error"]
    assert Article.objects.count() == 1


def test_corrupt_zip_is_reported(tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, _ = run(bad, "--json")
    assert code == 1 and "zip" in records(out)[0]["error"]


def test_editor_cannot_import_as_published(pages, editor):
    code, _, err = run(pages, "--status", "published", "--user", editor.username)
    assert code != 0 and "发布" in err
    assert Article.objects.count() == 0


def test_reviewer_may_import_as_published(pages, reviewer):
    code, _, _ = run(pages, "--status", "published", "--user", reviewer.username)
    assert code == 0 and Article.objects.published().count() == 5


def test_forced_source(pages):
    run(pages, "--source", "新华社")
    assert set(Article.objects.values_list("source__name", flat=True)) == {"新华社"}


def test_a_crash_midway_leaves_whole_articles_and_a_rerun_completes(pages, monkeypatch):
    from articles.services import articles as writer
    from articles.services.imports import ingest_paths

    real = writer.tag_ids_for
    calls = {"n": 0}

    def killed_on_second_chunk(names):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed")
        return real(names)

    monkeypatch.setattr(writer, "tag_ids_for", killed_on_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(paths=[pages], chunk_size=2)
    # The first chunk is committed whole; the killed chunk left nothing behind.
    assert Article.objects.count() == 2
    for article in Article.objects.all():
        assert article.tags.exists() and article.import_records.exists() and article.status_changes.exists()
    monkeypatch.setattr(writer, "tag_ids_for", real)
    code, out, _ = run(pages, "--json")
    assert code == 0 and Article.objects.count() == 5
    assert sorted(r["status"] for r in records(out)) == ["new"] * 3 + ["unchanged"] * 2


def test_dry_run_works_before_migrate_and_a_real_import_says_to_migrate(tmp_path, pages):
    """A new user may try the importer on a fresh clone before anything is set up."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    dry = subprocess.run([sys.executable, "manage.py", "import_texts", "--dry-run", "--json", str(pages)],
                         cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    found = records(dry.stdout)
    assert len(found) == len(list(pages.glob("*.txt"))) and all(r["title"] for r in found)
    assert "migrate" in dry.stderr
    real = subprocess.run([sys.executable, "manage.py", "import_texts", str(pages)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert real.returncode != 0 and "migrate" in real.stderr and "Traceback" not in real.stderr


def test_imported_articles_are_indexed_in_the_same_batch(pages):
    from articles.ingest.segment import segment
    from articles.models import SearchDocument

    code, _, _ = run(pages, workers=2)
    assert code == 0
    docs = dict(SearchDocument.objects.values_list("article_id", "body"))
    articles = list(Article.objects.all())
    assert articles and set(docs) == {a.pk for a in articles}
    for article in articles:
        assert docs[article.pk] == " ".join(segment(article.body))


def test_a_terminal_gets_a_progress_bar_and_the_inputs_are_walked_once(pages, monkeypatch):
    import articles.services.imports as imports

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    walks = []
    gather = imports.gather
    monkeypatch.setattr(imports, "gather", lambda *a, **k: walks.append(a) or gather(*a, **k))
    err = Terminal()
    call_command("import_texts", str(pages), stdout=io.StringIO(), stderr=err)
    assert "5/5" in err.getvalue() and "100%" in err.getvalue()
    assert len(walks) == 1
