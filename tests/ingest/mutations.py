"""Mutations of real pages, the way copy-paste and scraping damage them (shared by the fuzz tests and bench/fuzz.py).

Every mutation takes the text and a random.Random and returns new text, so a (seed, page) pair
reproduces a case exactly.
"""
from __future__ import annotations

import random

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be")

JUNK = [
    "\x00", "\ufeff", "\u200b", "\u3000", "\r", "\t", "\x0c", "\x1b[0m", "\ud7ff", "\U0001f600", "\u0301\u0301",
    "�", "。", "，", "：", "|", "（", "）", "【", "】", ">>", "<br>", "<html>", "</p>", "&nbsp;", "&#0;",
    "来源：", "作者：", "责任编辑：", "浏览：", "阅读：", "点击：", "时间：", "发布时间：", "编辑：", "原标题：",
    "9" * 30, "9" * 400, "3.2万", "10w+", "2023-02-30", "2099-12-31 25:61", "105年13月40日", "1900-01-01",
    "民国", "（完）", "相关阅读", "版权所有", "http://", "https://example.com/a?b=%00", "转载请注明出处：",
    "北京市", "广东省深圳市", "香港", "台湾", "党建", "乡村振兴", "a" * 500, "中" * 3000,
]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_lines(text, rnd):
    lines = _lines(text)
    if len(lines) > 1:
        start = rnd.randrange(len(lines))
        del lines[start:start + rnd.choice((1, 1, 2, 5, 20))]
    return "\n".join(lines)


def duplicate_lines(text, rnd):
    lines = _lines(text)
    i = rnd.randrange(len(lines))
    lines[i:i] = lines[i:i + rnd.choice((1, 3, 10))] * rnd.choice((1, 2, 50))
    return "\n".join(lines)


def shuffle_lines(text, rnd):
    lines = _lines(text)
    start = rnd.randrange(len(lines))
    window = lines[start:start + rnd.choice((2, 5, 30, len(lines)))]
    rnd.shuffle(window)
    lines[start:start + len(window)] = window
    return "\n".join(lines)


def truncate(text, rnd):
    return text[:rnd.randrange(len(text) + 1)]


def truncate_line(text, rnd):
    lines = _lines(text)
    i = rnd.randrange(len(lines))
    lines[i] = lines[i][:rnd.randrange(len(lines[i]) + 1)]
    return "\n".join(lines)


def insert_junk(text, rnd):
    at = rnd.randrange(len(text) + 1)
    junk = "".join(rnd.choice(JUNK) for _ in range(rnd.choice((1, 1, 3, 10))))
    return text[:at] + junk + text[at:]


def junk_line(text, rnd):
    lines = _lines(text)
    lines.insert(rnd.randrange(len(lines) + 1), "".join(rnd.choice(JUNK) for _ in range(rnd.randint(1, 4))))
    return "\n".join(lines)


def strip_newlines(text, rnd):
    return text.replace("\n", rnd.choice(("", " ", "\r")))


def empty_lines(text, rnd):
    lines = _lines(text)
    for _ in range(rnd.randint(1, 10)):
        i = rnd.randrange(len(lines))
        lines[i] = rnd.choice(("", " ", "\u3000", "\t", "。", "）"))
    return "\n".join(lines)


def as_html(text, rnd):
    """The page as saved HTML (parse() reads it through the HTML path), sometimes with broken markup."""
    lines = _lines(text)
    title = lines[rnd.randrange(len(lines))][:80]
    body = "".join(f"<{rnd.choice(('p', 'div', 'li', 'td', 'span'))}>{line}" + rnd.choice(("</p>", "</div>", "", "<br>"))
                   for line in lines)
    head = rnd.choice(("<!DOCTYPE html>", "<html>", "<!doctype html><html lang=zh>"))
    return f"{head}<head><meta charset=utf-8><title>{title}</title><script>var a='<p>';</script></head><body>{body}"


TEXT_MUTATIONS = [as_html, delete_lines, duplicate_lines, shuffle_lines, truncate, truncate_line, insert_junk, junk_line,
                  strip_newlines, empty_lines]


def encode(text: str, rnd: random.Random) -> tuple[bytes, str]:
    """The text in a random encoding (characters it cannot hold replaced), sometimes with bytes damaged."""
    encoding = rnd.choice(ENCODINGS)
    data = text.encode(encoding, errors=rnd.choice(("replace", "ignore", "surrogatepass"))
                       if encoding.startswith("utf") else rnd.choice(("replace", "ignore")))
    if data and rnd.random() < 0.2:
        raw = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            raw[rnd.randrange(len(raw))] = rnd.randrange(256)
        data = bytes(raw)
    if data and rnd.random() < 0.1:
        data = data[:rnd.randrange(len(data))]  # cut inside a multi-byte character
    return data, encoding


def mutate(text: str, rnd: random.Random) -> tuple[bytes, list[str]]:
    """A damaged copy of the page as bytes, and the names of the steps that damaged it."""
    steps = []
    for _ in range(rnd.randint(1, 4)):
        if not text:
            break
        step = rnd.choice(TEXT_MUTATIONS)
        text = step(text, rnd)
        steps.append(step.__name__)
    data, encoding = encode(text, rnd)
    steps.append(f"encode:{encoding}")
    return data, steps
