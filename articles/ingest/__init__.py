"""Pure import core: bytes in, frozen dataclasses out. Imports nothing from Django."""
from .errors import IngestError
from .pipeline import ArticleDraft, draft_to_record, parse
from .regions import Gazetteer
from .tagging import Vocabulary

__all__ = ["ArticleDraft", "Gazetteer", "IngestError", "Vocabulary", "draft_to_record", "parse"]
