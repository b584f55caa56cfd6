"""History shown in Chinese terms: labels instead of stored values, local times, "—" for nothing."""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from simple_history.template_utils import HistoricalRecordContextHelper


class ChineseHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value in (None, "", []):
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, bool):
            return "是" if value else "否"
        return value
