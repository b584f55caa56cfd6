"""Admin for editors, one module per model; importing them registers them."""
from django.contrib import admin

from . import articles, imports, regions, sources, tags  # noqa: F401

# The article list needs the width more than a second copy of the index's links.
admin.site.enable_nav_sidebar = False
