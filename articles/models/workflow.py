from django.conf import settings
from django.db import models


class StatusChange(models.Model):
    """Who moved an article from one status to another, and when."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.article_id}: {self.from_status or '—'} → {self.to_status}"
