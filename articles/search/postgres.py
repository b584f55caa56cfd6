"""PostgreSQL: a weighted tsvector (title A, meta B, body C) over segmented tokens, ranked over every match.

The vector is a generated column (migration 0004), so writes keep it in step. Its index is rum
when the database has the extension (migration 0014): rum keeps each lexeme's positions and answers
ORDER BY search_vector <=> query inside the index, so ranking costs the index's posting lists,
never a read of each matching row. Without rum the index is GIN and ts_rank reads every match's
vector: the same order, slower as matches grow (a managed database may not offer rum).

rum is slow to write (4–20 ms a document), so it indexes only the settled documents; what was
written since the last settle step sits in a GIN tier and is merged in (migration 0015, settle.py).
"""
from __future__ import annotations

import heapq
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
# The indexes of the two tiers (migration 0015); the settle step (settle.py) rebuilds the rum one.
SETTLED_RUM = "articles_searchdoc_settled_rum"
UNSETTLED_GIN = "articles_searchdoc_unsettled_gin"
SETTLED = "d.settled"
UNSETTLED = "NOT d.settled"


def has_rum_index() -> bool:
    """Whether search ranks with rum here, in two tiers; asked once per database per process.

    True when the table has a rum index, or the unsettled tier's GIN index that exists only beside
    one (settle.py drops the rum index for a while when it rebuilds it).
    """
    name = connection.settings_dict["NAME"]
    if name not in _RUM_BY_DATABASE:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT EXISTS (SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_am am ON am.oid = i.relam
                   WHERE x.indrelid = %s::regclass AND (am.amname = 'rum' OR i.relname = %s))""",
                [DOC_TABLE, UNSETTLED_GIN],
            )
            _RUM_BY_DATABASE[name] = cursor.fetchone()[0]
    return _RUM_BY_DATABASE[name]


class PostgresBackend(SqlSearchBackend):
    """With rum, every question is asked of both tiers (migration 0015), each with the condition its
    partial index serves: the settled documents (the rum index, ranked inside it) and the unsettled
    ones (GIN, a few recent writes, ranked by the same distance computed row by row). Without rum
    the one GIN index serves the whole table and ts_rank ranks.
    """

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

    def _tier_where(self, tier, query, articles, *, in_title=False):
        where, params = self._where(query, articles, in_title=in_title)
        return f"{tier} AND {where}", params

    def ranked(self, query, articles, *, limit, in_title):
        if not self.rum:
            return super().ranked(query, articles, limit=limit, in_title=in_title)
        order, order_params = self.rank_order(query)
        tiers = []
        for tier, tie in ((SETTLED, ""), (UNSETTLED, ", d.article_id DESC")):
            where, params = self._tier_where(tier, query, articles, in_title=in_title)
            sql = (f"SELECT {self.id_column}, {order} FROM {self.source} WHERE {where} "
                   f"ORDER BY {order}{tie} LIMIT %s")
            tiers.append(self._rows(sql, [*order_params, *params, *order_params, limit]))
        # Both lists are in distance order: merged, ties keep the settled tier first, so a longer page
        # begins with the shorter one (pages never repeat or skip a document).
        merged = heapq.merge(*tiers, key=lambda row: row[1])
        return [pk for pk, _ in merged][:limit]

    def newest(self, query, articles, *, limit):
        if not self.rum:
            return super().newest(query, articles, limit=limit)
        arms, params = self._arms(query, articles, "d.article_id, d.published_at",
                                  f"ORDER BY {self.newest_order} LIMIT %s", [limit])
        sql = f"SELECT d.article_id FROM ({arms}) d ORDER BY {self.newest_order} LIMIT %s"
        return self._column(sql, [*params, limit])

    def count_upto(self, query, articles, bound):
        if not self.rum:
            return super().count_upto(query, articles, bound)
        arms, params = self._arms(query, articles, "1", "LIMIT %s", [bound])
        counted = self._column(f"SELECT count(*) FROM ({arms}) matched", params)[0]
        return counted if bound is None else min(counted, bound)

    def _arms(self, query, articles, columns, tail, tail_params):
        """One SELECT per tier, each with its own index's condition, as a UNION ALL."""
        parts, params = [], []
        for tier in (SETTLED, UNSETTLED):
            where, where_params = self._tier_where(tier, query, articles)
            parts.append(f"(SELECT {columns} FROM {self.source} WHERE {where} {tail})")
            params += [*where_params, *tail_params]
        return " UNION ALL ".join(parts), params

    def _rows(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def estimate(self, query, articles):
        """The planner's row estimate (from the vector's lexeme statistics): a plan, no rows read."""
        if self.rum:
            sql, params = self._arms(query, articles, "1", "", [])
        else:
            where, params = self._where(query, articles)
            sql = f"SELECT 1 FROM {self.source} WHERE {where}"
        plan = self._column(f"EXPLAIN (FORMAT JSON) {sql}", params)[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
