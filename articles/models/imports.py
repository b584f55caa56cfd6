from django.conf import settings
from django.db import models


class RunsInAProcess(models.Model):
    """Who runs the work, and when it last wrote: running work whose process is gone was interrupted."""

    host = models.CharField("主机", max_length=255, blank=True)
    pid = models.PositiveIntegerField("进程号", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)

    class Meta:
        abstract = True


class ImportBatch(RunsInAProcess):
    """One run of the importer (command, admin upload or background task)."""

    class State(models.TextChoices):
        PENDING = "pending", "等待"
        RUNNING = "running", "进行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"
        INTERRUPTED = "interrupted", "已中断"

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    origin = models.CharField("来源", max_length=20, default="command")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField("文件数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    counts = models.JSONField("统计", default=dict, blank=True)
    options = models.JSONField("选项", default=dict, blank=True)
    upload = models.FileField("上传文件", upload_to="imports/%Y/%m/", blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"导入 #{self.pk}（{self.get_state_display()}）"


class ImportChunk(RunsInAProcess):
    """A slice of a queued batch's inputs, imported by whichever task worker takes it.

    `claim` counts the takes: every write of the chunk checks it in its own transaction, so a worker
    whose chunk was taken again (it looked dead) can no longer write for it.
    """

    class State(models.TextChoices):
        PENDING = "pending", "等待"
        RUNNING = "running", "进行中"
        DONE = "done", "完成"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("序号")
    # Each input as [name, path, zip entry or null, position in the zip or null, size, refusal or null].
    inputs = models.JSONField("文件", default=list)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    processed = models.PositiveIntegerField("已处理", default=0)
    counts = models.JSONField("统计", default=dict, blank=True)
    claim = models.PositiveIntegerField("领取次数", default=0)

    class Meta:
        verbose_name = "导入分块"
        verbose_name_plural = "导入分块"
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="import_chunk_number_unique")]

    def __str__(self):
        return f"导入 #{self.batch_id} 第 {self.number} 块（{self.get_state_display()}）"


class ImportRecord(models.Model):
    """The ledger: one row per input file, written in the same transaction as its article."""

    class Result(models.TextChoices):
        NEW = "new", "新建"
        UPDATED = "updated", "更新"
        UNCHANGED = "unchanged", "未变"
        DUPLICATE = "duplicate", "重复"
        ERROR = "error", "错误"

    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="records")
    chunk = models.ForeignKey(ImportChunk, null=True, blank=True, on_delete=models.CASCADE, related_name="records")
    file_name = models.CharField("文件", max_length=1000)
    sha256 = models.CharField(max_length=64, db_index=True, blank=True)
    status = models.CharField("结果", max_length=10, choices=Result.choices)
    error = models.TextField("错误", blank=True)
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="import_records")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.file_name}: {self.status}"
