"""The editors' article desk: list, filters, change form with provenance, workflow actions, preview."""
from __future__ import annotations

import zipfile

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from openpyxl.utils.exceptions import InvalidFileException
from simple_history.admin import SimpleHistoryAdmin
from tablib.exceptions import TablibException

from articles.ingest.script import to_simplified, to_traditional
from articles.models import Article, Status
from articles.resources import EXPORT_FORMATS, IMPORT_FORMATS, ArticleResource
from articles.search import CANDIDATE_LIMIT, search
from articles.search.query import SearchFilters
from articles.services import workflow
from articles.services.table_imports import table_import_in_background, table_preview_enqueue
from articles.services.uploads import upload_display_name

from . import actions, desk
from .filters import AttentionFilter, CityFilter, DuplicateFilter, ProvinceFilter, SourceFilter, TagFilter
from .reasons import warning_label
from .forms import ArticleForm, IdsOnlyAutocomplete, TagAutocomplete
from .history import ChineseHistoryHelper


@admin.register(Article)
class ArticleAdmin(IdsOnlyAutocomplete, ImportExportMixin, SimpleHistoryAdmin):
    form = ArticleForm
    resource_classes = [ArticleResource]
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_template_name = "admin/articles/article/import.html"  # says what each column means
    list_display = ("title", "source", "published_display", "status", "region_list", "tag_list", "warning_flag")
    list_display_links = ("title",)
    list_filter = ("status", ProvinceFilter, CityFilter, TagFilter, SourceFilter, "published_at", "language",
                   "has_warnings", DuplicateFilter, AttentionFilter)
    list_select_related = ("source",)
    search_fields = ("title", "source__name")  # the search box itself goes through articles.search (below)
    date_hierarchy = "published_at"
    autocomplete_fields = ("source", "regions", "duplicate_of")
    list_per_page = 50
    readonly_fields = ("raw_text", "file_label", "raw_sha256", "encoding", "fingerprint", "extraction_notes",
                       "warning_list", "created_at", "updated_at", "edited_list", "preview_link", "status_log")
    fieldsets = (
        (None, {"fields": ("version", "title", "preview_link", "body", "summary")}),
        ("出处", {"fields": ("source", ("published_at", "date_only"), "authors", "editors", "views", "url",
                              "language")}),
        ("分类", {"fields": ("regions", "tags")}),
        ("发布", {"fields": ("status", "publish_at", "status_log"),
                  "description": "编辑可保存草稿、提交审核；发布、定时、撤回和归档需要“审核”组的发布权限。"}),
        ("导入来源（只读）", {"classes": ("collapse",), "fields": (
            "warning_list", "extraction_notes", "file_label", "raw_sha256", "encoding", "fingerprint", "duplicate_of",
            "edited_list", "created_at", "updated_at", "raw_text")}),
    )
    actions = [actions.submit_for_review, actions.publish, actions.unpublish, actions.archive,
               actions.add_tags, actions.remove_tags, actions.add_regions, actions.set_regions, actions.set_source,
               actions.reprocess_selected]

    @admin.display(description="文件")
    def file_label(self, article):
        return upload_display_name(article.file_name) or "—"  # never the server's upload folder

    def import_action(self, request, **kwargs):
        """A long table is previewed and imported by the worker (progress on its batch page), not in the request."""
        form = self.create_import_form(request) if request.method == "POST" else None
        if form is not None and self.has_import_permission(request) and form.is_valid():
            dataset = self._uploaded_table(form)
            if dataset is not None and table_import_in_background(len(dataset)):
                batch = table_preview_enqueue(dataset=dataset, user=request.user,
                                              file_name=form.cleaned_data["import_file"].name)
                self.message_user(request, f"共 {len(dataset)} 行，正在后台预览；"
                                           "本页显示进度，预览完成后在这里确认导入。")
                return redirect("admin:articles_importbatch_change", batch.pk)
        return super().import_action(request, **kwargs)

    def _uploaded_table(self, form):
        """The uploaded table, or None when it cannot be read (import-export's own view then says why)."""
        upload = form.cleaned_data["import_file"]
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        data = b"".join(upload.chunks())
        upload.seek(0)  # import-export reads it again for a short table
        try:
            if not input_format.is_binary():
                data = data.decode(self.from_encoding)
            return input_format.create_dataset(data)
        except (ValueError, KeyError, UnicodeError, zipfile.BadZipFile, TablibException, InvalidFileException):
            return None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return RequestForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocomplete(self.admin_site)
        if db_field.get_internal_type() == "URLField":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions__parent", "tags")

    def get_search_results(self, request, queryset, search_term):
        """The site's search backend (segmented, 黨建 = 党建, ranked), drafts included; plus title and source
        substrings in either script, ranked after the backend's hits."""
        term = search_term.strip()
        if not term:
            return queryset, False
        hits = search(term, filters=SearchFilters(public_only=False), limit=CANDIDATE_LIMIT)
        cond = Q(pk__in=hits.ids)
        for variant in {term, to_simplified(term), to_traditional(term)}:
            cond |= Q(title__icontains=variant) | Q(source__name__icontains=variant)
        rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(hits.ids)],
                    default=Value(len(hits.ids)), output_field=IntegerField())
        queryset = queryset.filter(cond)
        if ORDER_VAR in request.GET:  # the editor sorted by a column
            return queryset, False
        return queryset.annotate(search_rank=rank).order_by("search_rank", *queryset.query.order_by), False

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in ("import_records__batch__id__exact", "duplicate_of__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="发布时间", ordering="published_at")
    def published_display(self, obj):
        if not obj.published_at:
            return "—"
        local = timezone.localtime(obj.published_at)
        return local.strftime("%Y-%m-%d") if obj.date_only else local.strftime("%Y-%m-%d %H:%M")

    @admin.display(description="地区")
    def region_list(self, obj):
        return "、".join(str(r) for r in obj.regions.all()) or "—"

    @admin.display(description="标签")
    def tag_list(self, obj):
        names = [t.name for t in obj.tags.all()]
        shown = "，".join(names[:4])
        return f"{shown} 等 {len(names)} 个" if len(names) > 4 else (shown or "—")

    @admin.display(description="警告", ordering="has_warnings")
    def warning_flag(self, obj):
        """How many warnings, each named on hover; "—" for none (a ✓ for "no warning" under 警告 read as one)."""
        if not obj.warnings:
            return "—"
        return format_html('<span title="{}">{} 条</span>', "；".join(warning_label(w) for w in obj.warnings),
                           len(obj.warnings))

    @admin.display(description="警告")
    def warning_list(self, obj):
        return format_html_join("", "<div>{}</div>", ((warning_label(w),) for w in obj.warnings)) or "—"

    @admin.display(description="人工修改的字段")
    def edited_list(self, obj):
        names = [str(Article._meta.get_field(f).verbose_name) for f in obj.edited_fields]
        return "、".join(names) + "（重新抽取和重新导入不会覆盖）" if names else "—"

    def changelist_view(self, request, extra_context=None):
        """A 需要处理 list says what its reason means and what to do."""
        reason = AttentionFilter.CHOICES.get(request.GET.get(AttentionFilter.parameter_name, ""))
        if reason:
            extra_context = {**(extra_context or {}), "subtitle": f"{reason[0]}：{reason[2]}"}
        return super().changelist_view(request, extra_context)

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
        label = dict(Status.choices)
        return format_html_join("", "<div>{} {} → {}（{}）{}</div>", (
            (timezone.localtime(c.at).strftime("%Y-%m-%d %H:%M"), label.get(c.from_status, "—"),
             label.get(c.to_status, c.to_status), c.user or "系统", c.note)
            for c in rows)) or "—"

    def has_change_permission(self, request, obj=None):
        """A published (or scheduled) article is read-only to anyone who may not publish."""
        if obj is not None and obj.pk and not workflow.can_edit(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if workflow.may_publish(request.user) else (*fields, "publish_at")

    def save_model(self, request, obj, form, change):
        if change and not form.changed_fields:
            return  # a no-op save writes nothing: no history row, nothing marked edited
        workflow.article_save_edit(article=obj, user=request.user, changed=form.changed_fields)

    def get_historical_record_context_helper(self, request, historical_record):
        return ChineseHistoryHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A revert is an edit of the article as it is now: the same permission as its change form."""
        if request.method == "POST":
            current = get_object_or_404(Article, pk=object_id)
            if self.revert_disabled(request, current) or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="articles_article_preview"),
            path("<int:pk>/compare/", view(lambda r, pk: desk.compare_view(self, r, pk)),
                 name="articles_article_compare"),
            path("attention/", view(lambda r: desk.attention_view(self, r)), name="articles_article_attention"),
            path("tags/autocomplete/", view(lambda r: desk.tag_autocomplete_view(self, r)),
                 name="articles_article_tag_autocomplete"),
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
