"""Pieces the content admins share: Markdown preview, publishing state, filters."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from .. import models as m

MARKDOWN_FIELDS = {"overview", "tldr", "body", "suits", "note", "definition"}


class MarkdownPreviewMixin:
    """Markdown fields get a Preview button (static/js/admin-markdown-preview.js)
    that shows the sanitised result, exactly as the public page will."""

    class Media:
        js = ["js/admin-markdown-preview.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in MARKDOWN_FIELDS:
            field.widget.attrs.update(
                {
                    "data-markdown": "1",
                    "data-markdown-preview-url": reverse("markdown_preview"),
                }
            )
        return field


class StateMixin:
    @admin.display(description="state")
    def state_label(self, obj) -> str:
        if obj.state == "Scheduled":
            local = timezone.localtime(obj.publish_at)
            return f"Scheduled for {local:%d %b %Y %H:%M} ({local.tzname()})"
        return obj.state


class ReviewedFilter(admin.SimpleListFilter):
    title = "last reviewed"
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [
            ("stale", "Not in the last 12 months"),
            ("recent", "In the last 12 months"),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - timezone.timedelta(days=365)
        if self.value() == "stale":
            return queryset.filter(
                Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True)
            )
        if self.value() == "recent":
            return queryset.filter(last_reviewed__gte=cutoff)
        return queryset


class MissingValuesFilter(admin.SimpleListFilter):
    title = "comparison values"
    parameter_name = "values"

    def lookups(self, request, model_admin):
        return [("missing", "Missing a dimension value")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            total = m.Dimension.objects.count()
            return queryset.annotate(
                value_count=Count("dimension_values", distinct=True)
            ).filter(value_count__lt=total)
        return queryset
