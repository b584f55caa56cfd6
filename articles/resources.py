"""django-import-export resources: natural keys (source by name, regions by code, tags by name), never ids.

Every article row goes through the workflow gate (status, schedule, published articles) and its
changed fields are recorded as edited, exactly like a change in the form.
"""
from __future__ import annotations

import copy
import re

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader

from articles.models import Article, Region, Source
from articles.models.tags import validate_tag_names
from articles.search import rebuild_index
from articles.search.documents import reindex_titles
from articles.services import workflow
from articles.signals import indexing_suspended
from articles.tag_strings import parse_tags

# Names are listed in the page's order: 、，, ; and whitespace separate them (no sorting, unlike tags).
_NAME_SEPARATORS = re.compile(r"[、，,;；\s\u3000]+")


def split_names(text) -> list[str]:
    """'付文科、赵珊，付文科' -> ['付文科', '赵珊']: the given order, each name once."""
    names = (n.strip() for n in _NAME_SEPARATORS.split(str(text or "")))
    return list(dict.fromkeys(n for n in names if n.strip("[]\"'")))


class TagsWidget(widgets.Widget):
    """taggit's manager is not an M2M of ids to us: names joined by '，', parsed with the Chinese-aware parser."""

    def clean(self, value, row=None, **kwargs):
        names = parse_tags(value or "")
        validate_tag_names(names)
        return names

    def render(self, value, obj=None, **kwargs):
        if obj is None:
            return ""
        return "，".join(sorted(t.name for t in obj.tags.all()))


class SourceWidget(widgets.ForeignKeyWidget):
    """Sources by name, looked up once per name per import (a file names the same few outlets on every row)."""

    def __init__(self):
        super().__init__(Source, field="name")
        self.cache: dict[str, Source] = {}

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        if value not in self.cache:
            self.cache[value] = super().clean(value, row, **kwargs)
        return self.cache[value]


class TagsField(fields.Field):
    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._pending_tags = self.clean(row)

    def get_value(self, instance):
        return instance


class NamesWidget(widgets.Widget):
    """A JSON list of names as '、'-separated text."""

    def clean(self, value, row=None, **kwargs):
        return split_names(value)

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


# Fields the search document holds besides the title (articles.search.documents.document_for).
INDEXED_FIELDS = {"body", "source", "tags", "regions", "authors", "published_at", "status", "publish_at"}


