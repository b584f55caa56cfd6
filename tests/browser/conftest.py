"""Headless Chromium (Debian's package) driven by Playwright; never `playwright install`."""
from pathlib import Path

import pytest
from django.conf import settings

from articles.ingest.script import to_traditional
from articles.models import Article, ImportBatch
from articles.services import workflow
from articles.services.imports import ingest_paths

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PAGES = Path(settings.BASE_DIR) / "fixtures" / "pages"


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; the ORM would refuse to run beside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: apt-get install -y chromium fonts-wqy-microhei")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def desk(editor, tmp_path):
    """Five imported pages, a Traditional repost (a duplicate pair) and an edit (a history with a diff)."""
    text = (PAGES / "001_72962b98874534b5.txt").read_text(encoding="utf-8")
    repost = tmp_path / "repost.txt"
    repost.write_text("首頁 | 新聞\n" + to_traditional(text.split("(责编", 1)[0]), encoding="utf-8")
    ingest_paths(paths=[PAGES], user=editor)
    ingest_paths(paths=[repost], user=editor)
    dup = Article.objects.get(duplicate_of__isnull=False)
    article = dup.duplicate_of
    article.title += "（修订）"
    article.body = article.body.replace("。", "；", 1)
    workflow.article_save_edit(article=article, user=editor, changed=["title", "body"])
    return article, dup, ImportBatch.objects.order_by("pk").first()
