"""Import batches: upload files or a zip, preview the dry run, confirm, follow the background import."""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import ImportBatch, ImportRecord, Status
from articles.services.articles import articles_reprocess
from articles.services.batches import BatchNotResumable, import_batch_enqueue_resume, import_batches_mark_interrupted
from articles.services.imports import ingest_paths
from articles.services.workflow import can_set_status

PREVIEW_LIMIT = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.zip"}))
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


class ImportRecordInline(admin.TabularInline):
    model = ImportRecord
    fields = ("file_name", "status", "article_link", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="文章")
    def article_link(self, record):
        if not record.article_id:
            return "—"
        url = reverse("admin:articles_article_change", args=[record.article_id])
        return format_html('<a href="{}">{}</a>', url, record.article or record.article_id)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at", "created_by", "origin", "state", "progress", "counts")
    list_filter = ("state", "origin")
    readonly_fields = ("created_at", "finished_at", "created_by", "origin", "state", "total", "processed", "counts",
                       "options", "error", "articles_link")
    exclude = ("upload",)
    inlines = [ImportRecordInline]
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

    @admin.display(description="进度")
    def progress(self, batch):
        return f"{batch.processed}/{batch.total}"

    @admin.display(description="导入的文章")
    def articles_link(self, batch):
        url = reverse("admin:articles_article_changelist") + f"?import_records__batch__id__exact={batch.pk}"
        return format_html('<a href="{}">查看本批次的文章</a>', url)

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_importbatch_upload"),
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view), name="articles_importbatch_confirm"),
        ] + super().get_urls()

    def _check(self, request):
        if not request.user.has_perm("articles.add_importbatch"):
            raise PermissionDenied

    def upload_view(self, request):
        self._check(request)
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "上传导入", "form": form}
        if request.method == "POST" and form.is_valid():
            batch = ImportBatch.objects.create(origin="upload", created_by=request.user, options={
                "status": form.cleaned_data["status"], "source": form.cleaned_data["source"].strip()})
            folder = Path(settings.MEDIA_ROOT) / "imports" / f"{batch.pk}-{uuid.uuid4().hex[:8]}"
            folder.mkdir(parents=True)
            for upload in form.cleaned_data["files"]:
                name = Path(upload.name).name or "upload.txt"
                with (folder / name).open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
            batch.options = {**batch.options, "folder": str(folder)}
            batch.save(update_fields=["options"])
            return HttpResponseRedirect(reverse("admin:articles_importbatch_confirm", args=[batch.pk]))
        return TemplateResponse(request, "admin/articles/import_upload.html", context)

    def confirm_view(self, request, pk):
        self._check(request)
        batch = get_object_or_404(ImportBatch, pk=pk, created_by=request.user)
        if batch.state != ImportBatch.State.PENDING:
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        if request.method == "POST":
            if "cancel" in request.POST:
                shutil.rmtree(batch.options.get("folder", ""), ignore_errors=True)
                batch.delete()
                self.message_user(request, "已取消导入。")
                return HttpResponseRedirect(reverse("admin:articles_importbatch_changelist"))
            from articles.tasks import import_batch

            import_batch.enqueue(batch.pk)
            self.message_user(request, "导入已开始，在后台进行。", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        outcomes = []
        summary = ingest_paths(paths=[batch.options["folder"]], status=batch.options["status"], dry_run=True,
                               user=request.user, on_file=outcomes.append)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "导入预览",
            "batch": batch, "summary": summary, "counts": sorted(summary.counts.items()),
            "outcomes": outcomes[:PREVIEW_LIMIT],
            "more": max(0, len(outcomes) - PREVIEW_LIMIT), "status_label": Status(batch.options["status"]).label,
        }
        return TemplateResponse(request, "admin/articles/import_preview.html", context)
