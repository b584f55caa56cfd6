from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from import_export.admin import ImportExportMixin

from articles.models import Source, Status
from articles.resources import EXPORT_FORMATS, IMPORT_FORMATS, SourceResource
from articles.services import workflow
from articles.services.curation import source_merge


@admin.action(description="合并所选来源（保留文章最多的一个，其余名称成为别名）", permissions=["change"])
def merge_sources(modeladmin, request, queryset):
    sources = list(queryset.annotate(n=Count("articles")).order_by("-n", "pk"))
    if len(sources) < 2:
        modeladmin.message_user(request, "请至少选择两个来源。", messages.WARNING)
        return
    keep, others = sources[0], sources[1:]
    try:
        moved = source_merge(keep=keep, others=others, user=request.user)
    except PermissionDenied as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    modeladmin.message_user(request, f"已合并到“{keep.name}”，移动 {moved} 篇文章。", messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [SourceResource]
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    list_display = ("name", "alias_list", "homepage", "article_count")
    search_fields = ("name", "aliases", "slug")
    prepopulated_fields = {}
    actions = [merge_sources]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.get_internal_type() == "URLField":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def has_change_permission(self, request, obj=None):
        """Published articles show the source's name and link: changing it then needs 审核 (the workflow gate)."""
        if obj is not None and not workflow.may_publish(request.user) and obj.articles.filter(
                status=Status.PUBLISHED).exists():
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description="别名")
    def alias_list(self, obj):
        return "、".join(obj.aliases) or "—"
