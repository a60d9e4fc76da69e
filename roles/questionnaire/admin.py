"""Admin for the questionnaire: questions, options and per-role points, stored results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminMixin,
    SortableTabularInline,
)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin as VersionAdmin

from roles import models as m
from roles.editorial.admin import WorkflowAdminMixin
from roles.editorial.admin_common import LabelledFieldsMixin, StateFilter, StateMixin
from roles.editorial.staged import set_related
from roles.questionnaire import scoring
from roles.questionnaire.impact import impact_of
from roles.questionnaire.models import NO_POINTS
from roles.questionnaire.selectors import stored_results

# --- Questionnaire -----------------------------------------------------------------


def _points_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=m.MIN_POINTS,
        max_value=m.MAX_POINTS,
        required=False,
        widget=forms.NumberInput(attrs={"class": "points-input", "size": 2}),
        error_messages={
            "min_value": f"Points go from {m.MIN_POINTS} to {m.MAX_POINTS}.",
            "max_value": f"Points go from {m.MIN_POINTS} to {m.MAX_POINTS}.",
        },
    )


def _roles() -> list[m.Role]:
    return list(m.Role.objects.only("name", "slug").order_by("name"))


if TYPE_CHECKING:
    # What the mixin is mixed into, so that its methods are checked against it.
    _ModelFormBase = forms.ModelForm
else:
    _ModelFormBase = object


class PointsFormMixin(_ModelFormBase):
    """One number field per role, named ``points_<role id>``, saved into a
    points model after the form's own object. ``roles`` is set on the class
    that declares the fields (see ``_with_points``), so each form of a formset
    costs no query of its own; existing points come from the related manager,
    which the inline prefetches."""

    points_model: type[Model]
    points_parent: str
    points_related: str
    roles: tuple[m.Role, ...] = ()

    def _load_points(self) -> None:
        existing = {}
        if self.instance.pk:
            existing = {
                p.role_id: p.points
                for p in getattr(self.instance, self.points_related).all()
            }
        for role in self.roles:
            self.fields[f"points_{role.pk}"].initial = existing.get(role.pk, 0)

    def staged_related(self) -> None:
        """The points ``_save_m2m`` would save, as unsaved rows the record's
        serialiser reads (``roles.editorial.staged``): nothing is written."""
        by_id = {role.pk: role for role in self.roles}
        rows = []
        for name, value in self.cleaned_data.items():
            if not name.startswith("points_") or not value:
                continue
            role = by_id[int(name.removeprefix("points_"))]
            rows.append(
                self.points_model(
                    **{self.points_parent: self.instance},
                    role=role,
                    points=value,
                )
            )
        set_related(self.instance, self.points_related, rows)

    def _save_m2m(self):
        super()._save_m2m()
        for name, value in self.cleaned_data.items():
            if not name.startswith("points_"):
                continue
            role_id = int(name.removeprefix("points_"))
            lookup = {self.points_parent: self.instance, "role_id": role_id}
            if value:
                self.points_model._default_manager.update_or_create(
                    **lookup, defaults={"points": value}
                )
            else:
                self.points_model._default_manager.filter(**lookup).delete()


class OptionFormBase(PointsFormMixin, forms.ModelForm):
    points_model = m.OptionPoints
    points_parent = "option"
    points_related = "points"

    class Meta:
        model = m.Option
        fields = ["text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_points()


class QuestionFormBase(PointsFormMixin, forms.ModelForm):
    points_model = m.StatementPoints
    points_parent = "question"
    points_related = "statement_points"

    confirm_impact = forms.BooleanField(
        label="Save anyway",
        required=False,
        help_text="Tick to save points that change the top role of stored results "
        "(those results keep their own snapshot; this affects new ones only).",
    )

    class Meta:
        model = m.Question
        fields = ["text", "key", "kind", "hint", "status", "publish_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_points()

    @classmethod
    def posted_impact_inputs(cls, data) -> tuple[dict[int, int], bool]:
        """The statement weights and the "Save anyway" box as posted in
        ``data``, cleaned by this form's own fields (invalid values count as
        none: the form reports them). The options formset checks the impact
        of a change with them; it validates apart from this form."""
        weights = {}
        for role in cls.roles:
            name = f"points_{role.pk}"
            try:
                value = cls.base_fields[name].clean(data.get(name))
            except forms.ValidationError:
                value = None
            weights[role.pk] = value or 0
        confirm = cls.base_fields["confirm_impact"].clean(data.get("confirm_impact"))
        return weights, bool(confirm)


def _with_points(base: type, roles: list[m.Role]) -> type:
    attrs: dict[str, Any] = {
        f"points_{role.pk}": _points_field(role.name) for role in roles
    }
    attrs["roles"] = tuple(roles)
    return type(base.__name__, (base,), attrs)


class OptionFormSet(CustomInlineFormSet):
    """``statement_weights`` and ``confirm_impact`` are the question form's
    posted values (``QuestionAdmin.get_formset_kwargs``); ``impact_preview``
    is what the change would do to stored results, shown at the top of the form."""

    def __init__(
        self,
        *args,
        statement_weights: dict[int, int] | None = None,
        confirm_impact: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.statement_weights = statement_weights or {}
        self.confirm_impact = confirm_impact
        self.impact_preview: dict[str, object] | None = None

    def clean(self):
        super().clean()
        kept = [
            f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if self._mark_duplicates(kept):
            raise forms.ValidationError(m.DUPLICATE_OPTIONS)
        if any(self.errors):
            return
        errors = m.question_rules(
            self.instance.kind,
            [f.cleaned_data.get("text", "") for f in kept],
            weighted=False,  # a scenario's statement points are dropped on save
        )
        if errors:
            raise forms.ValidationError(errors)
        if self.instance.status == m.Status.PUBLISHED and not self._moves_a_role(kept):
            raise forms.ValidationError(NO_POINTS)
        self._check_impact(kept)

    def _mark_duplicates(self, kept: list[forms.BaseForm]) -> bool:
        """Mark each kept row whose text another kept row has too, whatever
        errors other rows have (so the editor hears of it on this save, not
        on the next one); whether there were any."""
        texts = [f for f in kept if "text" in f.cleaned_data]
        duplicates = m.duplicate_options([f.cleaned_data["text"] for f in texts])
        for index in duplicates:
            texts[index].add_error("text", m.DUPLICATE_OPTION)
        return bool(duplicates)

    def _moves_a_role(self, kept) -> bool:
        """Whether some answer moves some role's points (``scoring.scores_something``),
        for the question as posted: its options' points, or its statement's
        weights."""
        spec = scoring.QuestionSpec(
            key=self.instance.key,
            kind=self.instance.kind,
            text=self.instance.text,
            options=tuple(
                scoring.OptionSpec(
                    f.cleaned_data.get("text", ""),
                    {
                        k: v or 0
                        for k, v in f.cleaned_data.items()
                        if k.startswith("points_")
                    },
                )
                for f in kept
            ),
            weights={str(pk): w for pk, w in self.statement_weights.items()},
        )
        return scoring.scores_something(spec)

    def _check_impact(self, kept) -> None:
        """Before points change, say how many stored results would get a
        different top role, and ask the editor to confirm."""
        question = self.instance
        if not question.pk or self.confirm_impact:
            return
        saved = m.Question.objects.get(pk=question.pk)
        slugs = dict(m.Role.objects.values_list("pk", "slug"))

        def by_slug(points: dict[int, int]) -> dict[str, int]:
            return {slugs[pk]: v for pk, v in points.items() if v and pk in slugs}

        if question.kind == m.QuestionKind.SCENARIO:
            ordered = sorted(kept, key=lambda f: f.cleaned_data.get("order") or 0)
            proposed = scoring.QuestionSpec(
                saved.key,
                question.kind,
                question.text,
                options=tuple(
                    scoring.OptionSpec(
                        f.cleaned_data.get("text", ""),
                        by_slug(
                            {
                                int(k.removeprefix("points_")): v or 0
                                for k, v in f.cleaned_data.items()
                                if k.startswith("points_")
                            }
                        ),
                    )
                    for f in ordered
                ),
            )
        else:
            proposed = scoring.QuestionSpec(
                saved.key,
                question.kind,
                question.text,
                weights=by_slug(self.statement_weights),
            )
        impact = impact_of(proposed, stored_results(saved.key))
        if impact.changed:
            names = dict(m.Role.objects.values_list("slug", "name"))
            self.impact_preview = {
                "impact": impact,
                "rows": [(names.get(s.role, s.role), s) for s in impact.shifts],
            }
            raise forms.ValidationError(
                f"{impact.changed} of {impact.affected} stored results that answered "
                "this question would now get a different top role. Nothing is saved "
                "yet: check the table at the top of the form, then choose “Save anyway” "
                "or change the points."
            )


class OptionInline(LabelledFieldsMixin, SortableTabularInline):
    model = m.Option
    formset = OptionFormSet
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("points")

    def get_formset(self, request, obj=None, **kwargs):
        roles = _roles()
        kwargs["form"] = _with_points(OptionFormBase, roles)
        # "order" is the field adminsortable2 renumbers after a drag or a
        # move (hidden in the row): left out, a reorder was never saved.
        kwargs["fields"] = ["text", "order", *[f"points_{r.pk}" for r in roles]]
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["text", "order", *[f"points_{r.pk}" for r in _roles()]]


@admin.register(m.Question)
class QuestionAdmin(
    WorkflowAdminMixin,
    LabelledFieldsMixin,
    StateMixin,
    SortableAdminMixin,
    VersionAdmin,
):
    list_display = ["text", "kind", "state_label"]

    def view_on_site(self, obj):
        return reverse("roles:quiz") + "?preview=1"

    list_filter = [StateFilter, "kind"]
    search_fields = ["text", "key"]
    prepopulated_fields = {"key": ["text"]}
    inlines = [OptionInline]
    save_on_top = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _with_points(QuestionFormBase, _roles())
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        roles = _roles()
        return [
            # confirm_impact is posted by the impact panel's "Save anyway"
            # button at the top of the form, not shown as a second box.
            (None, {"fields": ["text", "key", "kind", "hint"]}),
            (
                "Agreement statement weights",
                {
                    "fields": [f"points_{r.pk}" for r in roles],
                    "description": "Only for agreement statements: points each role "
                    f"gets for “strongly agree” ({m.MIN_POINTS}–{m.MAX_POINTS}). "
                    "“Agree” gives half, neutral nothing, “disagree” takes half away "
                    "and “strongly disagree” the full weight. Scenario questions give "
                    "points through their options below.",
                    "classes": ["collapse"]
                    if obj and obj.kind == m.QuestionKind.SCENARIO
                    else [],
                },
            ),
            ("Publishing", {"fields": ["status", "publish_at", "unpublish_at"]}),
        ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST" and isinstance(inline, OptionInline):
            form = self.get_form(request, obj, change=bool(obj and obj.pk))
            weights, confirm = form.posted_impact_inputs(request.POST)
            kwargs.update(statement_weights=weights, confirm_impact=confirm)
        return kwargs

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        previews = [
            inline.formset.impact_preview
            for inline in context.get("inline_admin_formsets", [])
            if getattr(inline.formset, "impact_preview", None)
        ]
        context["impact_preview"] = previews[0] if previews else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.kind == m.QuestionKind.SCENARIO:
            form.instance.statement_points.all().delete()

    # Versions saved before a question's revision held its points (the
    # admin's registration followed its options only) cannot bring them back:
    # restoring one would leave every answer scoring nothing.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(
            Version, pk=version_id, object_id=unquote(object_id)
        )
        if not _holds_points(version):
            messages.error(request, POINTS_NOT_KEPT)
            return HttpResponseRedirect(
                reverse("admin:roles_question_history", args=[unquote(object_id)])
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        if not _holds_points(version):
            messages.error(request, POINTS_NOT_KEPT)
            return HttpResponseRedirect(reverse("admin:roles_question_recoverlist"))
        return super().recover_view(request, version_id, extra_context)

    def stage_related(self, request, form, formsets) -> None:
        """``save_related`` for a staged draft, in memory: a scenario keeps
        no statement points."""
        super().stage_related(request, form, formsets)
        if form.instance.kind == m.QuestionKind.SCENARIO:
            set_related(form.instance, "statement_points", [])


POINTS_NOT_KEPT = (
    "That version was saved before answer points were kept in the history, so "
    "restoring it would leave its answers scoring nothing. Compare it with the "
    "current version and copy what you need by hand."
)


def _holds_points(version: Version) -> bool:
    return version.revision.version_set.filter(
        content_type__model__in=["optionpoints", "statementpoints"]
    ).exists()


@admin.register(m.Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "top_role_slug", "fit"]
    list_filter = ["fit", "top_role_slug"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "id",
        "created_at",
        "answers",
        "snapshot",
        "result",
        "top_role_slug",
        "fit",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.SeedRecord)
class SeedRecordAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "updated_at"]
    readonly_fields = ["kind", "key", "fingerprint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
