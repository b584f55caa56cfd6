from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
]
