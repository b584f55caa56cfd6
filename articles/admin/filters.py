"""Changelist filters for editors: province then city, warnings, duplicates, tags."""
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
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
    CHOICES = {
        "warnings": ("导入警告", Q(has_warnings=True)),
        "guessed": ("字段为推测", Q(warnings__icontains="guess")),
        "duplicates": ("疑似重复", Q(duplicate_of__isnull=False)),
        "no_regions": ("没有地区", Q(regions__isnull=True)),
        "no_tags": ("没有标签", Q(tagged_items__isnull=True)),
    }

    def lookups(self, request, model_admin):
        return [(k, label) for k, (label, _) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.CHOICES:
            return queryset.filter(self.CHOICES[self.value()][1]).distinct()
        return queryset
