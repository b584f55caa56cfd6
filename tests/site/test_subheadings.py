"""Subheadings stay structure: the article page shows an unpunctuated line between paragraphs as one."""
import pytest

from articles.ingest.blocks import is_subheading
from articles.models import Article, Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("line, expected", [
    ("一、提高政治站位", True), ("产业资本掀起增持潮", True), ("（二）压实责任", True),
    ("近期大盘宽幅震荡，不少上市公司纷纷展开自救。", False), ("资料图：无性婚姻能走多远", False), ("开栏的话：", False),
])
def test_subheading_shape(line, expected):
    assert is_subheading(line) is expected


def test_article_page_shows_subheadings_as_headings(client):
    body = "\n\n".join(["近期大盘宽幅震荡，不少上市公司纷纷展开自救。", "一、提高政治站位",
                        "回购与增持在性质上有差别。<script>alert(1)</script>", "产业资本掀起增持潮",
                        "随后指数均出现波段上涨行情。"])
    article = Article.objects.create(title="近500家公司停牌", body=body, status=Status.PUBLISHED, raw_sha256="f" * 64)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h2 class="subhead">一、提高政治站位</h2>' in html and '<h2 class="subhead">产业资本掀起增持潮</h2>' in html
    assert "<p>近期大盘宽幅震荡" in html and "&lt;script&gt;" in html and "<script>alert" not in html
