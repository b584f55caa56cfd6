"""Admin for editors, one module per model; importing them registers them."""
from . import articles, imports, regions, sources, tags  # noqa: F401
