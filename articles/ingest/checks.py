"""Values checked where they leave the core: what a database column cannot hold is dropped with a warning.

A page keeps its article when one value is absurd: a view count beyond any real page's, a date
outside the years an article can carry, or characters no database text column stores (NUL; lone
surrogates, which no UTF-8 encoder accepts).
"""
from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import datetime

# A 64-bit column holds up to 2**63 - 1; no page was ever read that many times. Counts above
# this are misread numbers (a phone number, an id next to the label), not views.
MAX_VIEWS = 10**11
FIRST_YEAR, LAST_YEAR = 1900, 2100
# The columns' lengths (Source.name, taggit's Tag.name): a longer value is a misread line, not a name.
MAX_SOURCE, MAX_TAG = 200, 100

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _clean(value):
    if isinstance(value, str):
        return UNSTORABLE.sub("", value)
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    return value


def _unstorable_count(value) -> int:
    if isinstance(value, str):
        return 0 if _storable(value) else len(UNSTORABLE.findall(value))
    if isinstance(value, tuple):
        return sum(_unstorable_count(v) for v in value)
    return 0


def _storable(text: str) -> bool:
    """No NUL and no lone surrogate (the only characters strict UTF-8 refuses): tested in C at the speed
    of a copy, where the regex tests a whole page one character at a time."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def checked(draft):
    """The draft with out-of-range values dropped and unstorable characters removed, each with a warning."""
    changes, warnings = {}, []
    # The file name is left as it is: it names the input in reports (the writer cleans what it stores).
    removed = {f.name: n for f in fields(draft)
               if f.name != "filename" and (n := _unstorable_count(getattr(draft, f.name)))}
    if removed:
        changes = {name: _clean(getattr(draft, name)) for name in removed}
        where = "、".join(sorted(removed))
        warnings.append(f"removed {sum(removed.values())} characters a database cannot store (NUL or lone "
                        f"surrogates) from {where}")
    if draft.views is not None and not 0 <= draft.views <= MAX_VIEWS:
        changes["views"] = None
        warnings.append(f"view count {draft.views} is not a real count: dropped")
    when: datetime | None = draft.published_at
    if when is not None and not FIRST_YEAR <= when.year <= LAST_YEAR:
        changes.update(published_at=None, date_only=False)
        warnings.append(f"date {when.date().isoformat()} is out of range ({FIRST_YEAR}–{LAST_YEAR}): dropped")
    source = changes.get("source", draft.source)
    if source and len(source) > MAX_SOURCE:
        changes["source"] = None
        warnings.append(f"source name of {len(source)} characters is not a name: dropped")
    tags = changes.get("tags", draft.tags)
    if any(len(t) > MAX_TAG for t in tags):
        changes["tags"] = tuple(t for t in tags if len(t) <= MAX_TAG)
        warnings.append(f"tags longer than {MAX_TAG} characters dropped")
    if not changes:
        return draft
    return replace(draft, **changes, warnings=(*draft.warnings, *warnings))
