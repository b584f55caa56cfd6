"""Changelist filters for editors: province then city, warnings, duplicates, tags."""
from django.contrib import admin
from django.db.models import Count, Q
from taggit.models import Tag

from articles.models import Region


class ProvinceFilter(admin.SimpleListFilter):
    title = "省份"
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(r.code, r.name) for r in Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            region = Region.objects.filter(code=self.value()).first()
            return queryset.in_region(region) if region else queryset.none()
        return queryset


class CityFilter(admin.SimpleListFilter):
    """Shown once a province is chosen: its cities."""

    title = "城市"
    parameter_name = "city"

    def lookups(self, request, model_admin):
        province = request.GET.get(ProvinceFilter.parameter_name)
        if not province:
            return []
        return [(r.code, r.name) for r in Region.objects.filter(parent__code=province).order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(regions__code=self.value()).distinct()
        return queryset


class TagFilter(admin.SimpleListFilter):
    title = "标签"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n")[:30]
        return [(t.slug, f"{t.name}（{t.n}）") for t in tags]

    def queryset(self, request, queryset):
        return queryset.tagged(self.value()) if self.value() else queryset


class DuplicateFilter(admin.SimpleListFilter):
    title = "是否重复"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "疑似重复"), ("no", "非重复")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(duplicate_of__isnull=False)
        if self.value() == "no":
            return queryset.filter(duplicate_of__isnull=True)
        return queryset


class AttentionFilter(admin.SimpleListFilter):
    """The 'needs attention' lists: each a filter an editor can open from the admin index."""

    title = "需要处理"
    parameter_name = "attention"
    # key: (label, condition, what the editor should do)
    CHOICES = {
        "warnings": ("导入警告", Q(has_warnings=True), "导入时有任何警告的文章；打开后在“导入来源”里看警告。"),
        "title_guessed": ("标题是推测的", Q(warnings__icontains="title guessed"),
                          "页面上没有明确的标题，导入程序选了最像标题的一行：请核对标题。"),
        "guessed": ("地区是推测的", Q(warnings__icontains="region guessed"),
                    "地区是从网站页脚推测的，可能是网站所在地而不是文章所讲的地方：请核对地区。"),
        "no_date": ("没有发布时间", Q(published_at__isnull=True), "没有找到发布时间：请从原文补上。"),
        "no_source": ("没有来源", Q(source__isnull=True), "没有找到来源：请设定来源。"),
        "short_body": ("正文很短或不完整", Q(warnings__icontains="body is very short")
                       | Q(warnings__icontains="no body found") | Q(warnings__icontains="body looks truncated")
                       | Q(warnings__icontains="body much shorter"),
                       "正文很短、缺失、似乎被截断，或比页面上的文字短得多：请对照原始文本。"),
        "body_guessed": ("正文是按文字密度找到的", Q(warnings__icontains="body found by text density"),
                         "标题下方没有正文，导入程序取了页面上文字最密的一段：请核对正文的开头和结尾。"),
        "duplicates": ("疑似重复", Q(duplicate_of__isnull=False), "与已有文章几乎相同：打开后对照原稿，决定保留哪篇或标为不重复。"),
        "no_regions": ("没有地区", Q(regions__isnull=True), "没有识别出地区：请添加地区。"),
        "no_tags": ("没有标签", Q(tagged_items__isnull=True), "没有标签：请添加标签。"),
    }

    def lookups(self, request, model_admin):
        return [(k, label) for k, (label, _, _) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.CHOICES:
            return queryset.filter(self.CHOICES[self.value()][1]).distinct()
        return queryset
