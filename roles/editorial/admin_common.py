"""Pieces the content admins share: Markdown preview, publishing state, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from roles import models as m
from roles.editorial import times
from roles.editorial.models import OrderChange, OrderHow
from roles.editorial.order_history import (
    HISTORY_LENGTH,
    order_change_record,
    order_fingerprint,
    order_history,
    restored_order,
)
from roles.editorial.workflow import can_publish
from roles.publishing.signals import bump_content_version

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


#: The highest position a row of a typed order may be given (far above any
#: list's length; the order field is a positive integer).
MAX_POSITION = 100_000
TYPED_ORDER_HELP = (
    "Lower numbers come first. A row given the number of another goes before "
    "it. The order changes the live site as soon as it is saved."
)
ORDER_CHANGED = (
    "The order changed since you opened this page (another publisher moved, "
    "added or removed a row). Nothing is saved: the list below is the order "
    "now; the rows you gave a new number keep it, the others have their "
    "number now. Check them and save again."
)
PAGE_OUT_OF_DATE = "This page is out of date: open the order again."
RESTORE_CHANGED = (
    "The order changed since you opened this page (another publisher moved, "
    "added or removed a row). Nothing is restored: the history below is up "
    "to date. Check it and restore again."
)
DRAG_CHANGED = (
    "The order changed since this page was drawn (another publisher moved, "
    "added or removed a row). Your move is not saved: reload the page to see "
    "the order now, then move the row again."
)
MOVE_CHANGED = (
    "The order changed since this page was drawn (another publisher moved, "
    "added or removed a row). Nothing is moved: the list below is the order "
    "now. Select the rows and move them again."
)
RESTORE_OUT_OF_DATE = "This page is out of date: open the order history again."
RESTORE_HELP = (
    "Restoring puts the rows that still exist back in the order before that "
    "change; rows added since go at the end, in their order now. It changes "
    "the live site at once and is recorded here."
)


def retyped_positions(
    *, shown: list[int], current: list[int], typed: Mapping[str, str]
) -> dict[str, str]:
    """A typed order's fields over the order there is now (``current``),
    when the page showed another (``shown``): a row whose typed number
    differs from the one its page showed keeps what was typed; every other
    row, and a row added since, gets its position now."""
    was = {pk: str(n) for n, pk in enumerate(shown, start=1)}
    fields = {}
    for position, pk in enumerate(current, start=1):
        name = f"row-{pk}"
        value = typed.get(name)
        changed = pk in was and value is not None and value.strip() != was[pk]
        fields[name] = value if changed and value is not None else str(position)
    return fields


class TypedOrderForm(forms.Form):
    """A sortable list's order as a number per row, for publishers without
    JavaScript (the drag needs it). ``shown`` is the order the page showed,
    so an order changed in between is not overwritten unseen."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, rows: list[models.Model], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["shown"].initial = ",".join(str(row.pk) for row in rows)
        for position, row in enumerate(rows, start=1):
            label = str(row)
            self.fields[f"row-{row.pk}"] = forms.IntegerField(
                label=label,
                initial=position,
                min_value=1,
                max_value=MAX_POSITION,
                error_messages={
                    "required": f"Give every row a position: “{label}” has none.",
                    "invalid": f"Give every row a position: “{label}” needs a "
                    "whole number.",
                    "min_value": f"“{label}”: positions are 1 or more.",
                    "max_value": f"“{label}”: positions are at most {MAX_POSITION}.",
                },
                widget=forms.NumberInput(
                    attrs={
                        "class": "order-input",
                        "min": 1,
                        "max": MAX_POSITION,
                        "aria-label": f"Position of {label}",
                    }
                ),
            )

    def clean_shown(self) -> list[int]:
        try:
            shown = self.cleaned_data["shown"]
            return [int(pk) for pk in shown.split(",")] if shown else []
        except ValueError:
            raise ValidationError(PAGE_OUT_OF_DATE, code="shown") from None

    def row_fields(self):
        return [(row, self[f"row-{row.pk}"]) for row in self.rows]

    def order(self) -> list[int]:
        """The rows' keys in the order typed: by number; a row given the
        number of another goes before it (its number was changed, the
        other's was not), as in a sortable inline (``script_free``)."""
        keys = []
        for index, row in enumerate(self.rows):
            typed = self.cleaned_data[f"row-{row.pk}"]
            moved = typed != index + 1
            keys.append(((typed, 0 if moved else 1, index), row.pk))
        return [pk for _, pk in sorted(keys)]


