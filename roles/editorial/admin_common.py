"""Pieces the content admins share: Markdown preview, publishing state, filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from roles import models as m
from roles.editorial import times
from roles.editorial.workflow import can_publish

MARKDOWN_FIELDS = {"overview", "tldr", "body", "suits", "note", "definition"}


WIDE_TEXT_FROM = 150  # characters: longer single-line fields get a textarea


class NamedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box with a placeholder ("Choose a role"): with
    nothing chosen yet, select2's combobox is named by its (empty) text."""

    def __init__(self, *args, placeholder: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholder = placeholder

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = self.placeholder
        return attrs


def _name(widget, text: str) -> None:
    widget.attrs["aria-label"] = text
    inner = getattr(widget, "widget", None)  # RelatedFieldWidgetWrapper
    if inner is not None:
        inner.attrs["aria-label"] = text


class ScheduleTimeField(forms.SplitDateTimeField):
    """A record's "Publish from" or "Unpublish at" (the admin's date and time
    boxes), read by the rule every schedule an editor types is read by
    (``times.local_time``): the same words as a draft's "Schedule" box."""

    default_error_messages = {
        "invalid_date": times.FORMAT_HINT,
        "invalid_time": times.FORMAT_HINT,
    }

    def compress(self, data_list):
        if not data_list:
            return None
        date, time = data_list
        if date in self.empty_values or time in self.empty_values:
            raise ValidationError(times.FORMAT_HINT, code="invalid")
        return times.local_time(dt.datetime.combine(date, time))


class LabelledFieldsMixin:
    """Every input has an accessible name. A tabular inline shows its fields
    under column headings, which are not labels, so each input is named after
    its column and row ("Responsibility 3: Text"); the date and time boxes of a
    date-time field are named "Publish at: date" and "Publish at: time"; an
    empty autocomplete box says what to choose."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            widget = getattr(field.widget, "widget", field.widget)
            label = str(field.label or db_field.verbose_name).capitalize()
            parts = getattr(widget, "widgets", [])
            for part, name in zip(parts, ("date", "time"), strict=False):
                part.attrs["aria-label"] = f"{label}: {name}"
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            noun = db_field.related_model._meta.verbose_name
            kwargs["widget"] = NamedAutocompleteSelect(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
                placeholder=f"Choose a {noun}",
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset
        noun = str(self.model._meta.verbose_name).capitalize()

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                row = "new row" if index is None else str(index + 1)
                for name, field in form.fields.items():
                    if not field.widget.is_hidden:
                        label = str(field.label or name).capitalize()
                        _name(field.widget, f"{noun} {row}: {label}")

        Labelled.__name__ = formset.__name__
        return Labelled


class LineEndingsCharField(forms.CharField):
    """Text as the model stores it: a browser posts textareas with CRLF line
    ends, the model keeps LF, so an untouched multi-line field compares equal
    to what is stored and never shows up as changed in history messages."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class EditorFieldsMixin:
    """Text fields say their limit (the model's max_length, enforced by the
    browser too), compare with LF line ends, and long single-line fields get
    a wide, two-line box."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        limit = getattr(db_field, "max_length", None)
        is_text = isinstance(db_field, (models.CharField, models.TextField))
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", LineEndingsCharField)
        if (
            is_text
            and not db_field.choices
            and limit
            and limit >= WIDE_TEXT_FROM
            and not isinstance(db_field, models.TextField)
            and not isinstance(db_field, models.URLField)
        ):
            kwargs.setdefault(
                "widget", forms.Textarea(attrs={"rows": 2, "class": "wide-text"})
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and is_text and limit and not db_field.choices:
            note = f"Up to {limit:,} characters."
            field.help_text = f"{field.help_text} {note}".strip()
            field.widget.attrs.setdefault("maxlength", str(limit))
            field.widget.attrs["data-limit"] = str(limit)
        return field


class MarkdownPreviewMixin:
    """Markdown fields get a Preview button (static/js/admin-markdown-preview.js)
    that shows the sanitised result, exactly as the public page will."""

    class Media:
        css = {"all": ["css/editor.css"]}
        js = ["js/admin-markdown-preview.js", "js/admin-text-limits.js"]

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
        if obj.state == "Published" and obj.unpublish_at:
            local = timezone.localtime(obj.unpublish_at)
            return f"Published until {local:%d %b %Y %H:%M} ({local.tzname()})"
        return obj.state


class StateFilter(admin.SimpleListFilter):
    """Draft, scheduled, live or expired, as the public sees it now."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("expired", "Unpublished (expired)"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "draft":
            return queryset.filter(status=m.Status.DRAFT)
        if value == "scheduled":
            return queryset.filter(status=m.Status.PUBLISHED, publish_at__gt=now)
        if value == "live":
            return queryset.published(now)
        if value == "expired":
            return queryset.filter(status=m.Status.PUBLISHED, unpublish_at__lte=now)
        return queryset


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


class PublishersReorderMixin:
    """A sortable list (adminsortable2's ``SortableAdminMixin``) whose order
    is the live order: only publishers may drag its rows (the server refuses
    anyone else's reorder). Others get no drag handles and a line saying so;
    they were offered the handles, and their drag was refused without a word
    and undone at the next load."""

    REORDER_NOTE = (
        "Only publishers can change this order: it changes the live site at once."
    )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if getattr(self, "enable_sorting", False) and not can_publish(request.user):
            self.enable_sorting = False
        return changelist

    def changelist_view(self, request, extra_context=None):
        if (
            hasattr(self, "default_order_field")
            and request.method == "GET"
            and not can_publish(request.user)
        ):
            messages.info(request, self.REORDER_NOTE)
        return super().changelist_view(request, extra_context)


class PublishersChangeMixin(PublishersReorderMixin):
    """Content without drafts (the vocabularies, the glossary): saving it
    changes the live site at once, so only publishers add, change, delete,
    reorder or restore it; every editor may read it."""

    def has_add_permission(self, request, *args) -> bool:
        return can_publish(request.user) and super().has_add_permission(  # type: ignore[misc]
            request, *args
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return can_publish(request.user) and super().has_change_permission(  # type: ignore[misc]
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_publish(request.user) and super().has_delete_permission(  # type: ignore[misc]
            request, obj
        )


# --- Inline rows without JavaScript ----------------------------------------------

#: Blank rows drawn after an inline's saved rows, for editors without
#: JavaScript (no "Add another"); static/js/admin-spare-rows.js takes them
#: out where scripts run.
SPARE_ROWS = 1

ORDER_HELP = (
    "Lower numbers come first. A row given the number of another goes before "
    "it; a new row left at 0 goes last."
)


def spare_row(form: forms.BaseForm, original: models.Model | None) -> bool:
    """A blank extra row: no saved row behind it and nothing typed in it."""
    return original is None and (not form.is_bound or not form.has_changed())


def script_free(formset: type[forms.BaseFormSet]) -> type[forms.BaseFormSet]:
    """``formset`` as editors without JavaScript can use it: at least
    SPARE_ROWS blank rows to add with, and on a sortable inline
    (adminsortable2, which hides the order for its drag-and-drop) the order
    as a number to type. Scripts hide the order again (static/css/admin.css)
    and still number it after a drag or a move."""

    class ScriptFree(formset):  # type: ignore[valid-type,misc]
        extra = max(formset.extra, SPARE_ROWS)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            name = getattr(self, "default_order_field", None)
            field = self.form.base_fields.get(name) if name else None
            if field is not None:
                # adminsortable2's formset makes it hidden on each __init__,
                # before any row's form is built from base_fields.
                field.widget = forms.NumberInput(
                    attrs={"class": "_reorder_ order-input", "min": 0}
                )
                field.help_text = ORDER_HELP

        def clean(self):
            super().clean()
            self._number_rows()

        def _number_rows(self) -> None:
            """Typed orders taken as typed, without ties: rows in the order
            of their numbers (a row whose number was just changed before one
            that already had it; a new row left at 0 last), each then given
            its number, or the one after the row before it where that is
            taken. The numbers that need no change keep theirs; adminsortable2
            numbers the same way after a drag, so scripts lose nothing."""
            name = getattr(self, "default_order_field", None)
            if not name or name not in self.form.base_fields or any(self.errors):
                return
            rows = []
            for index, form in enumerate(self.forms):
                data = getattr(form, "cleaned_data", None)
                if not data or (self.can_delete and self._should_delete_form(form)):
                    continue
                typed = data.get(name) or 0
                if form.instance.pk is None and not typed:
                    key: tuple = (1, 0, 0, index)  # added, no place given: last
                else:
                    key = (0, typed, 0 if name in form.changed_data else 1, index)
                rows.append((key, form))
            last: int | None = None
            for key, form in sorted(rows, key=lambda row: row[0]):
                wanted = key[1] if key[0] == 0 else (last or 0) + 1
                number = wanted if last is None or wanted > last else last + 1
                last = number
                if number != (form.cleaned_data.get(name) or 0) or (
                    form.instance.pk is None
                ):
                    form.cleaned_data[name] = number
                    setattr(form.instance, name, number)
                    if name not in form.changed_data:
                        form.changed_data.append(name)

    ScriptFree.__name__ = formset.__name__
    return ScriptFree
