"""Editors' desk views: what needs attention, and a duplicate beside its original."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from taggit.models import Tag

from articles.ingest.script import to_simplified, to_traditional
from articles.models import Article
from articles.services.curation import article_not_duplicate, article_resolve_duplicate

from .filters import AttentionFilter
from .history import text_diff

COMPARED = [("title", "标题"), ("source", "来源"), ("published_at", "发布时间"), ("authors", "作者"),
            ("editors", "编辑"), ("url", "原文链接"), ("language", "文字"), ("status", "状态")]


def _shown(article: Article, field: str):
    if field in ("status", "language"):
        return getattr(article, f"get_{field}_display")()
    value = getattr(article, field)
    return "、".join(value) if isinstance(value, list) else value


def attention_view(modeladmin, request):
    if not modeladmin.has_view_permission(request):
        raise PermissionDenied
    changelist = reverse("admin:articles_article_changelist")
    rows = []
    for key, (label, condition, explanation) in AttentionFilter.CHOICES.items():
        count = Article.objects.filter(condition).distinct().count()
        rows.append({"label": label, "count": count, "url": f"{changelist}?attention={key}",
                     "explanation": explanation})
    context = {**modeladmin.admin_site.each_context(request), "title": "需要处理", "rows": rows,
               "opts": modeladmin.model._meta}
    return TemplateResponse(request, "admin/articles/attention.html", context)


def compare_view(modeladmin, request, pk):
    duplicate = get_object_or_404(Article.objects.select_related("source", "duplicate_of__source"), pk=pk)
    if not modeladmin.has_view_permission(request, duplicate):
        raise PermissionDenied
    original = duplicate.duplicate_of
    if original is None:
        messages.info(request, "这篇文章没有标记为重复稿。")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
    if request.method == "POST":
        if not modeladmin.has_change_permission(request, duplicate):
            raise PermissionDenied
        if "not_duplicate" in request.POST:
            article_not_duplicate(article=duplicate, user=request.user)
            messages.success(request, f"已判定 #{duplicate.pk} 不是 #{original.pk} 的重复稿，两篇都保留原状。")
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[duplicate.pk]))
        keep, other = (original, duplicate) if request.POST.get("keep") == "original" else (duplicate, original)
        try:
            article_resolve_duplicate(keep=keep, duplicate=other, user=request.user)
        except (PermissionDenied, ValidationError, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"保留 #{keep.pk}，#{other.pk} 已标为它的重复稿并归档（未删除）。")
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[keep.pk]))
    rows = []
    for field, label in COMPARED:
        a, b = _shown(original, field), _shown(duplicate, field)
        rows.append({"label": label, "a": a if a not in (None, "", []) else "—",
                     "b": b if b not in (None, "", []) else "—", "differs": a != b})
    context = {**modeladmin.admin_site.each_context(request), "title": "重复稿对照", "opts": modeladmin.model._meta,
               "original": original, "duplicate": duplicate, "rows": rows,
               "tags": (", ".join(t.name for t in original.tags.all()),
                        ", ".join(t.name for t in duplicate.tags.all())),
               "regions": ("、".join(map(str, original.regions.all())), "、".join(map(str, duplicate.regions.all()))),
               # What the repost changed in the text, marked as history marks an edit (the same diff).
               "body_diff": text_diff(original.body, duplicate.body) if original.body != duplicate.body else None}
    return TemplateResponse(request, "admin/articles/compare.html", context)


TAGS_PER_PAGE = 20


def tag_autocomplete_view(modeladmin, request):
    """Stored tags for the change form's tag box (select2's JSON): names containing the typed text in either
    script, the most used first. The names are the values: the form posts names, as taggit expects."""
    if not modeladmin.has_view_or_change_permission(request):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()[:100]
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    tags = Tag.objects.annotate(uses=Count("articles_taggedarticle_items")).order_by("-uses", "name")
    if term:
        match = Q()
        for variant in {term, to_simplified(term), to_traditional(term)}:
            match |= Q(name__icontains=variant)
        tags = tags.filter(match)
    start = (page - 1) * TAGS_PER_PAGE
    found = list(tags.values_list("name", flat=True)[start:start + TAGS_PER_PAGE + 1])
    return JsonResponse({"results": [{"id": name, "text": name} for name in found[:TAGS_PER_PAGE]],
                         "pagination": {"more": len(found) > TAGS_PER_PAGE}})
