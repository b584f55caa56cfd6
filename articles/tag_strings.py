"""Chinese-aware tag strings for django-taggit (TAGGIT_TAGS_FROM_STRING)."""
import re

# Full-width and ideographic commas, semicolons, ASCII commas and whitespace separate tags.
_SEPARATORS = re.compile(r"[，、,;；\s\u3000]+")


def parse_tags(tagstring: str) -> list[str]:
    """'基层党建，乡村振兴、党建 党建' -> ['乡村振兴', '党建', '基层党建'] (unique, sorted)."""
    if not tagstring:
        return []
    names = {n.strip().strip("\"'“”") for n in _SEPARATORS.split(tagstring)}
    return sorted(n for n in names if n)


def edit_string_for_tags(tags) -> str:
    return "，".join(sorted(t.name for t in tags))
