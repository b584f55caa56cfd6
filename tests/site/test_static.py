import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.views.defaults import server_error

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_templates_have_no_inline_script_or_style():
    # CSP has no unsafe-inline: no <script>, <style> or style= anywhere in the public templates.
    for path in TEMPLATES.rglob("*.html"):
        if "admin" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", text), path


def test_css_uses_a_cjk_font_stack():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert '"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC"'.replace(",", ", ") in css
    assert "line-height: 1.8" in css and ":focus-visible" in css


def test_collectstatic_with_the_production_storage(tmp_path):
    prod = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=prod):
        call_command("collectstatic", "--noinput", verbosity=0)
    hashed = list((tmp_path / "css").glob("site.*.css"))
    assert hashed and list((tmp_path / "css").glob("site.*.css.gz"))
    assert (tmp_path / "staticfiles.json").exists()


def test_500_page_uses_the_site_style(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "site.css" in html and "服务器出错了" in html


@pytest.mark.django_db
def test_article_pages_vary_on_the_script_cookie(client):
    assert "Cookie" in client.get("/").get("Vary", "")
