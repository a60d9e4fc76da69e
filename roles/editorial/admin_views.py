"""The Markdown preview endpoint behind the admin's preview tab."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from roles.core.markdown import MAX_MARKDOWN_CHARS, render_markdown

MAX_PREVIEW_CHARS = MAX_MARKDOWN_CHARS


@staff_member_required
@require_POST
def markdown_preview(request: HttpRequest) -> JsonResponse:
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": "Text too long to preview."}, status=413)
    return JsonResponse({"html": str(render_markdown(text))})
