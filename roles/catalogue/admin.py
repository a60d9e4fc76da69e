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

from roles import models as m
from roles.catalogue.admin_guide import GUIDE_INLINES
from roles.editorial.admin import WorkflowAdminMixin
from roles.editorial.admin_common import (
    EditorFieldsMixin,
    LabelledFieldsMixin,
    MarkdownPreviewMixin,
    MissingValuesFilter,
    PublishersChangeMixin,
    ReviewedFilter,
    StateFilter,
    StateMixin,
)

# --- Vocabularies -------------------------------------------------------------


@admin.register(m.Theme)
class ThemeAdmin(PublishersChangeMixin, SortableAdminMixin, VersionAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(m.Dimension)
class DimensionAdmin(PublishersChangeMixin, SortableAdminMixin, VersionAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(m.ContextFactor)
class ContextFactorAdmin(PublishersChangeMixin, SortableAdminMixin, VersionAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


# --- Roles ----------------------------------------------------------------------


class ResponsibilityInline(
    LabelledFieldsMixin, EditorFieldsMixin, SortableTabularInline
):
    """In the public page's order, under a heading per theme
    (static/js/admin-theme-groups.js): choosing a theme or dragging a row
    under another heading moves it there."""

    model = m.Responsibility
    fields = ["theme", "text"]
    extra = 0

    class Media:
        js = ["js/admin-theme-groups.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "theme":
            # Themes are edited on their own page: no add/change/view icons
            # crowding every row.
            for can in ("add", "change", "delete", "view"):
                setattr(field.widget, f"can_{can}_related", False)
        return field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("theme")
            .order_by("theme__order", "theme__name", "order", "id")
        )


class SourceInline(EditorFieldsMixin, SortableStackedInline):
    model = m.Source
    fields = [("title", "publisher"), "url", "note"]
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DimensionValueInline(LabelledFieldsMixin, EditorFieldsMixin, admin.TabularInline):
    """A row per dimension the role has no value for yet, its dimension
    already chosen: the editor only types the values."""

    model = m.DimensionValue
    fields = ["dimension", "value"]
    extra = 0

    def _missing(self, obj) -> list[m.Dimension]:
        # ``all()``: over an open draft, the draft's rows (in memory).
        have = {v.dimension_id for v in obj.dimension_values.all()} if obj else set()
        return [d for d in m.Dimension.objects.all() if d.pk not in have]

    def get_extra(self, request, obj=None, **kwargs):
        return len(self._missing(obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        initial = [{"dimension": d.pk} for d in self._missing(obj)]

        class Prefilled(formset):
            def __init__(self, *args, **kw):
                kw.setdefault("initial", initial)
                super().__init__(*args, **kw)

        return Prefilled


@admin.register(m.Role)
class RoleAdmin(
    WorkflowAdminMixin,
    LabelledFieldsMixin,
    EditorFieldsMixin,
    MarkdownPreviewMixin,
    StateMixin,
    SortableAdminBase,
    VersionAdmin,
):
    # Reversion's list with "Start from an existing role" (the quick way to add one).
    change_list_template = "admin/roles/role/change_list.html"
    list_display = ["name", "family", "state_label", "last_reviewed", "missing_values"]
    list_filter = [StateFilter, "family", ReviewedFilter, MissingValuesFilter]
    search_fields = ["name", "slug", "summary", "also_known_as"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [
        ResponsibilityInline,
        SourceInline,
        DimensionValueInline,
        *GUIDE_INLINES,
    ]
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
        ("Publishing", {"fields": ["status", "publish_at", "unpublish_at"]}),
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
