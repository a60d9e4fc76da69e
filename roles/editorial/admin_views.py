"""The Markdown preview endpoint behind the admin's preview tab, and the admin's
search across all content."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from roles.core.markdown import MAX_MARKDOWN_CHARS, render_markdown
from roles.editorial.admin_search import admin_search

MAX_PREVIEW_CHARS = MAX_MARKDOWN_CHARS


@staff_member_required
@require_POST
def markdown_preview(request: HttpRequest) -> JsonResponse:
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": "Text too long to preview."}, status=413)
    return JsonResponse({"html": str(render_markdown(text))})


@staff_member_required
@require_GET
def admin_search_view(request: HttpRequest) -> HttpResponse:
    """One search box across roles, comparisons, questions and glossary terms."""
    query = request.GET.get("q", "").strip()[:200]
    context = {
        **admin.site.each_context(request),
        "title": "Search all content",
        "query": query,
        "groups": admin_search(query=query),
    }
    return render(request, "admin/roles/search.html", context)
