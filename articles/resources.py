"""django-import-export resources: natural keys (source by name, regions by code, tags by name), never ids.

Status changes that come in through an import go through the workflow rules.
"""
from __future__ import annotations

import tablib
from django.core.exceptions import PermissionDenied
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from articles.models import Article, Region, Source
from articles.services.workflow import can_set_status
from articles.tag_strings import parse_tags


class TagsWidget(widgets.Widget):
    """taggit's manager is not an M2M of ids to us: names joined by '，', parsed with the Chinese-aware parser."""

    def clean(self, value, row=None, **kwargs):
        return parse_tags(value or "")

    def render(self, value, obj=None, **kwargs):
        if obj is None:
            return ""
        return "，".join(sorted(t.name for t in obj.tags.all()))


class TagsField(fields.Field):
    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._pending_tags = self.clean(row)

    def get_value(self, instance):
        return instance


class NamesWidget(widgets.Widget):
    """A JSON list of names as '、'-separated text."""

    def clean(self, value, row=None, **kwargs):
        return [n for n in parse_tags(value or "")] if value else []

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


class ArticleResource(resources.ModelResource):
    source = fields.Field(attribute="source", column_name="source",
                          widget=widgets.ForeignKeyWidget(Source, field="name"))
    regions = fields.Field(attribute="regions", column_name="regions",
                           widget=widgets.ManyToManyWidget(Region, field="code", separator=","))
    tags = TagsField(attribute="tags", column_name="tags", widget=TagsWidget())
    authors = fields.Field(attribute="authors", column_name="authors", widget=NamesWidget())
    editors = fields.Field(attribute="editors", column_name="editors", widget=NamesWidget())

    class Meta:
        model = Article
        fields = ("id", "title", "status", "publish_at", "published_at", "date_only", "source", "authors", "editors",
                  "views", "url", "language", "regions", "tags", "summary", "body")
        export_order = fields
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")

    def import_instance(self, instance, row, **kwargs):
        before = instance.status if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        user = kwargs.get("user") or getattr(self, "_user", None)
        if instance.status != before and not can_set_status(user, instance.status, before):
            raise PermissionDenied(f"没有发布权限：第 {row.get('id') or '新'} 行不能设为“{instance.get_status_display()}”。")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if getattr(instance, "_pending_tags", None) is not None and original.pk:
            if sorted(instance._pending_tags) != sorted(t.name for t in original.tags.all()):
                return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if getattr(instance, "_pending_tags", None) is not None and not kwargs.get("dry_run"):
            instance.tags.set(instance._pending_tags)

    def dehydrate_tags(self, article):
        return "，".join(sorted(t.name for t in article.tags.all()))


class SourceResource(resources.ModelResource):
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=NamesWidget())

    class Meta:
        model = Source
        fields = ("name", "aliases", "homepage", "slug")
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True


class RegionResource(resources.ModelResource):
    parent = fields.Field(attribute="parent", column_name="parent",
                          widget=widgets.ForeignKeyWidget(Region, field="code"))

    class Meta:
        model = Region
        fields = ("code", "name", "short_name", "level", "parent")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True


class ChineseCSV(base_formats.CSV):
    """CSV read as bytes and decoded as UTF-8 (with or without BOM), else GB18030 (Excel in China)."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("gb18030")
        return tablib.import_set(in_stream, format="csv")


IMPORT_FORMATS = [ChineseCSV, base_formats.XLSX, base_formats.JSON]
EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX, base_formats.JSON]
