from django.db import models
from taggit.models import Tag


class TagSynonym(models.Model):
    """Another name for a tag: imports map 党的建设 to 党建 once an editor says so."""

    name = models.CharField("同义词", max_length=100, unique=True)
    tag = models.ForeignKey(Tag, verbose_name="标准标签", on_delete=models.CASCADE, related_name="synonyms")

    class Meta:
        verbose_name = "标签同义词"
        verbose_name_plural = "标签同义词"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.tag.name}"
