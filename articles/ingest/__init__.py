"""Pure import core: bytes in, frozen dataclasses out. Imports nothing from Django.

Names are loaded lazily so that importing a light submodule (script, segment) does not
pull in the whole pipeline.
"""
from importlib import import_module

_EXPORTS = {
    "ArticleDraft": ".pipeline",
    "draft_to_record": ".pipeline",
    "parse": ".pipeline",
    "Gazetteer": ".regions",
    "IngestError": ".errors",
    "Vocabulary": ".tagging",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
