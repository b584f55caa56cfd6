"""Changelist filters for editors: province, city, tag and source as autocomplete boxes; warnings, duplicates."""
from admin_auto_filters.filters import AutocompleteFilter
from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from taggit.models import Tag

from articles.models import Region


class _Autocomplete(AutocompleteFilter):
    """An autocomplete (select2) filter from django-admin-autocomplete-filter: 34 provinces, 300 cities and every
    tag or source stay one search box instead of a list as long as the page. The value is the row's id."""

    template = "admin/articles/autocomplete_filter.html"
    query = ""  # extra parameters for the autocomplete view (see RegionAdmin.get_search_results)

    def __init__(self, request, params, model, model_admin):
        # The widget looks the value up to show its label: a value that is no id (`abc`) would be a 500 there.
        values = params.get(self.parameter_name)
        if values is not None and not all(str(v).isdigit() for v in values):
            params[self.parameter_name] = [""]
        super().__init__(request, params, model, model_admin)

    def get_autocomplete_url(self, request, model_admin):
        return reverse("admin:autocomplete") + self.query if self.query else None

    def chosen(self, model, **extra):
        return model.objects.filter(pk=self.value(), **extra).first() if self.value() else None


class ProvinceFilter(_Autocomplete):
    title = "省份"
    field_name = "regions"
    parameter_name = "province"
    query = "?level=province"

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = self.chosen(Region, level=Region.Level.PROVINCE)
        return queryset.in_region(region) if region else queryset.none()


class CityFilter(_Autocomplete):
    """Any city; once a province is chosen, only its cities are offered."""

    title = "城市"
    field_name = "regions"
    parameter_name = "city"

    def __init__(self, request, params, model, model_admin):
        province = request.GET.get(ProvinceFilter.parameter_name, "")
        self.query = "?level=city" + (f"&parent={province}" if province.isdigit() else "")
        super().__init__(request, params, model, model_admin)

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = self.chosen(Region, level=Region.Level.CITY)
        return queryset.in_region(region) if region else queryset.none()


class TagFilter(_Autocomplete):
    title = "标签"
    field_name = "tags"
    parameter_name = "tag"

    @staticmethod
    def get_queryset_for_field(model, name):
        return Tag.objects.all()  # taggit's manager is no Django relation descriptor the package knows

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        tag = self.chosen(Tag)
        return queryset.tagged(tag) if tag else queryset.none()


class SourceFilter(_Autocomplete):
    title = "来源"
    field_name = "source"
    parameter_name = "source__id__exact"  # the name Django's own source filter used, so old links keep working


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
        "duplicates": ("疑似重复", Q(duplicate_of__isnull=False),
                       "与已有文章几乎相同：打开后对照原稿，决定保留哪篇或标为不重复。"),
        "no_regions": ("没有地区", Q(regions__isnull=True), "没有识别出地区：请添加地区。"),
        "no_tags": ("没有标签", Q(tagged_items__isnull=True), "没有标签：请添加标签。"),
    }

    def lookups(self, request, model_admin):
        return [(k, label) for k, (label, _, _) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.CHOICES:
            return queryset.filter(self.CHOICES[self.value()][1]).distinct()
        return queryset
