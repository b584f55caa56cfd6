"""axe-core (vendored, no network) on every admin page an editor uses: no serious or critical violation."""
from pathlib import Path

import pytest

from articles.models import Article

from .test_editor_browser import login, shot

AXE = Path(__file__).with_name("vendor") / "axe.min.js"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def violations(page):
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return result


def test_no_serious_or_critical_violation_on_the_desk(live_server, browser, editor, desk):
    article, dup, batch = desk
    pages = {
        "index": "/admin/",
        "list": "/admin/articles/article/",
        "list-filtered": f"/admin/articles/article/?province={article.regions.first().parent_id or ''}",
        "change": f"/admin/articles/article/{article.pk}/change/",
        "upload": "/admin/articles/importbatch/upload/",
        "table-import": "/admin/articles/article/import/",
        "batches": "/admin/articles/importbatch/",
        "batch": f"/admin/articles/importbatch/{batch.pk}/change/",
        "history": f"/admin/articles/article/{article.pk}/history/",
        "compare": f"/admin/articles/article/{dup.pk}/compare/",
        "attention": "/admin/articles/article/attention/",
    }
    found = {}
    for width in (1280, 390):
        # bypass_csp: axe is injected by the test; the pages' own policy stays as it is for everything else.
        page = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()
        login(page, live_server.url, editor.username)
        for name, url in pages.items():
            response = page.goto(live_server.url + url)
            assert response.status == 200, (name, url)
            page.wait_for_load_state("networkidle")
            bad = violations(page)
            if bad:
                found[f"{name}@{width}"] = bad
            if name == "list":
                shot(page, f"axe-list-{width}")
        if width == 1280:  # the tag box is a search box that filters: type, pick, the list follows
            tag = article.tags.first()
            page.goto(live_server.url + pages["list"])
            page.click("#id-tag-dal-filter + .select2 .select2-selection")
            page.fill(".select2-container--open .select2-search__field", tag.name)
            page.click(f".select2-results__option:text-is('{tag.name}')")
            page.wait_for_url(f"**tag={tag.pk}**")
            assert page.locator("#result_list tbody tr").count() == Article.objects.tagged(tag).count()
            shot(page, "axe-list-tag-filtered-1280")
        page.context.close()
    report = "\n".join(f"{where}: {v['impact']} {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"])
                       for where, bad in found.items() for v in bad)
    assert not found, report
