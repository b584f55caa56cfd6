"""Any other database: token containment over SearchDocument with LIKE; slow but correct.

Title matches come first, as in every backend; without a scorer each tier is newest first.
"""
from __future__ import annotations

from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat

from articles.models import SearchDocument

from .base import SearchBackend

COLUMNS = ("title", "meta", "body")


def _spaced(column: str):
    return Concat(Value(" "), F(column), Value(" "), output_field=TextField())


class FallbackBackend(SearchBackend):
    vendor = ""

    def _matches(self, query, articles, *, in_title: bool = False):
        """Documents holding every token and phrase as whole tokens (a phrase: adjacent, in one column)."""
        columns = ("title",) if in_title else COLUMNS
        docs = SearchDocument.objects.filter(article__in=articles.values("pk")).annotate(
            **{f"spaced_{c}": _spaced(c) for c in columns})
        needles = [*query.terms, *(" ".join(p) for p in query.phrases)]
        for needle in needles:
            found = Q()
            for column in columns:
                found |= Q(**{f"spaced_{column}__contains": f" {needle} "})
            docs = docs.filter(found)
        return docs

    def _newest_ids(self, docs, limit):
        return list(docs.order_by(F("published_at").desc(nulls_last=True), "-article_id")
                    .values_list("article_id", flat=True)[:limit])

    def ranked(self, query, articles, *, limit, in_title):
        return self._newest_ids(self._matches(query, articles, in_title=in_title), limit)

    def newest(self, query, articles, *, limit):
        return self._newest_ids(self._matches(query, articles), limit)

    def count_upto(self, query, articles, bound):
        docs = self._matches(query, articles)
        return docs.count() if bound is None else len(docs.values_list("pk", flat=True)[:bound])
