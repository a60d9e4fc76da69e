"""Admin for roles and the vocabularies they use (themes, dimensions, context factors)."""

from __future__ import annotations

from adminsortable2.admin import (
    SortableAdminBase,
    SortableAdminMixin,
    SortableStackedInline,
    SortableTabularInline,
)
from django.contrib import admin
from django.db import models
from django.db.models import Count, Value
from reversion_compare.admin import CompareVersionAdmin as VersionAdmin

from .. import models as m
from .common import (
    MarkdownPreviewMixin,
    MissingValuesFilter,
    ReviewedFilter,
    StateMixin,
)

# --- Vocabularies -------------------------------------------------------------


@admin.register(m.Theme)
class ThemeAdmin(SortableAdminMixin, VersionAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(m.Dimension)
class DimensionAdmin(SortableAdminMixin, VersionAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(m.ContextFactor)
class ContextFactorAdmin(SortableAdminMixin, VersionAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


# --- Roles ----------------------------------------------------------------------


class ResponsibilityInline(SortableTabularInline):
    model = m.Responsibility
    fields = ["text", "theme"]
    extra = 0
    autocomplete_fields = ["theme"]


class SourceInline(SortableStackedInline):
    model = m.Source
    fields = [("title", "publisher"), "url", "note"]
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DimensionValueInline(admin.TabularInline):
    model = m.DimensionValue
    fields = ["dimension", "value"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        total = m.Dimension.objects.count()
        have = obj.dimension_values.count() if obj else 0
        return max(total - have, 0)


@admin.register(m.Role)
class RoleAdmin(MarkdownPreviewMixin, StateMixin, SortableAdminBase, VersionAdmin):
    list_display = ["name", "family", "state_label", "last_reviewed", "missing_values"]
    list_filter = ["status", "family", ReviewedFilter, MissingValuesFilter]
    search_fields = ["name", "slug", "summary", "also_known_as"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ResponsibilityInline, SourceInline, DimensionValueInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "family", "summary", "overview"]}),
        ("About the role", {"fields": ["also_known_as", "origin", "last_reviewed"]}),
        (
            "Role map",
            {
                "fields": ["map_x", "map_y"],
                "description": "Where the role sits on the role map shown on the "
                "role list and on every questionnaire result (0 to 100 on each axis).",
            },
        ),
        ("Publishing", {"fields": ["status", "publish_at"]}),
    ]
    save_on_top = True

    def get_queryset(self, request):
        # Dimensions are counted once per list, not once per row.
        total = m.Dimension.objects.count()
        return (
            super()
            .get_queryset(request)
            .annotate(
                missing_value_count=Value(total)
                - Count("dimension_values", distinct=True)
            )
        )

    @admin.display(description="missing values")
    def missing_values(self, obj) -> str:
        missing = obj.missing_value_count
        return str(missing) if missing else "—"
