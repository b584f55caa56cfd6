"""Bulk actions: one-line calls into services; each respects permissions and leaves history."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from articles.models import Region, Source, Status
from articles.models.tags import validate_tag_names
from articles.services import curation, workflow
from articles.tag_strings import parse_tags

from . import imports


def _status_action(status, label):
    def action(modeladmin, request, queryset):
        try:
            n = workflow.articles_change_status(articles=queryset, status=status, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, str(exc.message if hasattr(exc, "message") else exc), messages.ERROR)
            return None
        modeladmin.message_user(request, f"已将 {n} 篇文章设为“{label}”。", messages.SUCCESS)
        return None

    action.__name__ = f"set_{status}"
    action.short_description = f"设为“{label}”"
    action.allowed_permissions = ("change",)
    return action


submit_for_review = _status_action(Status.REVIEW, "待审")
publish = _status_action(Status.PUBLISHED, "已发布")
unpublish = _status_action(Status.DRAFT, "草稿（撤回）")
archive = _status_action(Status.ARCHIVED, "已归档")


class TagsForm(forms.Form):
    tags = forms.CharField(label="标签", help_text="用逗号、顿号或空格分隔，如：基层党建，乡村振兴、党建")

    def clean_tags(self):
        names = parse_tags(self.cleaned_data["tags"])
        if not names:
            raise ValidationError("请至少填写一个标签。")
        validate_tag_names(names)
        return self.cleaned_data["tags"]


class RegionsForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(label="地区", queryset=Region.objects.select_related("parent"))


class SourceForm(forms.Form):
    source = forms.ModelChoiceField(label="来源", queryset=Source.objects.all())


def _intermediate(modeladmin, request, queryset, form_class, title, apply):
    """Show a small form for the selected articles; on submit, apply it through a service."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        try:
            n = apply(form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return None
        modeladmin.message_user(request, f"{title}：已处理 {n} 篇文章。", messages.SUCCESS)
        return None
    context = {**modeladmin.admin_site.each_context(request), "title": title, "form": form,
               "queryset": queryset, "opts": modeladmin.model._meta, "action": request.POST.get("action"),
               "action_checkbox_name": ACTION_CHECKBOX_NAME}
    return TemplateResponse(request, "admin/articles/bulk_form.html", context)


def _bulk(name, label, form_class, service):
    def action(modeladmin, request, queryset):
        return _intermediate(modeladmin, request, queryset, form_class, label,
                             lambda data: service(articles=queryset, user=request.user, **data))

    action.__name__ = name
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


add_tags = _bulk("add_tags", "添加标签", TagsForm, curation.articles_add_tags)
remove_tags = _bulk("remove_tags", "移除标签", TagsForm, curation.articles_remove_tags)
add_regions = _bulk("add_regions", "添加地区", RegionsForm, curation.articles_add_regions)
set_regions = _bulk("set_regions", "设定地区（替换）", RegionsForm, curation.articles_set_regions)
set_source = _bulk("set_source", "设定来源", SourceForm, curation.articles_set_source)



def reprocess_selected(modeladmin, request, queryset):
    """Re-run extraction on the stored raw text, keeping editors' changes; published ones need 审核."""
    try:
        workflow.ensure_can_edit(request.user, queryset)
    except PermissionDenied as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    return imports.reprocess_selected(modeladmin, request, queryset)


reprocess_selected.short_description = imports.reprocess_selected.short_description
reprocess_selected.allowed_permissions = ("change",)
