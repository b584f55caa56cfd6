"""Feeds carry article text as text, never live HTML; names keep their order through export and import."""
import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
from articles.resources import NamesWidget


@pytest.mark.django_db
@pytest.mark.parametrize("url,tag", [("/feed/", "description"), ("/feed/atom/", "{http://www.w3.org/2005/Atom}summary")])
def test_feed_text_is_inert(url, tag, client, samples):
    article = next(iter(samples.values()))
    Article.objects.filter(pk=article.pk).update(summary='正文<script>alert("x")</script>与 <b>粗体</b> & 符号')
    root = ET.fromstring(client.get(url).content)
    texts = [el.text or "" for el in root.iter(tag)]
    # What a feed reader gets after XML parsing is HTML it will render: it must be escaped text.
    ours = next(t for t in texts if "alert" in t)
    assert "<script>" not in ours and "&lt;script&gt;" in ours and "&amp; 符号" in ours


def test_names_keep_their_order():
    widget = NamesWidget()
    names = ["赵珊", "付文科", "阿卜杜勒", "赵珊"]
    assert widget.clean(widget.render(names)) == ["赵珊", "付文科", "阿卜杜勒"]
    assert widget.clean("王五，张三, 李四；赵六") == ["王五", "张三", "李四", "赵六"]
    assert widget.clean("") == [] and widget.clean(None) == []
