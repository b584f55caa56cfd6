"""繁體 display: Taiwan or Hong Kong conventions, our corrections of OpenCC, every visible string."""
import pytest

from articles.ingest.script import DISPLAY_CORRECTIONS, to_display_traditional, to_traditional
from articles.views.script import convert_html

from .samples import load_expected, make_article

# Lines as they appear in the sample pages and in party-press headlines.
CASES = [
    ("新征程上砥砺奋进", "新征程上砥礪奮進"),
    ("对表对标党中央决策部署", "對表對標黨中央決策部署"),
    ("为人民服务", "為人民服務"),
    ("奋进新征途", "奮進新征途"),
    ("依法征收土地", "依法徵收土地"),  # 征收 (levy) does take 徵
    ("行政区划代码", "行政區劃代碼"),
]


@pytest.mark.parametrize("standard", ["tw", "hk"])
@pytest.mark.parametrize(("hans", "hant"), CASES)
def test_display_traditional_corrects_opencc(standard, hans, hant):
    assert to_display_traditional(hans, standard) == hant


def test_corrections_fix_what_opencc_gets_wrong():
    import opencc

    # Each correction is needed (OpenCC alone writes the wrong form in a real phrase) and keeps the 简体 text.
    raw = opencc.OpenCC("s2twp.json").convert
    for hans, hant in CASES[:2] + CASES[3:4] + CASES[5:]:
        assert raw(hans) != hant
    raw_outputs = "".join(raw(hans) for hans, _ in CASES)
    assert all(wrong in raw_outputs for wrong in DISPLAY_CORRECTIONS)  # every correction has its case


def test_taiwan_uses_its_words_and_hong_kong_its_own():
    assert to_display_traditional("软件里面的信息", "tw") == "軟體裡面的資訊"
    assert to_display_traditional("软件里面的信息", "hk") == "軟件裏面的信息"
    with pytest.raises(ValueError, match="繁體标准"):
        to_display_traditional("软件", "mo")


def test_search_matching_keeps_plain_conversion():
    assert to_traditional("为") == "爲"  # search highlights match either form; display never shows 爲


def test_placeholders_labels_and_descriptions_switch_but_values_do_not():
    html = ('<meta name="description" content="稿库：整理">'
            '<meta property="og:url" content="https://x/tags/党建/">'
            '<input placeholder="搜索标题" aria-label="搜索文章" value="党建"><img alt="二维码" src="/q/党建">')
    out = convert_html(html, "hant", "tw")
    assert 'content="稿庫：整理"' in out and 'content="https://x/tags/党建/"' in out
    assert 'placeholder="搜尋標題"' in out and 'aria-label="搜尋文章"' in out and 'value="党建"' in out
    assert 'alt="二維碼"' in out and 'src="/q/党建"' in out


@pytest.mark.django_db
@pytest.mark.parametrize(("standard", "lang", "word"), [("tw", "zh-Hant-TW", "搜尋"), ("hk", "zh-Hant-HK", "搜索")])
def test_the_setting_chooses_the_standard(client, settings, standard, lang, word):
    settings.GAOKU_TRADITIONAL_STANDARD = standard
    expected = load_expected()
    make_article("004_834f884de4a1454c.txt", expected["004_834f884de4a1454c.txt"])
    client.cookies["script"] = "hant"
    html = client.get("/").content.decode()
    assert f'<html lang="{lang}">' in html
    assert "新征程上砥礪奮進" in html and "新徵程" not in html
    assert f'placeholder="{word}' in html or f'>{word}<' in html
    assert "爲" not in html
