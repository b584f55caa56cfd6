"""Public site views: thin, reads go through articles.selectors_site and the search package."""
from .lists import (
    archive_index,
    archive_month,
    archive_year,
    article_list,
    region_detail,
    region_index,
    source_detail,
    tag_detail,
    tag_index,
)
from .pages import about, article_detail, home, robots_txt, share_qr
from .script import set_script
from .search import search

__all__ = [
    "about", "archive_index", "archive_month", "archive_year", "article_detail", "article_list", "home",
    "region_detail", "region_index", "robots_txt", "search", "set_script", "share_qr", "source_detail",
    "tag_detail", "tag_index",
]
