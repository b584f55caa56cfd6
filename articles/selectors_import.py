"""Reads that feed the pure import core: the gazetteer, the tag vocabulary, the source index."""
from __future__ import annotations

from taggit.models import Tag

from articles.ingest import Gazetteer, Vocabulary
from articles.ingest.divisions import AliasRow, RegionRow
from articles.ingest.script import name_key

from .models import Region, RegionAlias, Source, TagSynonym


def gazetteer_rows() -> tuple[list[RegionRow], list[AliasRow]]:
    """The Region table as plain rows (picklable, for parser worker processes)."""
    parents = dict(Region.objects.values_list("id", "code"))
    regions = [
        RegionRow(code, name, short, level, parents.get(parent_id))
        for code, name, short, level, parent_id in Region.objects.values_list(
            "code", "name", "short_name", "level", "parent_id")
    ]
    aliases = [AliasRow(name, short, code) for name, short, code in
               RegionAlias.objects.values_list("name", "short_name", "region__code")]
    return regions, aliases


def build_gazetteer() -> Gazetteer:
    return Gazetteer.from_rows(*gazetteer_rows())


def build_vocabulary() -> Vocabulary:
    synonyms = dict(TagSynonym.objects.values_list("name", "tag__name"))
    return Vocabulary(tags=frozenset(Tag.objects.values_list("name", flat=True)), synonyms=synonyms)


def source_index() -> dict[str, int]:
    """name_key(name or alias) -> Source id, so 南方雜誌 and 南方杂志 find one source."""
    index: dict[str, int] = {}
    for pk, name, aliases in Source.objects.values_list("id", "name", "aliases"):
        for n in [name, *(aliases or [])]:
            if n:
                index.setdefault(name_key(n), pk)
    return index
