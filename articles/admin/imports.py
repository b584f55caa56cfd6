"""Import batches: upload files or a zip, follow the background preview, confirm, follow the background import."""
from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import ImportBatch, ImportRecord, PreviewRow, Status, UploadPreview
from articles.services.articles import articles_reprocess
from articles.services.batches import BatchNotResumable, import_batch_enqueue_resume, import_batches_mark_interrupted
from articles.services.table_imports import table_import_confirm, table_import_discard
from articles.services.uploads import UploadNames, upload_create, upload_discard, upload_files_delete
from articles.services.workflow import can_set_status

from .reasons import reason_label, warnings_label

ROWS_PER_PAGE = 100
RESULT_LABELS = dict(ImportRecord.Result.choices)
ORIGIN_LABELS = {"command": "命令行", "upload": "上传", "table": "表格导入"}
COUNT_ORDER = [*ImportRecord.Result.values, "skipped"]
COUNT_LABELS = {**RESULT_LABELS, "skipped": "跳过的非页面文件"}


def counts_text(counts: dict) -> str:
    """{"new": 3, "error": 1} as 新建 3，错误 1 (known results first, in their usual order)."""
    keys = [k for k in COUNT_ORDER if counts.get(k)] + sorted(k for k in counts if k not in COUNT_ORDER and counts[k])
    return "，".join(f"{COUNT_LABELS.get(k, k)} {counts[k]}" for k in keys) or "—"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.zip"}))
        kwargs.setdefault("allow_empty_file", True)  # an empty file is one row of the preview, not a refusal
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(d, initial) for d in data] if isinstance(data, (list, tuple)) else [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label="文件", help_text="页面文本（.txt、.html）或 .zip 压缩包，可多选。")
    status = forms.ChoiceField(label="新文章状态", choices=Status.choices, initial=Status.DRAFT)
    source = forms.CharField(label="指定来源", required=False, help_text="留空则按页面识别。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in Status.choices
                                         if v != Status.ARCHIVED and can_set_status(user, v)]


def reprocess_selected(modeladmin, request, queryset):
    """Admin action: re-run extraction on the stored raw text, keeping editors' changes."""
    seen, changed = articles_reprocess(queryset=queryset, user=request.user)
    modeladmin.message_user(request, f"已重新抽取 {seen} 篇，其中 {changed} 篇有变化（编辑改过的字段保持不变）。")


reprocess_selected.short_description = "重新抽取所选文章"
reprocess_selected.allowed_permissions = ("change",)


@admin.action(description="继续导入所选的中断批次", permissions=["resume"])
def resume_selected(modeladmin, request, queryset):
    """Admin action: finish interrupted batches in the background (files already recorded are kept)."""
    for batch in queryset:
        try:
            import_batch_enqueue_resume(batch=batch)
        except BatchNotResumable as exc:
            modeladmin.message_user(request, str(exc), messages.WARNING)
        else:
            modeladmin.message_user(request, f"导入 #{batch.pk} 已在后台继续。", messages.SUCCESS)


@dataclass
class RecordRow:
    """One ledger row as an editor sees it: the file's own name, the result in Chinese, the reason."""

    position: int
    file: str
    result: str
    reason: str
    article: object


def _filters(counts: dict, current: str, total: int) -> list[tuple[str, str, bool]]:
    return [("", f"全部 {total}", current == "")] + [
        (key, f"{label} {counts[key]}", current == key) for key, label in RESULT_LABELS.items() if counts.get(key)]


def _result_param(request) -> str:
    result = request.GET.get("result", "")
    return result if result in RESULT_LABELS else ""


