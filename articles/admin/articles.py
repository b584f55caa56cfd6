"""Admin registrations (filled in by its owner)."""
from django.contrib import admin

from articles.models import Article

admin.site.register(Article)