class PublishersReorderMixin:
    """A sortable list (adminsortable2's ``SortableAdminMixin``) whose order
    is the live order: only publishers may drag its rows (the server refuses
    anyone else's reorder). Others get no drag-handle column and a warning
    saying so; they were offered the handles, and their drag was refused
    without a word and undone at the next load.

    Every such list has a typed order too (``order/``, linked from the list):
    a position per row, for publishers without JavaScript, under the same
    rule as the drag.

    Every reorder, however made, is recorded (``order_change_record``) and
    listed on the list's order history (``order/history/``, for everyone
    who may see the list), where publishers can restore an earlier order."""

    REORDER_NOTE = (
        "Only publishers can change this order: it changes the live site at once."
    )

    # Set by the model admin and by adminsortable2 (annotations only: a list
    # without the drag has no default_order_field).
    model: Any
    admin_site: Any
    default_order_field: str
    default_order_direction: str

    def _sortable(self) -> bool:
        return hasattr(self, "default_order_field")

    def may_reorder(self, request) -> bool:
        """The drag's rule and the typed order's: a publisher who may change
        these records."""
        return can_publish(request.user) and self.has_change_permission(request)  # type: ignore[attr-defined]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if getattr(self, "enable_sorting", False) and not can_publish(request.user):
            self.enable_sorting = False
        return changelist

    def get_list_display(self, request):
        """Without the publish right, no drag-handle column: its handles
        cannot be used."""
        shown = list(super().get_list_display(request))
        if self._sortable() and not can_publish(request.user) and len(shown) > 1:
            shown = [name for name in shown if name != "_reorder_"]
        return shown

    def changelist_view(self, request, extra_context=None):
        if self._sortable() and request.method == "GET":
            if not can_publish(request.user):
                # A neutral note: nothing was done (not a success) and
                # nothing needs doing (not a warning).
                messages.info(request, self.REORDER_NOTE)
            may_reorder = self.may_reorder(request)
            extra_context = {
                **(extra_context or {}),
                "typed_order_url": reverse(self._order_url_name())
                if may_reorder
                else "",
                "order_history_url": reverse(self._order_url_name("history")),
                # Posted back with the page's moves (the change list form's
                # hidden "shown", drawn by the template): read before the
                # rows are, so an order changed in between refuses the move.
                "order_shown": self._fingerprint(self._ordered_rows(request))
                if may_reorder
                else "",
            }
        return super().changelist_view(request, extra_context)

    def _fingerprint(self, rows: list[models.Model]) -> str:
        field = self.default_order_field
        return order_fingerprint([(row.pk, getattr(row, field)) for row in rows])

    def get_update_url(self, request) -> str:
        """Where the change list's drag posts (adminsortable2's script reads
        it from the page): with the fingerprint of the order the page draws,
        so a drag on a list changed since is refused (``update_order``)."""
        url = super().get_update_url(request)  # type: ignore[misc]
        shown = self._fingerprint(self._ordered_rows(request))
        return f"{url}?{urlencode({'shown': shown})}"

    def update_order(self, request):
        """The drag: publishers only, whatever else the user may change;
        refused (409, nothing saved) when the list changed since the page
        was drawn, as the typed order and the restore are. adminsortable2
        posts only the new numbers of the rows it renumbered, reckoned from
        the numbers on the page, so on a stale page they would make an order
        nobody saw. static/js/admin-sortable-drag.js shows the message and
        sends the next drag with the fingerprint of the order just saved."""
        if not can_publish(request.user):
            raise PermissionDenied(self.REORDER_NOTE)
        if request.method != "POST":
            return super().update_order(request)
        with transaction.atomic():
            rows = self._ordered_rows(request, lock=True)
            if request.GET.get("shown") != self._fingerprint(rows):
                return JsonResponse({"message": DRAG_CHANGED}, status=409)
            response = super().update_order(request)
            if response.status_code != 200:
                # adminsortable2 answered the error itself: nothing is kept.
                transaction.set_rollback(True)
                return response
            self._record(request, OrderHow.DRAG, [row.pk for row in rows])
            update_url = self.get_update_url(request)
        return JsonResponse(
            {"message": "The order is saved.", "update_url": update_url}
        )

    # The bulk "move to page" actions adminsortable2 adds to a list of more
    # than one page: each recorded as one change, under the drag's rule.

    @admin.action(description="Move selected to specific page")
    def move_to_exact_page(self, request, queryset):
        self._recorded_move(request, super().move_to_exact_page, queryset)

    @admin.action(description="Move selected ... pages back")
    def move_to_back_page(self, request, queryset):
        self._recorded_move(request, super().move_to_back_page, queryset)

    @admin.action(description="Move selected ... pages forward")
    def move_to_forward_page(self, request, queryset):
        self._recorded_move(request, super().move_to_forward_page, queryset)

    @admin.action(description="Move selected to first page")
    def move_to_first_page(self, request, queryset):
        self._recorded_move(request, super().move_to_first_page, queryset)

    @admin.action(description="Move selected to last page")
    def move_to_last_page(self, request, queryset):
        self._recorded_move(request, super().move_to_last_page, queryset)

    def _recorded_move(self, request, move, queryset) -> None:
        """A move, refused (nothing moved, the change list drawn again with
        why) when the list changed since the page was drawn: adminsortable2
        reckons the rows' new numbers from the order there is when it runs,
        so from a stale page it would make an order nobody saw. The page
        posts the order it drew as ``shown`` (a plain form: no script
        needed); static/js/admin-sortable-drag.js keeps it current after the
        page's own drags."""
        if not can_publish(request.user):
            raise PermissionDenied(self.REORDER_NOTE)
        with transaction.atomic():
            rows = self._ordered_rows(request, lock=True)
            if request.POST.get("shown") != self._fingerprint(rows):
                messages.error(
                    request,
                    format_html(
                        '{} <a href="{}">See what changed in the order history</a>.',
                        MOVE_CHANGED,
                        reverse(self._order_url_name("history")),
                    ),
                )
                return
            move(request, queryset)
            self._record(request, OrderHow.MOVED, [row.pk for row in rows])

    def _order_keys(self, request, *, lock: bool = False) -> list[int]:
        return [row.pk for row in self._ordered_rows(request, lock=lock)]

    def _record(self, request, how: OrderHow, before: list[int]) -> None:
        """Record a reorder made by code that numbers the rows itself
        (adminsortable2's drag and moves): the order read after it."""
        order_change_record(
            model=self.model,
            user=request.user,
            how=how,
            before=before,
            after=self._order_keys(request),
        )

    def _order_url_name(self, page: str = "") -> str:
        opts = self.model._meta
        suffix = f"_{page}" if page else ""
        return f"admin:{opts.app_label}_{opts.model_name}_order{suffix}"

    def get_urls(self):
        urls = super().get_urls()
        if not self._sortable():
            return urls
        opts = self.model._meta
        typed = path(
            "order/",
            self.admin_site.admin_view(self.typed_order_view),
            name=f"{opts.app_label}_{opts.model_name}_order",
        )
        history = path(
            "order/history/",
            self.admin_site.admin_view(self.order_history_view),
            name=f"{opts.app_label}_{opts.model_name}_order_history",
        )
        restore = path(
            "order/history/<int:change_id>/restore/",
            self.admin_site.admin_view(self.order_restore_view),
            name=f"{opts.app_label}_{opts.model_name}_order_restore",
        )
        return [typed, history, restore, *urls]

    def _ordered_rows(self, request, *, lock: bool = False) -> list[models.Model]:
        """Every row of the list, in its order (the model's own ordering
        after the order field, so ties stand as the site shows them)."""
        model = self.model
        field = self.default_order_field
        rest = [o for o in model._meta.ordering if o.lstrip("-") != field]
        rows = model._default_manager.filter(
            **self.get_extra_model_filters(request)  # type: ignore[attr-defined]
        ).order_by(f"{self.default_order_direction}{field}", *rest, "pk")
        if lock:
            rows = rows.select_for_update()
        return list(rows)

    def typed_order_save(
        self,
        request,
        *,
        rows,
        order: list[int],
        how: OrderHow = OrderHow.TYPED,
        restored_from: OrderChange | None = None,
    ) -> None:
        """Number the rows 1, 2, 3... in ``order`` (the reverse for a list
        sorted descending), as adminsortable2 numbers them after a drag, and
        record the change."""
        field = self.default_order_field
        by_pk = {row.pk: row for row in rows}
        numbers = range(1, len(order) + 1)
        if self.default_order_direction == "-":
            numbers = range(len(order), 0, -1)
        changed = []
        for number, pk in zip(numbers, order, strict=True):
            row = by_pk[pk]
            if getattr(row, field) != number:
                setattr(row, field, number)
                changed.append(row)
        if changed:
            self.model._default_manager.bulk_update(changed, [field])
        order_change_record(
            model=self.model,
            user=request.user,
            how=how,
            before=[row.pk for row in rows],
            after=order,
            restored_from=restored_from,
        )
        # bulk_update sends no signals: the pages showing the order refresh.
        bump_content_version()
        transaction.on_commit(bump_content_version)

    def typed_order_view(self, request):
        """The list's order as a number per row; saved as one reorder."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not self.may_reorder(request):
            raise PermissionDenied(self.REORDER_NOTE)
        status = 200
        if request.method == "POST":
            with transaction.atomic():
                rows = self._ordered_rows(request, lock=True)
                current = [row.pk for row in rows]
                form = TypedOrderForm(request.POST, rows=rows)
                if form.is_valid() and form.cleaned_data["shown"] == current:
                    self.typed_order_save(request, rows=rows, order=form.order())
                    messages.success(request, "The order is saved.")
                    opts = self.model._meta
                    return redirect(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                    )
            status = 400
            shown = form.cleaned_data.get("shown") if form.is_bound else None
            if shown is not None and shown != current:
                # Shown again as the order is now: the rows given a new
                # number keep it, the others (and rows added since) get
                # their number now, so saving it again keeps the other
                # publisher's move.
                data = request.POST.copy()
                data["shown"] = ",".join(map(str, current))
                data.update(
                    retyped_positions(shown=shown, current=current, typed=request.POST)
                )
                form = TypedOrderForm(data, rows=rows)
                form.full_clean()
                form.add_error(None, ORDER_CHANGED)
                status = 409
        else:
            form = TypedOrderForm(rows=self._ordered_rows(request))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Order of the {opts.verbose_name_plural}",
            "form": form,
            "help": TYPED_ORDER_HELP,
        }
        return TemplateResponse(
            request, "admin/roles/typed_order.html", context, status=status
        )

    def order_history_view(self, request):
        """Who changed the list's order, when, how, and the order before and
        after, in names; for everyone who may see the list (a GET writes
        nothing)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._order_history_response(request)

    def _order_history_response(self, request, *, error: str = "", status=200):
        opts = self.model._meta
        shown = self._order_keys(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Order history of the {opts.verbose_name_plural}",
            "entries": order_history(model=self.model),
            "history_length": HISTORY_LENGTH,
            "shown": ",".join(map(str, shown)),
            "may_restore": self.may_reorder(request),
            "restore_help": RESTORE_HELP,
            "error": error,
        }
        return TemplateResponse(
            request, "admin/roles/order_history.html", context, status=status
        )

    def order_restore_view(self, request, change_id: int):
        """Put back the order from before one recorded change (publishers,
        POST): rows still there in that order, rows added since last. A
        list changed since the history page was opened is refused (409)
        and nothing is saved."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        if not self.may_reorder(request):
            raise PermissionDenied(self.REORDER_NOTE)
        change = get_object_or_404(
            OrderChange.objects.for_model(self.model), pk=change_id
        )
        try:
            text = request.POST["shown"]
            shown = [int(pk) for pk in text.split(",")] if text else []
        except (KeyError, ValueError):
            return self._order_history_response(
                request, error=RESTORE_OUT_OF_DATE, status=400
            )
        history_url = reverse(self._order_url_name("history"))
        with transaction.atomic():
            rows = self._ordered_rows(request, lock=True)
            current = [row.pk for row in rows]
            if shown == current:
                order = restored_order(old=change.before, current=current)
                if order == current:
                    messages.info(
                        request, "The list is already in that order: nothing changed."
                    )
                    return redirect(history_url)
                self.typed_order_save(
                    request,
                    rows=rows,
                    order=order,
                    how=OrderHow.RESTORED,
                    restored_from=change,
                )
                messages.success(
                    request,
                    "The order is restored: the live site shows it now. The "
                    "restore is the latest change below.",
                )
                return redirect(history_url)
        return self._order_history_response(request, error=RESTORE_CHANGED, status=409)


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
