"""PostgreSQL: a weighted tsvector (title A, meta B, body C) over segmented tokens, ranked over every match.

The vector is a generated column (migration 0004), so writes keep it in step. Its index is rum
when the database has the extension (migration 0013): rum keeps each lexeme's positions and answers
ORDER BY search_vector <=> query inside the index, so ranking costs the index's posting lists,
never a read of each matching row. Without rum the index is GIN and ts_rank reads every match's
vector: the same order, slower as matches grow (a managed database may not offer rum).
"""
from __future__ import annotations

import json

from django.db import connection

from .base import DOC_TABLE, SqlSearchBackend


def _operand(token: str, weight: str) -> str:
    """One token as a quoted to_tsquery operand; the 'simple' parser then splits it as it split the text."""
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{weight}" if weight else quoted


def tsquery_text(query, *, weight: str = "") -> str:
    """The query for to_tsquery('simple', ...): terms ANDed, phrases as adjacent tokens; `weight` restricts
    every token to that part of the vector (A: the title)."""
    parts = [_operand(t, weight) for t in query.terms]
    parts += ["(" + " <-> ".join(_operand(t, weight) for t in phrase) + ")" for phrase in query.phrases]
    return " & ".join(parts)


_RUM_BY_DATABASE: dict[str, bool] = {}


def has_rum_index() -> bool:
    """Whether the search vector's index is rum here; asked once per database per process."""
    name = connection.settings_dict["NAME"]
    if name not in _RUM_BY_DATABASE:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT EXISTS (SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_am am ON am.oid = i.relam WHERE x.indrelid = %s::regclass AND am.amname = 'rum')""",
                [DOC_TABLE],
            )
            _RUM_BY_DATABASE[name] = cursor.fetchone()[0]
    return _RUM_BY_DATABASE[name]


class PostgresBackend(SqlSearchBackend):
    vendor = "postgresql"
    source = dated_source = f"{DOC_TABLE} d"
    id_column = "d.article_id"
    newest_order = "d.published_at DESC NULLS LAST, d.article_id DESC"

    def __init__(self, *, rum: bool | None = None):
        self.rum = has_rum_index() if rum is None else rum

    def match(self, query, *, in_title):
        return "d.search_vector @@ to_tsquery('simple', %s)", [tsquery_text(query, weight="A" if in_title else "")]

    def rank_order(self, query):
        if self.rum:
            # The index's own order and nothing after it: a tie-breaking column would make the planner sort
            # every match instead of stopping after the page (rum returns equal distances in a stable order).
            return "d.search_vector <=> to_tsquery('simple', %s)", [tsquery_text(query)]
        return "ts_rank(d.search_vector, to_tsquery('simple', %s)) DESC, d.article_id DESC", [tsquery_text(query)]

    def estimate(self, query, articles):
        """The planner's row estimate (from the vector's lexeme statistics): a plan, no rows read."""
        where, params = self._where(query, articles)
        plan = self._column(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.source} WHERE {where}", params)[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
