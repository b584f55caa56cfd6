from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.ingest.blocks import is_subheading
from articles.ingest.checks import MAX_VIEWS

from .regions import Region
from .sources import Source, http_url, safe_link


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审"
    PUBLISHED = "published", "已发布"
    ARCHIVED = "archived", "已归档"


class Language(models.TextChoices):
    HANS = "zh-Hans", "简体"
    HANT = "zh-Hant", "繁體"


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to readers: published, and the scheduled publish time (if any) has come.

        The one definition of "public": the search backends' SQL (search/base.py) is held to it by
        tests/search/test_public.py.
        """
        now = now or timezone.now()
        return self.filter(Q(publish_at__isnull=True) | Q(publish_at__lte=now), status=Status.PUBLISHED)

    def in_region(self, region):
        """Articles about the region; a province includes its cities."""
        if region.level == Region.Level.PROVINCE:
            cond = Q(regions=region) | Q(regions__parent=region)
        else:
            cond = Q(regions=region)
        return self.filter(pk__in=Article.objects.filter(cond).values("pk"))

    def tagged(self, tag):
        """Articles carrying the tag (a Tag, or its name or slug)."""
        if isinstance(tag, str):
            return self.filter(Q(tags__slug=tag) | Q(tags__name=tag)).distinct()
        return self.filter(tagged_items__tag=tag)

    def newest_first(self):
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-id")


class TaggedArticle(TaggedItemBase):
    """taggit through model with a real foreign key (fast joins, no content types)."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = "文章标签"
        verbose_name_plural = "文章标签"
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")]


# A summary made from the first paragraph (an editor left it blank, or an import) is cut here.
SUMMARY_CHARS = 500


class Article(models.Model):
    # What an editor corrects and re-extract or re-import must then leave alone (see mark_edited).
    EDITOR_FIELDS = ("title", "body", "summary", "published_at", "date_only", "source", "authors", "editors",
                     "views", "url", "language", "regions", "tags")

    title = models.CharField("标题", max_length=500)
    body = models.TextField("正文", blank=True, help_text="纯文本；空行分段。")
    summary = models.TextField("摘要", blank=True, help_text="留空则取正文第一段。")
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True, help_text="原文的发布时间。")
    date_only = models.BooleanField("仅有日期", default=False, help_text="原文只给出日期、没有时刻。")
    # No index of its own: article_source_pub_idx (source_id, published_at) serves every lookup by source.
    source = models.ForeignKey(
        Source, verbose_name="来源", null=True, blank=True, on_delete=models.PROTECT, related_name="articles",
        db_index=False,
    )
    authors = models.JSONField("作者", default=list, blank=True)
    editors = models.JSONField("编辑", default=list, blank=True)
    views = models.PositiveBigIntegerField("点击量", null=True, blank=True, help_text="原页面报告的数字。",
                                           validators=[MaxValueValidator(MAX_VIEWS)])
    url = models.URLField("原文链接", max_length=1000, blank=True, validators=[http_url])
    language = models.CharField("文字", max_length=8, choices=Language.choices, default=Language.HANS)
    regions = models.ManyToManyField(Region, verbose_name="地区", blank=True, related_name="articles")
    tags = TaggableManager("标签", through=TaggedArticle, blank=True,
                           help_text="用逗号（，或,）、顿号（、）或空格分隔。")

    # Indexed by article_status_pub_idx (status, published_at).
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "定时发布", null=True, blank=True, help_text="已发布的文章到这个时间才对读者可见；留空则立即可见。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Import provenance: the raw text is kept so extraction can be re-run.
    raw_text = models.TextField("原始文本", blank=True)
    file_name = models.CharField("文件名", max_length=1000, blank=True)
    raw_sha256 = models.CharField("原始字节 SHA-256", max_length=64, null=True, blank=True, unique=True)
    encoding = models.CharField("编码", max_length=20, blank=True)
    fingerprint = models.BigIntegerField("内容指纹", null=True, blank=True, help_text="正文 SimHash，用于查重。")
    fp_band0 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    fp_band1 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    fp_band2 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    fp_band3 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="重复于", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    extraction = models.JSONField("抽取说明", default=dict, blank=True, help_text="每个字段由哪条规则得出。")
    warnings = models.JSONField("警告", default=list, blank=True)
    has_warnings = models.BooleanField("有警告", default=False, db_index=True, editable=False)
    edited_fields = models.JSONField(
        "人工修改的字段", default=list, blank=True, help_text="重新抽取时不会覆盖这些字段。"
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name="文章历史版本",
        verbose_name_plural="文章历史版本",
        excluded_fields=["raw_text", "fingerprint", "fp_band0", "fp_band1", "fp_band2", "fp_band3", "has_warnings"],
        m2m_fields=[regions],
        # History is read per article (by id and date); indexes copied from the article would only slow writes.
        no_db_index=["published_at", "source", "status", "raw_sha256", "duplicate_of"],
    )

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "可以发布、定时、撤回和归档文章")]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_pub_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="article_status_valid"),
            models.CheckConstraint(condition=~models.Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=models.Q(language__in=Language.values), name="article_language_valid"),
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("id")), name="article_not_duplicate_of_itself"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk})

    def fill_derived(self) -> None:
        """What every write derives from the rest (save() calls it; bulk writes, which skip save(), must too):
        the title trimmed, the warnings flag, a blank summary made from the first paragraph."""
        self.title = self.title.strip()
        self.has_warnings = bool(self.warnings)
        if not self.summary and self.body:
            self.summary = self.body.strip().split("\n\n", 1)[0].strip()[:SUMMARY_CHARS]

    def mark_edited(self, fields) -> None:
        """Record editor-changed fields so re-extract and re-import keep them (not saved here)."""
        edited = set(fields) & set(self.EDITOR_FIELDS)
        if not edited <= set(self.edited_fields):
            self.edited_fields = sorted(set(self.edited_fields) | edited)

    @property
    def url_link(self) -> str:
        return safe_link(self.url)

    @property
    def body_blocks(self) -> list[tuple[bool, str]]:
        """(is_subheading, text) for each paragraph of the body, for the article page."""
        paragraphs = [p.strip() for p in self.body.split("\n\n") if p.strip()]
        last = len(paragraphs) - 1
        return [(0 < i < last and is_subheading(p), p) for i, p in enumerate(paragraphs)]
