"""Admin registrations (filled in by its owner)."""
from django.contrib import admin

from articles.models import Source

admin.site.register(Source)
