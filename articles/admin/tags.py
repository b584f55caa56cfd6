"""Tags with counts, rename, merge (old names become synonyms), delete unused; synonyms."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.models import Status, TagSynonym
from articles.services import workflow
from articles.services.curation import tag_merge, tags_delete_unused

from .forms import IdsOnlyAutocomplete

admin.site.unregister(Tag)


class TagSynonymInline(admin.TabularInline):
    model = TagSynonym
    extra = 1
    fields = ("name",)


class KeepTagForm(forms.Form):
    keep = forms.ModelChoiceField(label="保留的标签", queryset=Tag.objects.none(), widget=forms.RadioSelect,
                                  help_text="其余标签的文章改用它；其余标签的名称成为它的同义词，以后导入也归到它。")

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Tag.objects.filter(pk__in=[t.pk for t in tags])
        self.fields["keep"].initial = tags[0].pk  # the most used, unless the editor chooses another
        counts = {t.pk: t.n for t in tags}
        self.fields["keep"].label_from_instance = lambda t: f"{t.name}（{counts.get(t.pk, 0)} 篇）"


@admin.action(description="合并所选标签（选择保留哪一个，其余成为同义词）", permissions=["change"])
def merge_tags(modeladmin, request, queryset):
    tags = list(queryset.annotate(n=Count("articles_taggedarticle_items")).order_by("-n", "pk"))
    if len(tags) < 2:
        modeladmin.message_user(request, "请至少选择两个标签。", messages.WARNING)
        return None
    form = KeepTagForm(request.POST if "apply" in request.POST else None, tags=tags)
    if not form.is_valid():
        context = {**modeladmin.admin_site.each_context(request), "title": "合并标签", "form": form,
                   "queryset": tags, "noun": "个标签", "opts": modeladmin.model._meta,
                   "action": request.POST.get("action"), "action_checkbox_name": ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/articles/bulk_form.html", context)
    keep = form.cleaned_data["keep"]
    try:
        moved = tag_merge(keep=keep, others=[t for t in tags if t.pk != keep.pk], user=request.user)
    except PermissionDenied as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    modeladmin.message_user(request, f"已合并到“{keep.name}”，涉及 {moved} 篇文章。", messages.SUCCESS)
    return None


@admin.action(description="删除未使用的标签", permissions=["delete"])
def delete_unused(modeladmin, request, queryset):
    modeladmin.message_user(request, f"已删除 {tags_delete_unused(tags=queryset)} 个未使用的标签。")


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    list_display = ("name", "slug", "article_count")
    search_fields = ("name", "slug", "synonyms__name")
    inlines = [TagSynonymInline]
    actions = [merge_tags, delete_unused]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles_taggedarticle_items"))

    def has_change_permission(self, request, obj=None):
        """Published articles show the tag's name and link: renaming it then needs 审核 (the workflow gate)."""
        if obj is not None and not workflow.may_publish(request.user) and obj.articles_taggedarticle_items.filter(
                content_object__status=Status.PUBLISHED).exists():
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            from articles.services.curation import tag_rename

            old = form.initial["name"]
            obj.name, new = old, obj.name
            tag_rename(tag=obj, name=new, user=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(TagSynonym)
class TagSynonymAdmin(IdsOnlyAutocomplete, admin.ModelAdmin):
    list_display = ("name", "tag")
    search_fields = ("name", "tag__name")
    autocomplete_fields = ("tag",)
