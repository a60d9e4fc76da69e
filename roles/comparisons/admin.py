"""Admin for curated comparisons."""

from __future__ import annotations

from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminBase,
    SortableStackedInline,
)
from django import forms
from django.contrib import admin
from django.utils import timezone
from reversion_compare.admin import CompareVersionAdmin as VersionAdmin

from roles import models as m
from roles.editorial.admin import WorkflowAdminMixin
from roles.editorial.admin_common import (
    EditorFieldsMixin,
    LabelledFieldsMixin,
    MarkdownPreviewMixin,
    ReviewedFilter,
    StateFilter,
    StateMixin,
)

# --- Comparisons ------------------------------------------------------------------


class ComparisonRoleFormSet(CustomInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if "role" in unique_check:
            return "Each role can appear only once in a comparison."
        return super().get_unique_error_message(unique_check)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        roles = [
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        slugs = [r.slug for r in roles]
        errors = m.comparison_rules(slugs)
        if errors:
            raise forms.ValidationError(errors)
        clash = m.comparison_clash(slugs, exclude_pk=self.instance.pk)
        if clash:
            raise forms.ValidationError(clash)


class ComparisonRoleInline(
    LabelledFieldsMixin, EditorFieldsMixin, MarkdownPreviewMixin, SortableStackedInline
):
    model = m.ComparisonRole
    formset = ComparisonRoleFormSet
    fields = ["role", "suits"]
    extra = 0
    min_num = 2
    max_num = m.MAX_COMPARED_ROLES
    autocomplete_fields = ["role"]


class ContextNoteInline(EditorFieldsMixin, MarkdownPreviewMixin, admin.StackedInline):
    model = m.ContextNote
    fields = [("factor", "label", "order"), "note"]
    extra = 0


@admin.register(m.Comparison)
class ComparisonAdmin(
    WorkflowAdminMixin,
    LabelledFieldsMixin,
    EditorFieldsMixin,
    MarkdownPreviewMixin,
    StateMixin,
    SortableAdminBase,
    VersionAdmin,
):
    list_display = ["title", "key", "state_label", "last_reviewed"]
    list_filter = [StateFilter, ReviewedFilter]
    search_fields = ["title", "key"]
    inlines = [ComparisonRoleInline, ContextNoteInline]
    fieldsets = [
        (None, {"fields": ["title", "tldr", "body", "last_reviewed"]}),
        ("Publishing", {"fields": ["status", "publish_at", "unpublish_at"]}),
    ]
    readonly_fields = ["key"]
    save_on_top = True

    def save_model(self, request, obj, form, change):
        if not obj.key:
            # A placeholder until the roles are saved; unique and never shown.
            obj.key = f"pending-{timezone.now().timestamp()}"
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_key()
