from django.contrib import admin
from django.db.models import Count
from import_export.admin import ImportExportMixin

from articles.models import Region, RegionAlias
from articles.resources import EXPORT_FORMATS, IMPORT_FORMATS, RegionResource


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    fields = ("name", "short_name")
    extra = 0


@admin.register(Region)
class RegionAdmin(ImportExportMixin, admin.ModelAdmin):
    """Shown as 省 › 市; the table comes from NBS data, so editors only read it."""

    resource_classes = [RegionResource]
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    list_display = ("__str__", "code", "short_name", "level", "article_count")
    list_filter = ("level",)
    search_fields = ("name", "short_name", "code", "parent__name", "aliases__name")
    list_select_related = ("parent",)
    inlines = [RegionAliasInline]
    ordering = ("code",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def get_search_results(self, request, queryset, search_term):
        results, distinct = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # The list's 省份 / 城市 filters ask for one level, and for the chosen province's cities.
            level, parent = request.GET.get("level"), request.GET.get("parent", "")
            if level in Region.Level.values:
                results = results.filter(level=level)
            if parent.isdigit():
                results = results.filter(parent_id=parent)
        return results, True

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count
