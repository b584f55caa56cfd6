from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import SITEMAPS
from articles.views import robots_txt

admin.site.site_header = "稿库 Gaoku"
admin.site.site_title = "稿库"
admin.site.index_title = "编辑台"

urlpatterns = [
    path("admin/", admin.site.urls),
    # An index of sections: the article section pages past 5,000 URLs (sitemap-articles.xml?p=2 ...).
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("articles.urls")),
]
