"""The article change form: the workflow gate in clean(), edits judged against the stored row, and
optimistic concurrency (a hidden version that must still match when the form is saved)."""
from __future__ import annotations

import json
from datetime import datetime

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Article, Status
from articles.models.tags import validate_tag_names
from articles.resources import split_names
from articles.services import workflow
from articles.tag_strings import parse_tags


class NamesField(forms.CharField):
    """A list of names typed as 付文科、赵珊 (、，, or spaces between them)."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else (value or "")

    def to_python(self, value):
        return split_names(super().to_python(value))


def version_of(article: Article) -> str:
    """The token a change form carries: the article's updated_at when the form was opened."""
    return article.updated_at.isoformat()


# What the conflict message names when someone else saved first.
CONFLICT_FIELDS = ("title", "summary", "body", "source", "published_at", "authors", "editors", "url", "status",
                   "publish_at")


class ArticleForm(forms.ModelForm):
    authors = NamesField(label="作者", required=False, help_text="多个名字用顿号（、）或逗号分隔。")
    editors = NamesField(label="编辑", required=False, help_text="多个名字用顿号（、）或逗号分隔。")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # What an editor may change, in the order of ArticleAdmin.fieldsets; the import provenance
        # (raw text, hashes, warnings) is shown read-only there and never posted back.
        fields = ("title", "body", "summary", "source", "published_at", "date_only", "authors", "editors", "views",
                  "url", "language", "regions", "tags", "status", "publish_at", "duplicate_of")
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "gaoku-body"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(attrs={"class": "vLargeTextField"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.changed_fields: set[str] = set()
        # Judged against the row as it is now, not the instance the form shows (a history version, a stale page).
        self.stored = Article.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if self.stored is not None:
            self.fields["version"].initial = version_of(self.stored)
            self.fields["version"].required = True
            # Reverting to an old version restores its text, never its status or schedule.
            self.initial["status"], self.initial["publish_at"] = self.stored.status, self.stored.publish_at
        for name in ("published_at", "publish_at"):
            if name in self.fields:  # show (and keep) the seconds: a no-op save must not change the time
                date, time = self.fields[name].widget.widgets
                time.format = "%H:%M:%S"
                # Django labels only the pair; each box needs its own name for a screen reader.
                date.attrs["aria-label"] = f"{self.fields[name].label}：日期"
                time.attrs["aria-label"] = f"{self.fields[name].label}：时间"
        if "status" in self.fields:
            current = self.stored.status if self.stored else None
            self.fields["status"].choices = [
                (v, label) for v, label in Status.choices
                if v == current or workflow.can_set_status(user, v, current)
            ]

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n")  # browsers post CRLF; paragraphs are "\n\n"

    def clean_summary(self):
        return self.cleaned_data["summary"].replace("\r\n", "\n")

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        validate_tag_names(names)
        return names

    def clean(self):
        cleaned = super().clean()
        if self.stored is not None:
            if cleaned.get("version") and cleaned["version"] != version_of(self.stored):
                self._conflict(cleaned["version"])
            self.changed_fields = self._changed_against_stored(cleaned)
        else:
            self.changed_fields = set(self.changed_data) - {"version"}
        if {"status", "publish_at"} & set(self.errors):
            return cleaned  # the field's own error says what is wrong
        status = cleaned.get("status", self.stored.status if self.stored else Status.DRAFT)
        publish_at = cleaned["publish_at"] if "publish_at" in self.fields else (
            self.stored.publish_at if self.stored else None)
        try:
            workflow.check_change(self.user, stored=self.stored, status=status, publish_at=publish_at,
                                  changed=self.changed_fields)
        except (PermissionDenied, ValidationError) as exc:
            raise ValidationError(exc.messages if isinstance(exc, ValidationError) else str(exc)) from exc
        return cleaned

    def _changed_against_stored(self, cleaned) -> set[str]:
        stored, changed = self.stored, set()
        for name, new in cleaned.items():
            if name == "version":
                continue
            if name == "tags":
                old, new = {n.lower() for n in stored.tags.names()}, {n.lower() for n in new}
            elif name == "regions":
                old, new = set(stored.regions.values_list("pk", flat=True)), {r.pk for r in new}
            elif isinstance(Article._meta.get_field(name), models.ForeignKey):
                old, new = getattr(stored, f"{name}_id"), getattr(new, "pk", None)
            else:
                old = getattr(stored, name)
                if isinstance(old, datetime) and new is not None and old.replace(microsecond=0) == new:
                    cleaned[name] = new = old  # the form shows whole seconds; keep the stored value
            if old != new:
                changed.add(name)
        return changed

    def _conflict(self, token: str) -> None:
        """Someone saved since this form was opened: say who, when and what, and do not overwrite."""
        stored = self.stored
        opened = Article.history.filter(id=stored.pk, updated_at=parse_datetime(token)).order_by("-history_id").first()
        last = Article.history.filter(id=stored.pk).order_by("-history_id").select_related("history_user").first()
        who = getattr(last, "history_user", None) or "导入程序"
        when = timezone.localtime(stored.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        fields = [Article._meta.get_field(f).verbose_name for f in CONFLICT_FIELDS
                  if opened is None or getattr(opened, f) != getattr(stored, f)]
        data = self.data.copy()
        data["version"] = version_of(stored)  # saving again, having seen this, overwrites deliberately
        self.data = data
        raise ValidationError(
            f"保存冲突：这篇文章在你打开之后已被 {who} 于 {when} 修改（{'、'.join(fields) or '标签或地区'}）。"
            f"你的修改尚未保存。现在的标题是“{stored.title}”。请在新窗口打开本文核对；"
            "确认要用你的版本覆盖时，再保存一次。")

    def _post_clean(self):
        super()._post_clean()
        if self.stored is not None:
            # Fields the form does not edit come from the stored row, not from a history version.
            for field in Article._meta.concrete_fields:
                if field.name not in self.fields and field.name != "updated_at":
                    setattr(self.instance, field.attname, getattr(self.stored, field.attname))


class _IdsOnly:
    """Django's autocomplete widgets look a posted value up to re-render it; a value that is no id (`abc`)
    would raise there (a 500) although the field itself reports it as an invalid choice."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class AutocompleteSelectIds(_IdsOnly, AutocompleteSelect):
    pass


class AutocompleteSelectMultipleIds(_IdsOnly, AutocompleteSelectMultiple):
    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # select2 4.0's "clear all" is a <span> inside its <ul> (a malformed list); each choice keeps its own ×.
        attrs["data-allow-clear"] = "false"
        return attrs


class IdsOnlyAutocomplete:
    """ModelAdmin mixin: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AutocompleteSelectIds(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AutocompleteSelectMultipleIds(db_field, self.admin_site,
                                                                      using=kwargs.get("using")))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TagAutocomplete(AutocompleteSelectMultiple):
    """The tags box: the admin's own select2 (Django ships it; no new dependency), offering stored tags as
    you type (ArticleAdmin.tag_autocomplete_view) and keeping a new name as typed. ，、, ; and spaces
    separate names, as in the text box it replaces. Posts the names as one tag string for taggit's field."""

    SEPARATORS = [",", "，", "、", ";", "；", " ", "\u3000"]

    def __init__(self, admin_site, attrs=None):
        super().__init__(Article._meta.get_field("tags"), admin_site, attrs)

    def get_url(self):
        return reverse("admin:articles_article_tag_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.update({"data-tags": "true", "data-allow-clear": "false",
                      "data-token-separators": json.dumps(self.SEPARATORS, ensure_ascii=False),
                      "data-placeholder": "输入标签，逗号、顿号或回车确认"})
        return attrs

    def format_value(self, value):
        if isinstance(value, str):
            return parse_tags(value)
        return [getattr(v, "name", v) for v in value or ()]  # the Tag objects of the stored article

    def optgroups(self, name, value, attr=None):
        return [(None, [self.create_option(name, n, n, True, i) for i, n in enumerate(value)], 0)]

    def value_from_datadict(self, data, files, name):
        return "，".join(data.getlist(name)) if hasattr(data, "getlist") else data.get(name)
