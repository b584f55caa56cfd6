"""django-import-export resources: natural keys (source by name, regions by code, tags by name), never ids.

Every article row goes through the workflow gate (status, schedule, published articles) and its
changed fields are recorded as edited, exactly like a change in the form.
"""
from __future__ import annotations

import copy
import re
from contextlib import suppress
from decimal import InvalidOperation

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from import_export import exceptions, fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader, ModelInstanceLoader
from import_export.results import Error, RowResult

from articles.ingest.checks import UNSTORABLE
from articles.models import Article, Region, Source
from articles.models.tags import validate_tag_names
from articles.search import rebuild_index
from articles.search.documents import reindex_titles
from articles.services import workflow
from articles.signals import indexing_suspended
from articles.tag_strings import parse_tags

# Names are listed in the page's order: 、，, ; and whitespace separate them (no sorting, unlike tags).
_NAME_SEPARATORS = re.compile(r"[、，,;；\s\u3000]+")


def as_text(value, separator: str = "，") -> str:
    """A cell as text: a JSON list (["党建", "基层"]) joined, a number or anything else as it prints."""
    if isinstance(value, (list, tuple)):
        return separator.join(str(v) for v in value)
    return "" if value is None else str(value)


def split_names(text) -> list[str]:
    """'付文科、赵珊，付文科' -> ['付文科', '赵珊']: the given order, each name once."""
    names = (n.strip() for n in _NAME_SEPARATORS.split(str(text or "")))
    return list(dict.fromkeys(n for n in names if n.strip("[]\"'")))


class TagsWidget(widgets.Widget):
    """taggit's manager is not an M2M of ids to us: names joined by '，', parsed with the Chinese-aware parser."""

    def clean(self, value, row=None, **kwargs):
        names = parse_tags(as_text(value))
        validate_tag_names(names)
        return names

    def render(self, value, obj=None, **kwargs):
        if obj is None:
            return ""
        return "，".join(sorted(t.name for t in obj.tags.all()))


class WholeNumberWidget(widgets.IntegerWidget):
    """import-export's integer widget, with a row error an editor can read for what is no whole number."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(f"不是整数：{str(value)[:30]}") from exc


class ArticleLoader(CachedInstanceLoader):
    """Every row's article in a few queries for the whole file. An id that is no number fails its own row
    (get_instance raises, ArticleResource.get_or_init_instance reports it), not the whole file."""

    def __init__(self, resource, dataset=None):
        ModelInstanceLoader.__init__(self, resource, dataset)
        self.pk_field = resource.fields["id"]
        ids = []
        if dataset.dict and "id" in dataset.headers:
            for row in dataset.dict:
                with suppress(ValueError):
                    ids.append(self.pk_field.clean(row))
        found = [i for i in ids if i is not None]
        self.all_instances = {a.pk: a for a in self.get_queryset().filter(pk__in=found)} if found else {}


class SourceWidget(widgets.ForeignKeyWidget):
    """Sources by name, looked up once per name per import (a file names the same few outlets on every row)."""

    def __init__(self):
        super().__init__(Source, field="name")
        self.cache: dict[str, Source] = {}

    def clean(self, value, row=None, **kwargs):
        value = as_text(value).strip()
        if not value:
            return None
        if value not in self.cache:
            try:
                self.cache[value] = super().clean(value, row, **kwargs)
            except Source.DoesNotExist as exc:
                raise ValueError(f"没有名为“{str(value)[:50]}”的来源（先在“来源”里添加，或留空）") from exc
        return self.cache[value]


class RegionsWidget(widgets.Widget):
    """Region codes separated by ',' looked up in the table the import loaded once (no query per row)."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def clean(self, value, row=None, **kwargs):
        codes = list(dict.fromkeys(c.strip() for c in as_text(value, ",").split(",") if c.strip()))
        unknown = [c for c in codes if c not in self.ids]
        if unknown:
            raise ValueError(f"未知的地区代码：{'、'.join(unknown[:5])}")
        return [self.ids[c] for c in codes]

    def render(self, value, obj=None, **kwargs):
        return "" if obj is None else ",".join(sorted(r.code for r in obj.regions.all()))


