"""A tantivy index of the search documents, kept on this machine's disk (GAOKU_SEARCH_INDEX_DIR).

tantivy (a Rust engine, BM25) keeps each word's postings with the best score of every block, so a
search for the best twenty skips the blocks that cannot reach them (block-max WAND): ranking every
match of a word half the articles hold costs milliseconds, where rum scores every posting.

The documents are those of SearchDocument, as they are: title, meta and body hold space-separated
tokens from segment() (folded to simplified), so the index splits on whitespace only, and a query
segmented by the same segment() (query.py) finds the same words. Positions are kept for phrases.
The index is derived data: tantivy_sync.py writes it from the database, the backend
(tantivy_backend.py) reads it and asks the database which of its ids a reader may see.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import tantivy
from tantivy import Occur, Query

# BM25 per field, boosted as the PostgreSQL weights A, B, C (1, 0.4, 0.2) are: title > meta > body.
FIELD_BOOSTS = {"title": 5.0, "meta": 2.0, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)
# Raised when the schema or what the sync writes changes: an index of another version is rebuilt.
SCHEMA_VERSION = 2
MARK_FILE = "gaoku-sync.json"  # the sync's watermark, beside tantivy's own files (which it leaves alone)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Indexed (a sync deletes a document by its id; a narrow search filters on a set of ids), fast (the
    # ids of a page are read from the column, never from stored documents), stored (to look at by hand).
    builder.add_integer_field("article_id", indexed=True, fast=True, stored=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    # A reader's date filter, applied inside tantivy (to the second: see narrowing()).
    builder.add_date_field("published_at", indexed=True, fast=True)
    return builder.build()


SCHEMA = schema()


@dataclass(frozen=True)
class Mark:
    """What the index holds: every document written before `next` (and not by a `running` transaction).

    On PostgreSQL `next` is the xmax of the snapshot the sync took before reading and `running` the
    transactions that snapshot saw in progress; on SQLite (one writer at a time) one more than the
    highest revision when the sync began to read. tantivy_sync.py explains why nothing can be missed.
    """

    database: str
    next: int | None  # None: no watermark (a database without the revision trigger): read everything
    running: tuple[int, ...] = ()
    version: int = SCHEMA_VERSION

    @classmethod
    def read(cls, path: str | Path) -> Mark | None:
        try:
            data = json.loads((Path(path) / MARK_FILE).read_text())
        except FileNotFoundError:
            return None
        return cls(database=data["database"], next=data["next"], running=tuple(data["running"]),
                   version=data["version"])

    def write(self, path: str | Path) -> None:
        """Written after tantivy's commit, and atomically (a reader stats this file to see a new commit)."""
        target = Path(path) / MARK_FILE
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"database": self.database, "next": self.next,
                                         "running": list(self.running), "version": self.version}))
        os.replace(temporary, target)


# One open index per directory per process, with the watermark it was opened at; reloaded when the sync
# has written a new watermark.
_OPEN: dict[str, tuple[tantivy.Index, tuple, Mark | None]] = {}


def _stamp(path: str) -> tuple | None:
    try:
        st = os.stat(Path(path) / MARK_FILE)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def open_index(path: str, *, follows: str | None = None) -> tantivy.Index | None:
    """The index in `path` as of its last sync, or None when it was never synced.

    With `follows` (tantivy_sync.database_label()), also None when the index follows another database
    or was written with another schema (a directory shared by mistake, a database recreated): its ids
    would name other articles. The next sync rebuilds it.

    A stat a search: the reader reloads (new segments, cheap) only when the watermark file changed, so
    a search always sees a whole commit, and every process on the machine sees the sync's.
    """
    stamp = _stamp(path)
    if stamp is None:
        return None
    cached = _OPEN.get(path)
    if cached is None:
        index = tantivy.Index.open(path)
        index.config_reader(reload_policy="Manual")
        mark = Mark.read(path)
    else:
        index, mark = cached[0], cached[2]
        if cached[1] != stamp:
            index.reload()
            mark = Mark.read(path)
    _OPEN[path] = (index, stamp, mark)
    if follows is not None and (mark is None or mark.database != follows or mark.version != SCHEMA_VERSION):
        return None
    return index


def forget(path: str) -> None:
    """Drop this process's reader of `path` (the schema changed: the sync replaces the directory)."""
    _OPEN.pop(path, None)


# ---- queries


def _in_field(field: str, tokens: tuple[str, ...]) -> Query:
    """One token, or a phrase: tokens at consecutive positions of one field."""
    if len(tokens) == 1:
        return Query.term_query(SCHEMA, field, tokens[0])
    return Query.phrase_query(SCHEMA, field, list(tokens))


def _anywhere(tokens: tuple[str, ...]) -> Query:
    """A word or phrase in any field, scored by BM25 in each field it is in, with the field's boost."""
    return Query.boolean_query([(Occur.Should, Query.boost_query(_in_field(field, tokens), boost))
                                for field, boost in FIELD_BOOSTS.items()])


def _filter(query: Query) -> Query:
    return Query.const_score_query(query, 0.0)  # decides what matches, adds nothing to the score


def narrowing(*, date_from=None, date_to=None, article_ids: list[int] | None = None) -> list[Query]:
    """Filters tantivy applies itself: published in [date_from, date_to), among `article_ids`.

    The index keeps dates to the second; the lower bound is taken down to its second, so the filter
    never drops a document the database's filter keeps (the backend checks every candidate anyway).
    """
    filters = []
    if date_from or date_to:
        lower = date_from.replace(microsecond=0) if date_from else None
        filters.append(Query.range_query(SCHEMA, "published_at", tantivy.FieldType.Date, lower, date_to,
                                         include_upper=date_to is None))
    if article_ids is not None:
        filters.append(Query.term_set_query(SCHEMA, "article_id", article_ids))
    return filters


def to_query(parsed, *, in_title: bool = False, narrowed: list[Query] = ()) -> Query:
    """The ParsedQuery as tantivy's: every term and phrase (ANDed), each scored in all fields; with
    `in_title` each must also be in the title (the title tier); `narrowed` by filters from narrowing()."""
    needles = [(term,) for term in parsed.terms] + list(parsed.phrases)
    clauses = [(Occur.Must, _anywhere(needle)) for needle in needles]
    if in_title:
        clauses += [(Occur.Must, _filter(_in_field("title", needle))) for needle in needles]
    clauses += [(Occur.Must, _filter(query)) for query in narrowed]
    if len(clauses) == 1:
        # A lone word's union of fields, unwrapped: tantivy prunes with block-max WAND only at the top.
        return clauses[0][1]
    return Query.boolean_query(clauses)
