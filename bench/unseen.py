#!/usr/bin/env python
"""Extraction on pages nobody tuned for: saved HTML pages, copied as a reader would, through parse().

Three steps, so that the HTML extractors used as a yardstick never become a dependency of Gaoku:

    # 1. the text a person gets by select-all + copy: Chromium's innerText, scripts off, no network
    .venv/bin/python bench/unseen.py render  HTML_DIR OUT_DIR
    # 2. what public HTML extractors make of the same HTML (any Python with trafilatura and
    #    readability-lxml installed, e.g. a throwaway venv; imports nothing from Gaoku)
    /tmp/xvenv/bin/python bench/unseen.py reference HTML_DIR OUT_DIR
    # 3. Gaoku's extraction from the text, compared with the HTML extractors
    .venv/bin/python bench/unseen.py score OUT_DIR [-v]

The reference is not a gold label: trafilatura and readability disagree with each other (their mutual
F1 is printed too), both keep what scripts would have hidden and sometimes take a sidebar. Read the
pages under the line before calling a difference a failure. The figures in the README come from the
test pages of GNE (GeneralNewsExtractor, `pip download --no-deps --no-binary :all: gne==0.4.3`,
tests/ and visiable_test/) and newspaper4k's Chinese test pages, none of them in ../shared.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _decode(data: bytes) -> str:
    m = re.search(rb'charset=["\']?([\w-]+)', data[:4000], re.I)
    for enc in ([m.group(1).decode("ascii", "ignore")] if m else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode("gb18030" if enc.lower() in ("gb2312", "gbk") else enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def render(html_dir: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    titles = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        context.route("**/*", lambda route: route.abort())  # a saved page loads nothing
        page = context.new_page()
        for f in sorted(html_dir.rglob("*.htm*")):
            name = "_".join(f.relative_to(html_dir).with_suffix("").parts)
            page.set_content(re.sub(r"<base[^>]*>", "", _decode(f.read_bytes())), wait_until="domcontentloaded")
            (out / f"{name}.txt").write_text(page.evaluate("document.body ? document.body.innerText : ''"), "utf-8")
            titles[name] = page.title()
        browser.close()
    (out / "html_titles.json").write_text(json.dumps(titles, ensure_ascii=False, indent=1), "utf-8")
    print(f"rendered {len(titles)} pages into {out}")


def reference(html_dir: Path, out: Path) -> None:
    import lxml.html
    import trafilatura
    from readability import Document

    refs = {}
    for f in sorted(html_dir.rglob("*.htm*")):
        name = "_".join(f.relative_to(html_dir).with_suffix("").parts)
        html = _decode(f.read_bytes())
        doc = trafilatura.bare_extraction(html, with_metadata=True)
        doc = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
        try:
            read = lxml.html.fromstring(Document(html).summary()).text_content()
        except Exception:  # readability gives up on some pages; that page then has one reference
            read = ""
        refs[name] = {"title": doc.get("title"), "date": doc.get("date"), "trafilatura": doc.get("text") or "",
                      "readability": read}
    out.mkdir(parents=True, exist_ok=True)
    (out / "references.json").write_text(json.dumps(refs, ensure_ascii=False, indent=1), "utf-8")
    print(f"{len(refs)} references in {out / 'references.json'}")


def _bag(text: str) -> Counter:
    return Counter(re.findall(r"[\u4e00-\u9fff]|[A-Za-z0-9]+", text))


def _prf(got: str, want: str) -> tuple[float, float, float]:
    a, b = _bag(got), _bag(want)
    if not a or not b:
        return 0.0, 0.0, 0.0
    common = sum((a & b).values())
    p, r = common / sum(a.values()), common / sum(b.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(out: Path, verbose: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from articles.ingest import Gazetteer, Vocabulary, parse

    refs = json.loads((out / "references.json").read_text("utf-8"))
    titles = json.loads((out / "html_titles.json").read_text("utf-8"))
    gazetteer, vocabulary = Gazetteer.default(), Vocabulary()
    rows, times = [], []
    for name, ref in sorted(refs.items()):
        path = out / f"{name}.txt"
        if not path.exists():
            continue
        data = path.read_bytes()
        start = time.perf_counter()
        draft = parse(data, path.name, gazetteer=gazetteer, vocabulary=vocabulary)
        times.append(time.perf_counter() - start)
        f_traf = _prf(draft.body, ref["trafilatura"])
        f_read = _prf(draft.body, ref["readability"])
        mine = draft.title.replace(" ", "")
        witnesses = [(ref["title"] or "").replace(" ", ""), (titles.get(name) or "").replace(" ", "")]
        title_ok = bool(mine) and any(w and (mine in w or w in mine) for w in witnesses)
        date_ok = None
        if ref["date"]:
            date_ok = bool(draft.published_at) and draft.published_at.date().isoformat() == ref["date"][:10]
        rows.append({"name": name, "traf": f_traf, "read": f_read, "best": max(f_traf[2], f_read[2]),
                     "agree": _prf(ref["trafilatura"], ref["readability"])[2], "title_ok": title_ok,
                     "date_ok": date_ok, "title": draft.title, "warnings": draft.warnings})
    if not rows:
        sys.exit(f"no rendered pages with references in {out}")
    best = [r["best"] for r in rows]
    dated = [r for r in rows if r["date_ok"] is not None]
    print(f"pages {len(rows)}")
    print(f"body F1 vs trafilatura: mean {statistics.mean(r['traf'][2] for r in rows):.3f}, "
          f"vs readability: mean {statistics.mean(r['read'][2] for r in rows):.3f}, "
          f"vs the closer of the two: mean {statistics.mean(best):.3f} median {statistics.median(best):.3f}")
    print(f"trafilatura vs readability (how far the yardsticks agree): "
          f"mean {statistics.mean(r['agree'] for r in rows):.3f}")
    print(f"pages under 0.5 against both: {sum(b < 0.5 for b in best)}, under 0.1: {sum(b < 0.1 for b in best)}")
    print(f"headline agrees with trafilatura's or the HTML <title>: {sum(r['title_ok'] for r in rows)}/{len(rows)}")
    print(f"date agrees with trafilatura's: {sum(r['date_ok'] for r in dated)}/{len(dated)}")
    print(f"parse: median {1000 * statistics.median(times):.2f} ms/page")
    if verbose:
        for r in sorted(rows, key=lambda r: r["best"]):
            print(f"{r['best']:.2f}  P/R vs traf {r['traf'][0]:.2f}/{r['traf'][1]:.2f}  "
                  f"{'   ' if r['title_ok'] else 'T? '}{r['name'][:40]:40s} {r['title'][:30]}  {list(r['warnings'])}")


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in ("render", "reference", "score"):
        sys.exit(__doc__)
    if argv[0] == "render":
        render(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "reference":
        reference(Path(argv[1]), Path(argv[2]))
    else:
        score(Path(argv[1]), "-v" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