class OriginFilter(admin.SimpleListFilter):
    title = "导入方式"
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        origins = ImportBatch.objects.order_by("origin").values_list("origin", flat=True).distinct()
        return [(origin, ORIGIN_LABELS.get(origin, origin)) for origin in origins]

    def queryset(self, request, queryset):
        return queryset.filter(origin=self.value()) if self.value() else queryset


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at", "created_by_name", "origin_label", "state", "progress", "counts_label")
    list_filter = ("state", OriginFilter)
    list_select_related = ("created_by",)
    fields = ("created_at", "finished_at", "created_by_name", "origin_label", "state", "progress", "counts_label",
              "options_label", "error_label", "articles_link")
    readonly_fields = fields
    actions = [resume_selected]
    change_form_template = "admin/articles/importbatch/change_form.html"
    change_list_template = "admin/articles/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False  # batches are made by uploading

    def has_change_permission(self, request, obj=None):
        return False

    def has_resume_permission(self, request):
        return request.user.has_perm("articles.add_importbatch")

    def changelist_view(self, request, extra_context=None):
        import_batches_mark_interrupted()  # a batch whose process is gone shows as interrupted, ready to resume
        return super().changelist_view(request, extra_context)

    def delete_model(self, request, obj):
        upload_files_delete(batch=obj)  # the storage does not follow a deleted row
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for batch in queryset:
            upload_files_delete(batch=batch)
        super().delete_queryset(request, queryset)

    @admin.display(description="创建人")
    def created_by_name(self, batch):
        return batch.created_by.get_username() if batch.created_by_id else "—"

    @admin.display(description="导入方式")
    def origin_label(self, batch):
        return ORIGIN_LABELS.get(batch.origin, batch.origin)

    @admin.display(description="进度")
    def progress(self, batch):
        return f"{batch.processed}/{batch.total}"

    @admin.display(description="统计")
    def counts_label(self, batch):
        return counts_text(batch.counts or {})

    @admin.display(description="选项")
    def options_label(self, batch):
        options = batch.options or {}
        if batch.origin == "table":
            return f"文件：{options.get('file') or '—'}"
        status = options.get("status")
        parts = [f"新文章状态：{Status(status).label if status in Status.values else '草稿'}",
                 f"来源：{options.get('source') or '按页面识别'}"]
        return "；".join(parts)

    @admin.display(description="错误")
    def error_label(self, batch):
        return UploadNames.for_batch(batch).text(batch.error) if batch.error else "—"

    @admin.display(description="导入的文章")
    def articles_link(self, batch):
        if batch.origin == "table":
            return "—"  # a table's rows name their articles by id; the ledger is for page files
        url = reverse("admin:articles_article_changelist") + f"?import_records__batch__id__exact={batch.pk}"
        return format_html('<a href="{}">查看本批次的文章</a>', url)

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_importbatch_upload"),
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view),
                 name="articles_importbatch_confirm"),
            path("<int:pk>/table/", self.admin_site.admin_view(self.table_confirm_view),
                 name="articles_importbatch_table_confirm"),
        ] + super().get_urls()

    def _check(self, request):
        if not request.user.has_perm("articles.add_importbatch"):
            raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = ImportBatch.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        waiting = batch is not None and batch.state == ImportBatch.State.PENDING
        confirmed = waiting and bool(batch.options.get("confirmed"))
        preview = UploadPreview.objects.filter(batch=batch).first() if waiting and not confirmed else None
        extra_context = {**(extra_context or {}), "preview": preview, "refresh": confirmed}
        if batch is not None and batch.origin == "table":  # a table: previewed, then imported, by the worker
            phase = batch.options.get("phase", "import")
            extra_context.update(table_phase=phase, refresh=waiting and phase != "previewed",
                                 table_counts=counts_text(batch.counts or {}),
                                 may_confirm=batch.created_by_id == request.user.pk)
            preview = None
        if batch is not None:
            extra_context.update(self._record_rows(request, batch))
        return super().change_view(request, object_id, form_url, extra_context)

    def upload_view(self, request):
        self._check(request)
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "上传导入", "form": form}
        if request.method == "POST" and form.is_valid():
            from articles.tasks_uploads import preview_upload

            batch = upload_create(user=request.user, files=form.cleaned_data["files"],
                                  status=form.cleaned_data["status"], source=form.cleaned_data["source"])
            preview_upload.enqueue(batch.pk)  # parsing happens in the worker, never in this request
            return HttpResponseRedirect(reverse("admin:articles_importbatch_confirm", args=[batch.pk]))
        return TemplateResponse(request, "admin/articles/import_upload.html", context)

    def confirm_view(self, request, pk):
        self._check(request)
        batch = get_object_or_404(ImportBatch, pk=pk, created_by=request.user)
        if batch.state != ImportBatch.State.PENDING or batch.options.get("confirmed"):
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        preview = UploadPreview.objects.filter(batch=batch).first()
        if request.method == "POST":
            if "cancel" in request.POST:
                upload_discard(batch=batch)
                self.message_user(request, "已取消导入，上传的文件已删除。")
                return HttpResponseRedirect(reverse("admin:articles_importbatch_changelist"))
            if "restart" in request.POST and preview is not None and (
                    preview.stalled or preview.state == UploadPreview.State.FAILED):
                from articles.tasks_uploads import preview_upload

                UploadPreview.objects.filter(pk=preview.pk).update(state=UploadPreview.State.QUEUED, processed=0,
                                                                   counts={}, error="")
                preview_upload.enqueue(batch.pk)
                return HttpResponseRedirect(request.path)
            if preview is None or preview.state != UploadPreview.State.DONE:
                self.message_user(request, "预览尚未完成，完成后才能确认导入。", messages.WARNING)
                return HttpResponseRedirect(request.path)
            from articles.tasks_uploads import import_upload

            batch.options = {**batch.options, "confirmed": True}  # no longer an abandoned upload
            batch.save(update_fields=["options"])
            import_upload.enqueue(batch.pk)
            self.message_user(request, "导入已开始，在后台进行。", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "导入预览",
            "batch": batch, "preview": preview, "status_label": Status(batch.options["status"]).label,
            "source": batch.options.get("source") or "",
        }
        if preview is not None and preview.state == UploadPreview.State.DONE:
            context.update(self._preview_rows(request, batch, preview))
        elif preview is not None:
            context["counts"] = counts_text(preview.counts)
        return TemplateResponse(request, "admin/articles/import_preview.html", context)

    def table_confirm_view(self, request, pk):
        """Confirm (or cancel) the import of a table the worker has previewed."""
        self._check(request)
        batch = get_object_or_404(ImportBatch, pk=pk, origin="table", created_by=request.user)
        page = reverse("admin:articles_importbatch_change", args=[batch.pk])
        if request.method != "POST" or batch.state != ImportBatch.State.PENDING \
                or batch.options.get("phase") != "previewed":
            return HttpResponseRedirect(page)
        if "cancel" in request.POST:
            table_import_discard(batch=batch)
            self.message_user(request, "已取消导入，上传的表格已删除。")
            return HttpResponseRedirect(reverse("admin:articles_article_import"))
        table_import_confirm(batch=batch)
        self.message_user(request, "导入已开始，在后台进行；本页显示进度。", messages.SUCCESS)
        return HttpResponseRedirect(page)

    def _preview_rows(self, request, batch, preview) -> dict:
        """One page of the preview's rows, all or those of one result (?result=error)."""
        result = _result_param(request)
        rows = PreviewRow.objects.filter(batch=batch)
        if result:
            rows = rows.filter(result=result)
        page = Paginator(rows.order_by("position"), ROWS_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        for row in page.object_list:
            row.reason_text, row.warnings_text = reason_label(row.reason), warnings_label(row.warnings)
        return {"page": page, "result": result, "filters": _filters(preview.counts, result, preview.processed),
                "counts": counts_text(preview.counts)}

    def _record_rows(self, request, batch) -> dict:
        """One page of the batch's ledger (ImportRecord), with names and reasons an editor may see."""
        result = _result_param(request)
        # Stored names keep the upload's order (00001.zip/..., 00002.txt) as paths keep a folder's.
        records = batch.records.select_related("article").order_by("file_name", "id")
        if result:
            records = records.filter(status=result)
        page = Paginator(records, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        names = UploadNames.for_batch(batch)
        start = page.start_index() if page.paginator.count else 0
        page.object_list = [
            RecordRow(start + i, names.display(r.file_name), r.get_status_display(),
                      reason_label(names.text(r.error, r.file_name)) if r.error else "", r.article)
            for i, r in enumerate(page.object_list)]
        counts = {k: v for k, v in (batch.counts or {}).items() if k in RESULT_LABELS}
        return {"records": page, "result": result, "filters": _filters(counts, result, sum(counts.values()))}
