from .articles import Article, ArticleQuerySet, Language, Status, TaggedArticle
from .imports import ImportBatch, ImportChunk, ImportRecord
from .regions import Region, RegionAlias
from .search import SearchDocument
from .sources import Source
from .tags import TagSynonym
from .uploads import PreviewRow, UploadedFile, UploadPreview
from .workflow import StatusChange

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ImportBatch",
    "ImportChunk",
    "ImportRecord",
    "Language",
    "PreviewRow",
    "Region",
    "RegionAlias",
    "SearchDocument",
    "Source",
    "Status",
    "StatusChange",
    "TagSynonym",
    "TaggedArticle",
    "UploadPreview",
    "UploadedFile",
]
