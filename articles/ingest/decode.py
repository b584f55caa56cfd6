"""Bytes to text: BOM, then strict UTF-8, GB18030 and Big5, chosen by how plausible the hanzi are."""
from __future__ import annotations

import codecs
import re

from .errors import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The most frequent hanzi in modern Chinese news text, simplified and traditional.
_COMMON = set(
    "的一是了不在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道"
    "行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意"
    "无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什"
    "二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义"
    "各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金"
    "指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求"
    "据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林"
    "服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整"
    "府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显"
    "們個來國時說這對會發經過動後裡學現當沒麼應頭見問種從實軍無長與機開體關點業將兩間總經區義黨產辦議報設務歲"
    "從為進這樣還來點戰際傳導運動書記領員門歷區將當黨華灣廣東臺縣歡聽讀親邊類風飛發際專術"
)


def _plausibility(text: str) -> float:
    """Share of CJK characters that are common ones; mojibake scores low."""
    cjk = [c for c in text[:4000] if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.5 if text.isascii() else 0.0
    return sum(c in _COMMON for c in cjk) / len(cjk)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, filename: str) -> tuple[str, str]:
    """Return (text, encoding). Raises IngestError for empty, binary or undecodable input."""
    if not data.strip():
        raise IngestError(filename, "empty file")
    text = encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(name), name
            except UnicodeDecodeError as exc:
                raise IngestError(filename, f"invalid {name} after its byte order mark: {exc.reason}") from None
            break
    if text is None and (utf16 := _looks_utf16(data)):
        try:
            text, encoding = data.decode(utf16), utf16
        except UnicodeDecodeError:
            text = None
    if text is None and b"\x00" in data:
        # UTF-16 without a byte order mark: mostly-hanzi text has few NULs, so try both orders.
        decoded = []
        for name in ("utf-16-le", "utf-16-be"):
            try:
                candidate = data.decode(name)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(candidate[:2000]):
                decoded.append((_plausibility(candidate), name, candidate))
        best = max(decoded, default=None)
        if best is None or best[0] < 0.3:
            raise IngestError(filename, "binary data (NUL bytes), not a text page")
        _, encoding, text = best
    if text is None:
        candidates = []
        for name in ("utf-8", "gb18030", "big5"):
            try:
                decoded = data.decode(name)
            except UnicodeDecodeError:
                continue
            if name == "utf-8":  # strict UTF-8 of non-ASCII text is almost never an accident
                candidates = [(2.0, name, decoded)]
                break
            candidates.append((_plausibility(decoded), name, decoded))
        if not candidates:
            text, encoding = _fallback(data, filename)
        else:
            _, encoding, text = max(candidates, key=lambda c: c[0])
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\ufffd", "")
    if len(_CONTROL.findall(text[:5000])) > 5:
        raise IngestError(filename, "binary data (control characters), not a text page")
    if not text.strip():
        raise IngestError(filename, "no text after decoding")
    return text, encoding


def _fallback(data: bytes, filename: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(filename, "undecodable: not UTF-8, UTF-16, GB18030 or Big5")
    text = str(best)
    if _plausibility(text) < 0.2:
        raise IngestError(filename, f"undecodable: best guess {best.encoding} gives no plausible Chinese")
    return text, best.encoding


_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head", "math"})
_BLOCKS = frozenset((  # noqa: SIM905 - a table of tag names reads as data
    "p div li h1 h2 h3 h4 h5 h6 tr br section article header footer nav ul ol table dd dt "
    "blockquote pre main aside figure figcaption form").split())


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of a saved page, one block per line, and its <title>.

    BeautifulSoup (lxml underneath) builds the tree whatever its depth; one walk over it with an
    explicit stack writes the text, so the cost stays linear in the page's size even for a page
    of 100,000 nested <div>s."""
    from bs4 import BeautifulSoup, NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    soup = BeautifulSoup(html, "lxml")
    title = " ".join(soup.title.get_text(" ").split()) if soup.title else None
    hidden = (Comment, Declaration, Doctype, ProcessingInstruction)
    out: list[str] = []
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, hidden):
                out.append(str(node))
            continue
        name = (node.name or "").lower()
        if closing:
            if name in _BLOCKS:
                out.append("\n")
            continue
        if name in _SKIPPED:
            continue
        if name in _BLOCKS:
            out.append("\n")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    lines = [" ".join(line.split()) for line in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line), (title or None)