class PendingField(fields.Field):
    """A relation kept on the instance as `_pending_<attribute>` and written with the article (in bulk)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        setattr(instance, f"_pending_{self.attribute}", self.clean(row))

    def get_value(self, instance):
        return instance

    def export(self, instance, **kwargs):
        """As the import will set it (the preview's diff), else as stored (an export)."""
        shown = getattr(instance, "_shown", {}).get(self.attribute)
        if shown is not None:
            return shown
        return self.widget.render(None, obj=instance) if instance.pk else ""


class NamesWidget(widgets.Widget):
    """A JSON list of names as '、'-separated text."""

    def clean(self, value, row=None, **kwargs):
        return split_names(as_text(value, "、"))

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


# Fields the search document holds besides the title (articles.search.documents.document_for).
INDEXED_FIELDS = {"body", "source", "tags", "regions", "authors", "published_at", "status", "publish_at"}


class ArticleResource(resources.ModelResource):
    """Rows are read, checked (gate, validation) and compared one by one without a query, then written
    BATCH_ROWS at a time through workflow.articles_save_edits; a batch the database refuses is retried
    row by row, so a bad row is still reported as that row."""

    id = fields.Field(attribute="id", column_name="id", widget=WholeNumberWidget())
    views = fields.Field(attribute="views", column_name="views", widget=WholeNumberWidget())
    source = fields.Field(attribute="source", column_name="source", widget=SourceWidget())
    regions = PendingField(attribute="regions", column_name="regions", widget=RegionsWidget())
    tags = PendingField(attribute="tags", column_name="tags", widget=TagsWidget())
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
        instance_loader_class = ArticleLoader
        # No savepoint per row (rows are checked without writing); writes go out in batches (save_instance).
        use_bulk = True
        batch_size = 250

    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs  # diff=False: a preview nobody reads row by row (the worker's)

    def get_queryset(self):
        return Article.objects.select_related("source").prefetch_related("tags", "regions")

    def import_data(self, dataset, dry_run=False, **kwargs):
        """Search documents are rewritten once per file for the rows that changed, not on every save."""
        self._touched: dict[int, set[str]] = {}
        self._pending: list[tuple[int, dict, workflow.ArticleEdit]] = []
        self._failed: list[tuple[int, dict, Exception]] = []
        self._saved: dict[int, int] = {}  # row number -> article id
        # The confirmed import shows no diff (the preview did): skip building one per row.
        self._meta = copy.copy(type(self)._meta)
        self._meta.skip_diff = not dry_run or not self.kwargs.get("diff", True)  # the worker's preview shows none
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

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        self._write = using_transactions or not dry_run
        result = super().import_data_inner(dataset, dry_run, raise_errors, using_transactions, collect_failed_rows,
                                           **kwargs)
        for number, row_result in enumerate(result.rows, 1):  # new rows got their ids when their batch was written
            if row_result.object_id is None and row_result.import_type == RowResult.IMPORT_TYPE_NEW:
                row_result.object_id = self._saved.get(number)
        for number, row, exc in self._failed:  # the rows the database refused, reported as theirs
            row_result = result.rows[number - 1]
            result.totals[row_result.import_type] -= 1
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            result.totals[RowResult.IMPORT_TYPE_ERROR] += 1
            error = Error(exc, row=row, number=number)
            row_result.errors.append(error)
            result.append_error_row(number, row, [error])
            if collect_failed_rows:
                result.append_failed_row(row, error)
        if self._failed and raise_errors:
            number, row, exc = self._failed[0]
            raise exceptions.ImportError(exc, number=number, row=row)
        return result

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        self.fields["regions"].widget.ids = dict(Region.objects.values_list("code", "pk"))
        self._region_codes = {pk: code for code, pk in self.fields["regions"].widget.ids.items()}
        self.fields["source"].widget.cache.clear()  # sources may have changed since the last file

    def get_or_init_instance(self, instance_loader, row):
        try:
            return super().get_or_init_instance(instance_loader, row)
        except ValueError as exc:  # the id is no number (ArticleLoader)
            raise ValidationError({"id": str(exc)}) from exc

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:  # plain lists survive the deepcopy the preview's diff takes (prefetched querysets do not)
            instance._shown = self._relations_shown(
                regions=[r.pk for r in instance.regions.all()], tags=[t.name for t in instance.tags.all()])

    def _relations_shown(self, *, regions, tags) -> dict[str, str]:
        return {"regions": ",".join(sorted(self._region_codes.get(pk, "") for pk in regions)),
                "tags": "，".join(sorted(tags))}

    def import_instance(self, instance, row, **kwargs):
        stored = copy.copy(instance) if instance.pk else None  # as loaded: the row as it is stored
        instance._import_stored = stored
        super().import_instance(instance, row, **kwargs)
        user = kwargs.get("user") or getattr(self, "_user", None)
        instance._import_changed = self._changed(instance, stored, row)
        # The preview's diff shows the relations as the row sets them (they are written later, in bulk).
        pending = {k: getattr(instance, f"_pending_{k}", None) for k in ("regions", "tags")}
        new = self._relations_shown(regions=pending["regions"] or [], tags=pending["tags"] or [])
        instance._shown = {**getattr(instance, "_shown", {}),
                           **{k: new[k] for k, v in pending.items() if v is not None}}
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
                if {n.lower() for n in getattr(instance, "_pending_tags", None) or []} != {
                        t.name.lower() for t in stored.tags.all()}:
                    changed.add(name)
            elif name == "regions":
                if set(getattr(instance, "_pending_regions", None) or []) != {r.pk for r in stored.regions.all()}:
                    changed.add(name)
            elif field.get_value(instance) != field.get_value(stored):
                changed.add(name)
        return changed

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Field validation as in the form (lengths, ranges, links). The database enforces the check
        constraints and raw_sha256's uniqueness (not imported) itself; asking it per row costs 5 queries."""
        errors = dict(import_validation_errors or {})
        for field in Article._meta.concrete_fields:  # what no text column stores (PostgreSQL refuses NUL)
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and field.name not in errors and UNSTORABLE.search(value):
                errors[field.name] = ValidationError("含有数据库不能保存的字符（NUL 或残缺的 Unicode 代理项）。")
        try:  # the source was found by name just now: no need to ask again whether it exists
            instance.full_clean(exclude=[*errors, "source", "regions", "tags"], validate_unique=False,
                                validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Queue the row; a full batch is written at once (the rest when the file ends: bulk_create)."""
        self.before_save_instance(instance, row, **kwargs)
        self._pending.append((kwargs["row_number"], row, workflow.ArticleEdit(
            article=instance, stored=getattr(instance, "_import_stored", None),
            changed=getattr(instance, "_import_changed", set()),
            region_ids=getattr(instance, "_pending_regions", None),
            tag_names=getattr(instance, "_pending_tags", None))))
        if len(self._pending) >= self._meta.batch_size:
            self._flush()
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        pass  # written with the article, in bulk

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._flush()  # called once more when the file ends

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        pass  # _flush wrote them with the new rows

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending or not self._write:
            return
        failed = set()
        given_ids = [edit.article.pk for _, _, edit in pending]  # a new row's id, if the table gave one
        try:
            with transaction.atomic():
                self._save([edit for _, _, edit in pending])
        except (DatabaseError, PermissionDenied, ValidationError):
            # Which rows does the database refuse?
            for (number, row, edit), given in zip(pending, given_ids, strict=True):
                edit.article.pk = given  # not the id of the rolled-back insert
                try:
                    with transaction.atomic():
                        self._save([edit])
                except (DatabaseError, PermissionDenied, ValidationError) as exc:
                    self._failed.append((number, row, exc))
                    failed.add(number)
        for number, _, edit in pending:
            if number not in failed:
                self._touched[edit.article.pk] = edit.changed
                self._saved[number] = edit.article.pk

    def _save(self, edits) -> None:
        # The preview's writes are rolled back: so would its history rows be.
        workflow.articles_save_edits(edits=edits, user=getattr(self, "_user", None), reason="表格导入",
                                     history=not self._dry_run)


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
