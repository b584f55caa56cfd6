from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from taggit.models import Tag

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


def validate_tag_names(names) -> None:
    """Tags must fit their column and have a slug that routes (a tag of only punctuation has none)."""
    long = [n for n in names if len(n) > TAG_MAX_LENGTH]
    if long:
        raise ValidationError(f"标签太长（最多 {TAG_MAX_LENGTH} 个字）：{long[0][:30]}…")
    unroutable = [n for n in names if not slugify(n, allow_unicode=True)]
    if unroutable:
        raise ValidationError(f"标签“{unroutable[0]}”没有文字或数字，不能作为标签。")


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
