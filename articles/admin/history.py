"""History shown in Chinese terms: labels instead of stored values, local times, "—" for nothing, and text
changes as a paragraph- then character-level diff (Chinese has no spaces, so a character is its word unit)."""
from __future__ import annotations

from datetime import datetime
from difflib import SequenceMatcher

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from simple_history.template_utils import HistoricalRecordContextHelper

TEXT_FIELDS = {"title", "summary", "body"}


def _inline(old: str, new: str) -> SafeString:
    """One paragraph: unchanged text plain, removed text in <del>, added text in <ins>."""
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", old[i1:i2]))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", old[i1:i2]))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return mark_safe("".join(parts))  # every part went through format_html (escaped)


def text_diff(old: str | None, new: str | None) -> SafeString:
    """Changed paragraphs only, each with its changes marked; unchanged runs are counted, not shown."""
    old_paras = [p for p in (old or "").split("\n\n")]
    new_paras = [p for p in (new or "").split("\n\n")]
    blocks = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_paras, new_paras, autojunk=False).get_opcodes():
        if op == "equal":
            if len(old_paras) > 1:
                blocks.append(format_html('<p class="unchanged">（{} 段未变）</p>', i2 - i1))
            continue
        olds, news = old_paras[i1:i2], new_paras[j1:j2]
        for k in range(max(len(olds), len(news))):
            a = olds[k] if k < len(olds) else ""
            b = news[k] if k < len(news) else ""
            blocks.append(format_html("<p>{}</p>", _inline(a, b)))
    return format_html('<div class="text-diff">{}</div>', format_html_join("", "{}", ((b,) for b in blocks)))


class ChineseHistoryHelper(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta):
        rows = super().context_for_delta_changes(delta)
        for row, change in zip(rows, delta.changes, strict=True):
            if change.field in TEXT_FIELDS:
                row["diff"] = text_diff(change.old, change.new)
        return rows

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value in (None, "", []):
            return "—"
        if change.field == "edited_fields":  # field names, as the change form labels them
            labels = {f.name: str(f.verbose_name) for f in self.model._meta.get_fields() if hasattr(f, "verbose_name")}
            return "、".join(labels.get(name, name) for name in value)
        if isinstance(value, list):  # authors, editors, regions
            return "、".join(str(v) for v in value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, bool):
            return "是" if value else "否"
        return value
