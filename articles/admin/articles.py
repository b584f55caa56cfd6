"""The editors' article desk: list, filters, change form with provenance, workflow actions, preview."""
from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, Status
from articles.resources import EXPORT_FORMATS, IMPORT_FORMATS, ArticleResource
from articles.services import workflow
from articles.services.uploads import upload_display_name

from . import actions, desk
from .filters import AttentionFilter, CityFilter, DuplicateFilter, ProvinceFilter, TagFilter
from .imports import reprocess_selected

# Fields an editor corrects; reprocess leaves them alone once changed by hand.
EDITABLE_FIELDS = {"title", "body", "summary", "published_at", "date_only", "source", "authors", "editors", "views",
                   "url", "language", "regions", "tags"}


class NamesField(forms.CharField):
    """A list of names typed as 付文科、赵珊 (、，, or spaces between them)."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else (value or "")

    def to_python(self, value):
        return [n for n in re.split(r"[、，,;；\s]+", super().to_python(value) or "") if n.strip("[]\"'")]


class ArticleForm(forms.ModelForm):
    authors = NamesField(label="作者", required=False, help_text="多个名字用顿号（、）或逗号分隔。")
    editors = NamesField(label="编辑", required=False, help_text="多个名字用顿号（、）或逗号分隔。")

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "gaoku-body"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(attrs={"class": "vLargeTextField"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "status" in self.fields:
            current = self.instance.status if self.instance.pk else None
            self.fields["status"].choices = [
                (v, label) for v, label in Status.choices
                if v == current or workflow.can_set_status(user, v, current)
            ]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        current = self.instance.status if self.instance.pk else None
        if status and status != current and not workflow.can_set_status(self.user, status, current):
            raise ValidationError("没有发布权限：只能保存为草稿或提交审核。")
        if cleaned.get("publish_at") and not self.user.has_perm(workflow.PUBLISH_PERMISSION):
            if "publish_at" in self.changed_data:
                raise ValidationError("没有发布权限：不能定时发布。")
        return cleaned


@admin.register(Article)
class ArticleAdmin(ImportExportMixin, SimpleHistoryAdmin):
    form = ArticleForm
    resource_classes = [ArticleResource]
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    list_display = ("title", "source", "published_display", "status", "region_list", "tag_list", "warning_flag")
    list_display_links = ("title",)
    list_filter = ("status", ProvinceFilter, CityFilter, TagFilter, "source", "published_at", "language",
                   "has_warnings", DuplicateFilter, AttentionFilter)
    list_select_related = ("source",)
    search_fields = ("title", "source__name", "body")
    date_hierarchy = "published_at"
    autocomplete_fields = ("source", "regions", "duplicate_of")
    list_per_page = 50
    readonly_fields = ("raw_text", "file_label", "raw_sha256", "encoding", "fingerprint", "extraction_notes",
                       "warnings", "created_at", "updated_at", "edited_fields", "preview_link", "status_log")
    fieldsets = (
        (None, {"fields": ("title", "preview_link", "body", "summary")}),
        ("出处", {"fields": ("source", ("published_at", "date_only"), "authors", "editors", "views", "url",
                              "language")}),
        ("分类", {"fields": ("regions", "tags")}),
        ("发布", {"fields": ("status", "publish_at", "status_log"),
                  "description": "编辑可保存草稿、提交审核；发布、定时、撤回和归档需要“审核”组的发布权限。"}),
        ("导入来源（只读）", {"classes": ("collapse",), "fields": (
            "warnings", "extraction_notes", "file_label", "raw_sha256", "encoding", "fingerprint", "duplicate_of",
            "edited_fields", "created_at", "updated_at", "raw_text")}),
    )
    actions = [actions.submit_for_review, actions.publish, actions.unpublish, actions.archive,
               actions.add_tags, actions.remove_tags, actions.add_regions, actions.set_regions, actions.set_source,
               reprocess_selected]

    class Media:
        css = {"all": ("admin-gaoku/desk.css",)}

    @admin.display(description="文件")
    def file_label(self, article):
        return upload_display_name(article.file_name) or "—"  # never the server's upload folder

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return RequestForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.get_internal_type() == "URLField":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions__parent", "tags")

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in ("import_records__batch__id__exact", "duplicate_of__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="发布时间", ordering="published_at")
    def published_display(self, obj):
        if not obj.published_at:
            return "—"
        from django.utils import timezone

        local = timezone.localtime(obj.published_at)
        return local.strftime("%Y-%m-%d") if obj.date_only else local.strftime("%Y-%m-%d %H:%M")

    @admin.display(description="地区")
    def region_list(self, obj):
        return "、".join(str(r) for r in obj.regions.all()) or "—"

    @admin.display(description="标签")
    def tag_list(self, obj):
        return "，".join(t.name for t in obj.tags.all()) or "—"

    @admin.display(description="警告", boolean=True, ordering="has_warnings")
    def warning_flag(self, obj):
        return not obj.has_warnings

    @admin.display(description="抽取规则")
    def extraction_notes(self, obj):
        rules = (obj.extraction or {}).get("rules", {})
        return format_html_join("", "<div><code>{}</code>：{}</div>", sorted(rules.items())) or "—"

    @admin.display(description="预览")
    def preview_link(self, obj):
        if not obj.pk:
            return "保存后可预览"
        links = format_html('<a href="{}" target="_blank" rel="noopener">预览（读者看到的样子）</a>',
                            reverse("admin:articles_article_preview", args=[obj.pk]))
        if obj.duplicate_of_id:
            links += format_html(' · <a href="{}">与原稿 #{} 对照</a>',
                                 reverse("admin:articles_article_compare", args=[obj.pk]), obj.duplicate_of_id)
        return links

    @admin.display(description="状态记录")
    def status_log(self, obj):
        if not obj.pk:
            return "—"
        rows = obj.status_changes.select_related("user")[:10]
        return format_html_join("", "<div>{} {} → {}（{}）{}</div>", (
            (c.at.strftime("%Y-%m-%d %H:%M"), c.from_status or "—", c.to_status, c.user or "系统", c.note)
            for c in rows)) or "—"

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if change:
            edited = (set(form.changed_data) & EDITABLE_FIELDS) - set(obj.edited_fields)
            obj.edited_fields = sorted(set(obj.edited_fields) | edited)
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial.get("status", obj.status)
            super().save_model(request, obj, form, change)
            try:
                workflow.article_change_status(article=obj, status=new_status, user=request.user,
                                               publish_at=obj.publish_at)
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, str(exc))
        else:
            super().save_model(request, obj, form, change)
            if not change:
                workflow.record_creation(article=obj, user=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="articles_article_preview"),
            path("<int:pk>/compare/", view(lambda r, pk: desk.compare_view(self, r, pk)), name="articles_article_compare"),
            path("attention/", view(lambda r: desk.attention_view(self, r)), name="articles_article_attention"),
        ] + super().get_urls()

    def preview_view(self, request, pk):
        article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        context = {"article": article, "preview": True}
        try:
            from articles.views.pages import article_context
        except ImportError:
            pass
        else:
            context = {**article_context(request, article), "preview": True}
        return TemplateResponse(request, "articles/article_detail.html", context)

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        return kwargs
