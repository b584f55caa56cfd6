"""The editors' article desk: list, filters, change form with provenance, workflow actions, preview."""
from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.contrib.admin.views.main import ORDER_VAR
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, Status
from articles.ingest.script import to_simplified, to_traditional
from articles.models.tags import validate_tag_names
from articles.search import CANDIDATE_LIMIT, search
from articles.search.query import SearchFilters
from articles.resources import EXPORT_FORMATS, IMPORT_FORMATS, ArticleResource
from articles.services import workflow

from . import actions, desk
from .history import ChineseHistoryHelper
from .filters import AttentionFilter, CityFilter, DuplicateFilter, ProvinceFilter, TagFilter

class NamesField(forms.CharField):
    """A list of names typed as 付文科、赵珊 (、，, or spaces between them)."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else (value or "")

    def to_python(self, value):
        return [n for n in re.split(r"[、，,;；\s]+", super().to_python(value) or "") if n.strip("[]\"'")]


def version_of(article: Article) -> str:
    """The token a change form carries: the article's updated_at when the form was opened."""
    return article.updated_at.isoformat()


# What the conflict message names when someone else saved first.
CONFLICT_FIELDS = ("title", "summary", "body", "source", "published_at", "authors", "editors", "url", "status",
                   "publish_at")


class ArticleForm(forms.ModelForm):
    authors = NamesField(label="作者", required=False, help_text="多个名字用顿号（、）或逗号分隔。")
    editors = NamesField(label="编辑", required=False, help_text="多个名字用顿号（、）或逗号分隔。")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

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
        self.changed_fields: set[str] = set()
        # Judged against the row as it is now, not the instance the form shows (a history version, a stale page).
        self.stored = Article.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if self.stored is not None:
            self.fields["version"].initial = version_of(self.stored)
            self.fields["version"].required = True
            # Reverting to an old version restores its text, never its status or schedule.
            self.initial["status"], self.initial["publish_at"] = self.stored.status, self.stored.publish_at
        for name in ("published_at", "publish_at"):
            if name in self.fields:  # show (and keep) the seconds: a no-op save must not change the time
                self.fields[name].widget.widgets[1].format = "%H:%M:%S"
        if "status" in self.fields:
            current = self.stored.status if self.stored else None
            self.fields["status"].choices = [
                (v, label) for v, label in Status.choices
                if v == current or workflow.can_set_status(user, v, current)
            ]

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n")  # browsers post CRLF; paragraphs are "\n\n"

    def clean_summary(self):
        return self.cleaned_data["summary"].replace("\r\n", "\n")

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        validate_tag_names(names)
        return names

    def clean(self):
        cleaned = super().clean()
        if self.stored is not None:
            if cleaned.get("version") and cleaned["version"] != version_of(self.stored):
                self._conflict(cleaned["version"])
            self.changed_fields = self._changed_against_stored(cleaned)
        else:
            self.changed_fields = set(self.changed_data) - {"version"}
        status = cleaned.get("status", self.stored.status if self.stored else Status.DRAFT)
        publish_at = cleaned["publish_at"] if "publish_at" in self.fields else (
            self.stored.publish_at if self.stored else None)
        try:
            workflow.check_change(self.user, stored=self.stored, status=status, publish_at=publish_at,
                                  changed=self.changed_fields)
        except (PermissionDenied, ValidationError) as exc:
            raise ValidationError(exc.messages if isinstance(exc, ValidationError) else str(exc))
        return cleaned

    def _changed_against_stored(self, cleaned) -> set[str]:
        stored, changed = self.stored, set()
        for name, new in cleaned.items():
            if name == "version":
                continue
            if name == "tags":
                old, new = {n.lower() for n in stored.tags.names()}, {n.lower() for n in new}
            elif name == "regions":
                old, new = set(stored.regions.values_list("pk", flat=True)), {r.pk for r in new}
            elif isinstance(Article._meta.get_field(name), models.ForeignKey):
                old, new = getattr(stored, f"{name}_id"), getattr(new, "pk", None)
            else:
                old = getattr(stored, name)
                if isinstance(old, datetime) and new is not None and old.replace(microsecond=0) == new:
                    cleaned[name] = new = old  # the form shows whole seconds; keep the stored value
            if old != new:
                changed.add(name)
        return changed

    def _conflict(self, token: str) -> None:
        """Someone saved since this form was opened: say who, when and what, and do not overwrite."""
        stored = self.stored
        opened = Article.history.filter(id=stored.pk, updated_at=parse_datetime(token)).order_by("-history_id").first()
        last = Article.history.filter(id=stored.pk).order_by("-history_id").select_related("history_user").first()
        who = getattr(last, "history_user", None) or "导入程序"
        when = timezone.localtime(stored.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        fields = [Article._meta.get_field(f).verbose_name for f in CONFLICT_FIELDS
                  if opened is None or getattr(opened, f) != getattr(stored, f)]
        data = self.data.copy()
        data["version"] = version_of(stored)  # saving again, having seen this, overwrites deliberately
        self.data = data
        raise ValidationError(
            f"保存冲突：这篇文章在你打开之后已被 {who} 于 {when} 修改（{'、'.join(fields) or '标签或地区'}）。"
            f"你的修改尚未保存。现在的标题是“{stored.title}”。请在新窗口打开本文核对；"
            "确认要用你的版本覆盖时，再保存一次。")

    def _post_clean(self):
        super()._post_clean()
        if self.stored is not None:
            # Fields the form does not edit come from the stored row, not from a history version.
            for field in Article._meta.concrete_fields:
                if field.name not in self.fields and field.name != "updated_at":
                    setattr(self.instance, field.attname, getattr(self.stored, field.attname))


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
    search_fields = ("title", "source__name")  # the search box itself goes through articles.search (below)
    date_hierarchy = "published_at"
    autocomplete_fields = ("source", "regions", "duplicate_of")
    list_per_page = 50
    readonly_fields = ("raw_text", "file_name", "raw_sha256", "encoding", "fingerprint", "extraction_notes",
                       "warnings", "created_at", "updated_at", "edited_fields", "preview_link", "status_log")
    fieldsets = (
        (None, {"fields": ("version", "title", "preview_link", "body", "summary")}),
        ("出处", {"fields": ("source", ("published_at", "date_only"), "authors", "editors", "views", "url",
                              "language")}),
        ("分类", {"fields": ("regions", "tags")}),
        ("发布", {"fields": ("status", "publish_at", "status_log"),
                  "description": "编辑可保存草稿、提交审核；发布、定时、撤回和归档需要“审核”组的发布权限。"}),
        ("导入来源（只读）", {"classes": ("collapse",), "fields": (
            "warnings", "extraction_notes", "file_name", "raw_sha256", "encoding", "fingerprint", "duplicate_of",
            "edited_fields", "created_at", "updated_at", "raw_text")}),
    )
    actions = [actions.submit_for_review, actions.publish, actions.unpublish, actions.archive,
               actions.add_tags, actions.remove_tags, actions.add_regions, actions.set_regions, actions.set_source,
               actions.reprocess_selected]

    class Media:
        css = {"all": ("admin-gaoku/desk.css",)}

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
