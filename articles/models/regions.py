from django.db import models
from django.urls import reverse


class RegionManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Region(models.Model):
    """A province-level or prefecture-level division (NBS 2023 codes)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "地级"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("全称", max_length=64)
    short_name = models.CharField("简称", max_length=32, db_index=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = RegionManager()

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | models.Q(level="city", parent__isnull=False),
                name="region_level_matches_parent",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("articles:region", kwargs={"code": self.code})

    def natural_key(self):
        return (self.code,)

    @property
    def path(self) -> str:
        """'浙江省/杭州市' or '重庆市': the form the importer emits."""
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name


class RegionAlias(models.Model):
    """A county-level name (昆山市, 香洲区) that resolves to its city or municipality."""

    name = models.CharField("名称", max_length=64, db_index=True)
    short_name = models.CharField("简称", max_length=32, db_index=True)
    region = models.ForeignKey(Region, verbose_name="所属地区", on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = "县级地名"
        verbose_name_plural = "县级地名"
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="region_alias_unique")]

    def __str__(self):
        return f"{self.name} → {self.region}"
