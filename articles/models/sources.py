from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from articles.ingest.script import to_simplified

# Links readers may follow: http(s) only, never javascript: or data:.
http_url = URLValidator(schemes=["http", "https"], message="请输入以 http:// 或 https:// 开头的网址。")


def safe_link(url: str) -> str:
    """The address if it is http(s), else "": stored data is never trusted as a link target."""
    return url if (url or "").strip().lower().startswith(("http://", "https://")) else ""


class SourceManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Source(models.Model):
    """An outlet credited by articles (学习时报, 南方杂志, 新华社 …)."""

    name = models.CharField("名称", max_length=200, unique=True, help_text="简体写法；繁体等其他写法填入“别名”。")
    aliases = models.JSONField(
        "别名", default=list, blank=True, help_text="其他写法（含繁体），如“南方雜誌”。导入时按这些写法归并到本来源。"
    )
    homepage = models.URLField("主页", max_length=500, blank=True, validators=[http_url],
                               help_text="以 http:// 或 https:// 开头。")
    slug = models.SlugField("网址别名", max_length=200, unique=True, allow_unicode=True,
                            help_text="来源页面的网址：只能用文字、数字、连字符和下划线（不能有“/”）。")

    objects = SourceManager()

    class Meta:
        verbose_name = "来源"
        verbose_name_plural = "来源"
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="source_name_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = to_simplified(self.name.strip())
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True) or "source"
        # Every path that saves (forms, import-export, commands, services) gets the same checks:
        # a slug that does not route or a javascript: homepage would break or poison public pages.
        try:
            self.clean_fields(exclude=[f.name for f in self._meta.fields if f.name not in ("slug", "homepage")])
        except ValidationError as exc:
            raise ValidationError(
                {k: [f"来源“{self.name}”：{m}" for m in v] for k, v in exc.message_dict.items()}
            ) from exc
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        try:
            return reverse("articles:source", kwargs={"slug": self.slug})
        except NoReverseMatch:  # a row stored before slugs were validated: no link rather than a 500 for readers
            return ""

    def natural_key(self):
        return (self.name,)

    @property
    def homepage_link(self) -> str:
        return safe_link(self.homepage)
