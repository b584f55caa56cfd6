"""Fields read from labelled lines: source, authors, editors, views, url. Each returns (value, rule)."""
from .counters import url, views
from .lines import credit_lines, header_lines
from .people import authors, dateline_reporters, editors
from .source import clean_source, source

__all__ = ["authors", "clean_source", "credit_lines", "dateline_reporters", "editors",
           "header_lines", "source", "url", "views"]
