import codecs

import pytest

from articles.ingest import IngestError, parse
from articles.ingest.decode import decode_bytes

SIMPLIFIED = "以高质量党建促进高质量发展\n来源：学习时报 发布时间：2023-12-25\n理论与实践共舞，思想与经验齐飞。基层党建工作扎实推进。\n"
TRADITIONAL = "新征程上砥礪奮進，廣東高品質黨建推動高品質發展\n發布時間：2023-02-10\n落實黨的二十大精神，辦好廣東的事情，關鍵在黨。\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_each_encoding_decodes_to_the_same_text(data, encoding):
    text, used = decode_bytes(data, "page.txt")
    assert used == encoding
    assert text in (SIMPLIFIED, TRADITIONAL)
    assert "\ufeff" not in text and "\ufffd" not in text


def test_crlf_becomes_lf():
    text, _ = decode_bytes(SIMPLIFIED.replace("\n", "\r\n").encode("gb18030"), "page.txt")
    assert "\r" not in text and text == SIMPLIFIED


def test_replacement_characters_and_bom_in_the_source_are_dropped():
    raw = ("\ufeff" + SIMPLIFIED.replace("高质量", "高\ufffd质量", 1)).encode("utf-8")
    text, _ = decode_bytes(raw, "000.txt")
    assert text == SIMPLIFIED


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"  \n\r\n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(data, reason, gazetteer, vocabulary):
    with pytest.raises(IngestError) as excinfo:
        parse(data, "bad/page.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert "bad/page.txt" in str(excinfo.value) and reason in str(excinfo.value)


def test_gb18030_sample_matches_its_utf8_twin(samples_dir, gazetteer, vocabulary):
    utf8 = parse((samples_dir / "web-024.txt").read_bytes(), "a.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    gb = parse((samples_dir / "web-024.gb18030.txt").read_bytes(), "b.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert gb.encoding == "gb18030"
    assert (gb.title, gb.body, gb.published_at, gb.regions) == (utf8.title, utf8.body, utf8.published_at, utf8.regions)


def test_html_page_takes_visible_text(gazetteer, vocabulary):
    html = (
        "<!doctype html><html><head><title>推动基层党建全域提升全面提质_人民周刊网</title>"
        "<style>p{color:red}</style><script>var x='菜单';</script></head><body>"
        "<nav>首页 | 时政 | 党建 | 理论 | 评论</nav><h1>推动基层党建全域提升全面提质</h1>"
        "<p class=meta>2023-08-02 11:19:26 来源：学习时报</p>"
        "<p>抓基层、打基础，是我们党治国理政、管党治党的固本之策。20年来，杭州坚持大抓基层的鲜明导向。</p>"
        "<p>夯实乡村振兴组织根基。围绕目标，高质量推进村社组织换届，杭州持续增强村级班子整体功能。</p>"
        "<p>(责编:赵珊)</p></body></html>"
    )
    draft = parse(html.encode("utf-8"), "page.html", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.title == "推动基层党建全域提升全面提质"
    assert draft.source == "学习时报" and draft.editors == ("赵珊",)
    assert draft.body.startswith("抓基层、打基础") and "var x" not in draft.body and "color" not in draft.body
    assert draft.regions == ("浙江省/杭州市",)
