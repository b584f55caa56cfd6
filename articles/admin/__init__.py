from django.contrib import admin

from articles.models import Article, Region, Source

admin.site.register(Article)
admin.site.register(Region)
admin.site.register(Source)
