"""axe-core (vendored from npm) on every page type, in 简体 and 繁體: no violations of any impact."""
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Region
from tests.browser.conftest import SHOTS

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WIDTHS = {"desktop": 1280, "phone": 390}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _pages():
    article = Article.objects.get(title="推动基层党建全域提升全面提质")
    when = article.published_at.astimezone()
    province = Region.objects.get(name="浙江省")
    return {
        "home": "/",
        "list": "/articles/",
        "article": article.get_absolute_url(),
        "tag": "/tags/党建/",
        "region": province.get_absolute_url(),
        "source": article.source.get_absolute_url(),
        "archive": "/archive/",
        "archive-month": f"/archive/{when.year}/{when.month}/",
        "search": "/search/?q=党建",
        "search-empty": "/search/?q=没有这个词&tag=党建",
        "tags": "/tags/",
        "regions": "/regions/",
        "about": "/about/",
        "404": "/no/such/page/",
    }


def _violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("script", ["hans", "hant"])
def test_axe_finds_nothing(live_server, browser, script):
    call_command("import_texts", str(Path(settings.BASE_DIR) / "fixtures" / "pages"), status="published",
                 stdout=io.StringIO())
    found = {}
    for width in WIDTHS.values():
        # JavaScript on only for axe itself (the site has none); the CSP is bypassed to inject it.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        context.add_cookies([{"name": "script", "value": script, "url": live_server.url}])
        page = context.new_page()
        page.set_content('<html lang="zh"><title>x</title><main><img src="/x.png"></main></html>')
        assert any("image-alt" in p for p in _violations(page)), "axe did not run"
        for name, url in _pages().items():
            page.goto(live_server.url + url)
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / f"a11y-{name}-{script}-{width}.png"), full_page=True)
            problems = _violations(page)
            if problems:
                found[f"{name} ({script}, {width}px)"] = problems
        context.close()
    assert not found, "\n".join(f"{page}: {p}" for page, problems in found.items() for p in problems)