class ArticleResource(resources.ModelResource):
    source = fields.Field(attribute="source", column_name="source", widget=SourceWidget())
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
        # Every row's article, its source, tags and regions in a few queries for the whole file.
        instance_loader_class = CachedInstanceLoader

    def get_queryset(self):
        return Article.objects.select_related("source").prefetch_related("tags", "regions")

    def import_data(self, dataset, dry_run=False, **kwargs):
        """Search documents are rewritten once per file for the rows that changed, not on every save."""
        self._touched: dict[int, set[str]] = {}
        # The confirmed import shows no diff (the preview did): skip building one per row.
        self._meta = copy.copy(type(self)._meta)
        self._meta.skip_diff = not dry_run
        self._dry_run = dry_run
        with indexing_suspended():
            result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        if not dry_run and self._touched and not result.has_errors() and not result.has_validation_errors():
            whole = [pk for pk, changed in self._touched.items() if changed & INDEXED_FIELDS]
            titles = [pk for pk, changed in self._touched.items() if changed == {"title"} or (
                "title" in changed and not changed & INDEXED_FIELDS)]
            rebuild_index(queryset=Article.objects.filter(pk__in=whole))
            reindex_titles(titles)
        return result

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        self._region_ids = dict(Region.objects.values_list("code", "pk"))
        self.fields["source"].widget.cache.clear()  # sources may have changed since the last file

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:  # plain lists survive the deepcopy the preview's diff takes (prefetched querysets do not)
            instance._shown = {"regions": ",".join(sorted(r.code for r in instance.regions.all())),
                               "tags": "，".join(sorted(t.name for t in instance.tags.all()))}

    def import_instance(self, instance, row, **kwargs):
        stored = copy.copy(instance) if instance.pk else None  # as loaded: the row as it is stored
        instance._import_stored = stored
        super().import_instance(instance, row, **kwargs)
        user = kwargs.get("user") or getattr(self, "_user", None)
        instance._import_changed = self._changed(instance, stored, row)
        try:
            workflow.check_change(user, stored=stored, status=instance.status, publish_at=instance.publish_at,
                                  changed=instance._import_changed)
        except (PermissionDenied, ValidationError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            raise ValidationError(f"第 {row.get('id') or '新'} 行：{message}") from exc

    def _changed(self, instance, stored, row) -> set[str]:
        """The fields this row changes, compared with the stored article (all of them for a new one)."""
        changed = set()
        for field in self.get_import_fields():
            name = field.attribute
            if field.column_name not in row or name == "id":
                continue
            if stored is None:
                changed.add(name)
            elif name == "tags":
                if {n.lower() for n in instance._pending_tags} != {t.name.lower() for t in stored.tags.all()}:
                    changed.add(name)
            elif isinstance(field.widget, widgets.ManyToManyWidget):
                if self._region_pks(row[field.column_name]) != {r.pk for r in stored.regions.all()}:
                    changed.add(name)
            elif field.get_value(instance) != field.get_value(stored):
                changed.add(name)
        return changed

    def _region_pks(self, value) -> set:
        codes = [c.strip() for c in str(value or "").split(",") if c.strip()]
        return {self._region_ids.get(c, c) for c in codes}  # an unknown code counts as a change (and fails later)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Field validation as in the form (lengths, ranges, links). The database enforces the check
        constraints and raw_sha256's uniqueness (not imported) itself; asking it per row costs 5 queries."""
        errors = dict(import_validation_errors or {})
        try:  # the source was found by name just now: no need to ask again whether it exists
            instance.full_clean(exclude=[*errors, "source"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        changed = getattr(instance, "_import_changed", set())
        if getattr(self, "_dry_run", False):
            # The preview's writes are rolled back: its history rows (four queries a row) would be too.
            instance.skip_history_when_saving = True
        workflow.article_save_edit(article=instance, user=getattr(self, "_user", None), changed=changed,
                                   reason="表格导入", stored=getattr(instance, "_import_stored", None))
        self._touched[instance.pk] = changed

    def skip_row(self, instance, original, row, import_validation_errors=None):
        changed = getattr(instance, "_import_changed", None)
        if changed is None or import_validation_errors:
            return super().skip_row(instance, original, row, import_validation_errors)
        return self._meta.skip_unchanged and not changed

    def save_m2m(self, instance, row, **kwargs):
        changed = getattr(instance, "_import_changed", None)
        for name in ("regions", "tags"):  # the diff's new side reads changed relations as saved
            if changed is None or name in changed:
                getattr(instance, "_shown", {}).pop(name, None)
        if changed is None or "regions" in changed:
            super().save_m2m(instance, row, **kwargs)
        if (changed is None or "tags" in changed) and getattr(instance, "_pending_tags", None) is not None \
                and not kwargs.get("dry_run"):
            instance.tags.set(instance._pending_tags)

    def dehydrate_tags(self, article):
        shown = getattr(article, "_shown", {}).get("tags")
        return shown if shown is not None else "，".join(sorted(t.name for t in article.tags.all()))

    def dehydrate_regions(self, article):
        shown = getattr(article, "_shown", {}).get("regions")
        return shown if shown is not None else ",".join(sorted(r.code for r in article.regions.all()))


class SourceResource(resources.ModelResource):
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=NamesWidget())

    class Meta:
        model = Source
        fields = ("name", "aliases", "homepage", "slug")
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True  # slugs that route, http(s) homepages, lengths: as in the form

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")

    def import_instance(self, instance, row, **kwargs):
        stored = Source.objects.filter(pk=instance.pk).first() if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if stored is None or all(getattr(stored, f) == getattr(instance, f) for f in self._meta.fields):
            return
        try:  # published articles show the source: changing it then needs 审核, as in the form
            workflow.ensure_can_edit(kwargs.get("user") or getattr(self, "_user", None), stored.articles.all())
        except PermissionDenied as exc:
            raise ValidationError(f"来源“{stored.name}”：{exc}") from exc


class RegionResource(resources.ModelResource):
    parent = fields.Field(attribute="parent", column_name="parent",
                          widget=widgets.ForeignKeyWidget(Region, field="code"))

    class Meta:
        model = Region
        fields = ("code", "name", "short_name", "level", "parent")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


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
