from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "稿库 Gaoku"
admin.site.site_title = "稿库"
admin.site.index_title = "编辑台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
