"""Admin for the structured guide (issue 15) and the glossary. The guide parts
are inlines on the role form, in the order readers see them; the order of
skills, ways in, the week, anti-patterns, related roles and career paths is
set by dragging."""

from __future__ import annotations

from adminsortable2.admin import SortableStackedInline, SortableTabularInline
from django.contrib import admin
from django.db import models
from reversion_compare.admin import CompareVersionAdmin as VersionAdmin

from roles import models as m
from roles.editorial.admin_common import (
    LabelledFieldsMixin,
    MarkdownPreviewMixin,
    PublishersChangeMixin,
)


class SkillInline(LabelledFieldsMixin, SortableTabularInline):
    model = m.Skill
    fields = ["name", "level", "note"]
    extra = 0


class WayInInline(SortableStackedInline):
    model = m.WayIn
    fields = ["title", "text"]
    extra = 0


class WeekActivityInline(LabelledFieldsMixin, SortableTabularInline):
    model = m.WeekActivity
    fields = ["activity", "hours", "text"]
    extra = 0


class AntiPatternInline(SortableStackedInline):
    model = m.AntiPattern
    fields = ["name", "text"]
    extra = 0


class RelatedRoleInline(LabelledFieldsMixin, SortableTabularInline):
    model = m.RelatedRole
    fk_name = "role"
    fields = ["related"]
    autocomplete_fields = ["related"]
    extra = 0
    verbose_name = "related role"
    verbose_name_plural = "related roles"


class CareerPathInline(LabelledFieldsMixin, SortableStackedInline):
    model = m.CareerPath
    fk_name = "from_role"
    fields = ["to_role", "summary", "new_responsibilities", "skills_to_build"]
    autocomplete_fields = ["to_role"]
    extra = 0
    verbose_name = "career path out of this role"
    verbose_name_plural = "career paths out of this role (shown on both roles' pages)"
    formfield_overrides = {
        models.TextField: {
            "widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 3})
        }
    }


GUIDE_INLINES: list[type[admin.options.InlineModelAdmin]] = [
    SkillInline,
    WayInInline,
    WeekActivityInline,
    AntiPatternInline,
    RelatedRoleInline,
    CareerPathInline,
]


@admin.register(m.GlossaryTerm)
class GlossaryTermAdmin(PublishersChangeMixin, MarkdownPreviewMixin, VersionAdmin):
    list_display = ["term", "abbreviation", "slug", "source_title"]
    search_fields = ["term", "abbreviation", "aliases", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    autocomplete_fields = ["related_roles"]
    fieldsets = [
        (None, {"fields": ["term", "slug", "abbreviation", "aliases", "definition"]}),
        ("Source", {"fields": ["source_title", "source_url", "source_publisher"]}),
        (
            "Roles",
            {
                "fields": ["related_roles"],
                "description": "The roles the term belongs with, published in "
                "the open data API as related_roles. The glossary page's "
                "“Used in” is worked out from the guides' and comparisons' "
                "text (where the term is linked), not from this list.",
            },
        ),
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
