from django.urls import path

from . import views
from .feeds import LatestFeed, RegionFeed, SourceFeed, TagFeed, atom

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/qr.svg", views.share_qr, name="share_qr"),
    path("tags/", views.tag_index, name="tag_index"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("tags/<str:slug>/feed/", TagFeed(), name="tag_feed"),
    path("tags/<str:slug>/feed/atom/", atom(TagFeed)(), name="tag_feed_atom"),
    path("regions/", views.region_index, name="region_index"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("regions/<str:code>/feed/", RegionFeed(), name="region_feed"),
    path("regions/<str:code>/feed/atom/", atom(RegionFeed)(), name="region_feed_atom"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
    path("sources/<str:slug>/feed/", SourceFeed(), name="source_feed"),
    path("sources/<str:slug>/feed/atom/", atom(SourceFeed)(), name="source_feed_atom"),
    path("archive/", views.archive_index, name="archive"),
    path("about/", views.about, name="about"),
    path("archive/<int:year>/", views.archive_year, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
    path("search/", views.search, name="search"),
    path("script/", views.set_script, name="set_script"),
    path("feed/", LatestFeed(), name="feed"),
    path("feed/atom/", atom(LatestFeed)(), name="feed_atom"),
]
