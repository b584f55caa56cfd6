"""What an editor uploaded for an import batch: the stored files and the background preview of them."""
from datetime import timedelta

from django.db import models
from django.utils import timezone

from .imports import ImportBatch, ImportRecord


def _upload_to(instance, filename):
    return f"imports/{instance.batch_id}/{filename}"


class UploadedFile(models.Model):
    """One uploaded file, kept in the default storage until its batch is done or abandoned.

    The stored name is made unique by the storage; `name` is the name the editor's file had.
    The row outlives the file (`file` empty once deleted) so the batch page still shows that name.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="uploaded_files")
    name = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to=_upload_to, max_length=500, blank=True)
    stored_name = models.CharField("存储名", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = "上传文件"
        ordering = ["id"]

    def __str__(self):
        return self.name


class UploadPreview(models.Model):
    """The dry run of an upload, made by a background task; the preview page follows its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "解析中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    batch = models.OneToOneField(ImportBatch, on_delete=models.CASCADE, primary_key=True, related_name="preview")
    state = models.CharField("预览状态", max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField("文件数", default=0)
    processed = models.PositiveIntegerField("已解析", default=0)
    counts = models.JSONField("统计", default=dict, blank=True)
    skipped = models.PositiveIntegerField("跳过的非页面文件", default=0)
    error = models.TextField("错误", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "上传预览"
        verbose_name_plural = "上传预览"

    # A running preview reports at least every second; one silent this long lost its worker.
    STALLED_AFTER = timedelta(minutes=5)

    def __str__(self):
        return f"预览 #{self.pk}（{self.get_state_display()} {self.processed}/{self.total}）"

    @property
    def stalled(self) -> bool:
        waiting = self.state in (self.State.QUEUED, self.State.RUNNING)
        return waiting and timezone.now() - self.updated_at > self.STALLED_AFTER


class PreviewRow(models.Model):
    """One input of an upload as the preview saw it: what importing it would do, and why."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="preview_rows")
    position = models.PositiveIntegerField("序号")
    file_name = models.CharField("文件", max_length=1000)
    result = models.CharField("结果", max_length=10, choices=ImportRecord.Result.choices)
    reason = models.TextField("原因", blank=True)
    title = models.CharField("标题", max_length=500, blank=True)
    published_at = models.DateTimeField("日期", null=True, blank=True)
    date_only = models.BooleanField(default=False)
    source = models.CharField("来源", max_length=200, blank=True)
    regions = models.CharField("地区", max_length=1000, blank=True)
    tags = models.CharField("标签", max_length=1000, blank=True)
    warnings = models.TextField("警告", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    duplicate_of = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="重复于")
    same_as = models.CharField("与本次上传中的文件相同或相近", max_length=1000, blank=True)

    class Meta:
        verbose_name = "预览行"
        verbose_name_plural = "预览行"
        ordering = ["position"]
        indexes = [models.Index(fields=["batch", "result", "position"], name="preview_row_result")]

    def __str__(self):
        return f"{self.file_name}: {self.get_result_display()}"
