"""A draft's document from the change form as posted, built in memory.

The admin's validated ModelForm and inline formsets are applied to unsaved
instances the documented way - ``form.save(commit=False)`` (the admin's
``save_form``), ``formset.save(commit=False)`` with ``formset.deleted_objects``
and many-to-many values from ``cleaned_data`` - and the record is serialised
by its kind's own serialiser (``KIND_SPECS[kind].serialise``, the one
``record_doc`` reads the database with). Nothing is written: the kept rows
of each inline are handed to the serialiser as the record's related objects.

Generic over the registry of draftable models: every inline formset of the
change form is one relation of the record (its foreign key's accessor); a
form that stores more than its model fields (the quiz's per-role points) says
what it would save through ``staged_related()``."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db.models import DateTimeField, Model
from django.forms import BaseForm, BaseModelForm
from django.forms.models import BaseInlineFormSet

from roles.editorial.workflow import KIND_SPECS, Doc

#: Provisional primary keys of new rows while they are serialised: above any
#: real key, in the order the forms were posted - where a real save would put
#: them (the serialisers order rows by (order, pk)).
PROVISIONAL_PK_START = 2**62


def set_related(obj: Model, name: str, rows: Iterable[Model]) -> None:
    """``obj.<name>.all()`` is ``rows`` from now on, without a query: the
    related manager reads Django's prefetch cache first."""
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if cache is None:
        cache = obj._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    cache[name] = list(rows)


def kept_rows(formset: BaseInlineFormSet) -> list[Model]:
    """The rows the formset would leave, as ``formset.save()`` would: all its
    existing rows (changed in memory where a posted form changed them; rows
    not posted are kept as they are) less the deleted ones, then the new ones."""
    saved = formset.save(commit=False)  # changed and new rows, none written
    deleted = {id(obj) for obj in formset.deleted_objects}
    added = [obj for obj in saved if obj._state.adding]
    # The posted forms' instances are the queryset's own objects.
    existing = [obj for obj in formset.get_queryset() if id(obj) not in deleted]
    return existing + added


def _staged_related(form: BaseForm) -> None:
    hook = getattr(form, "staged_related", None)
    if hook is not None:
        hook()


def _m2m_from_cleaned(form: BaseModelForm) -> None:
    obj = form.instance
    for field in obj._meta.many_to_many:
        if field.name in form.cleaned_data:
            set_related(obj, field.name, form.cleaned_data[field.name] or [])


def _utc(obj: Model) -> None:
    """Times as the database gives them back (UTC), not in the form's zone."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, DateTimeField):
            value = getattr(obj, field.attname)
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                setattr(obj, field.attname, value.astimezone(dt.UTC))


@contextmanager
def _provisional_pks(rows: Sequence[Model]) -> Iterator[None]:
    """New rows get a key while they are serialised (a related manager
    refuses an instance without one), and lose it again afterwards."""
    new = [row for row in rows if row.pk is None]
    numbers = itertools.count(PROVISIONAL_PK_START)
    for row in new:
        row.pk = next(numbers)
    try:
        yield
    finally:
        for row in new:
            row.pk = None


def stage_forms(form: BaseModelForm, formsets: Sequence[BaseInlineFormSet]) -> None:
    """Hand the record (``form.instance``, already ``save(commit=False)``)
    the related objects its valid forms would save: each formset's kept rows,
    many-to-many values, and what a form's ``staged_related()`` adds."""
    obj = form.instance
    _m2m_from_cleaned(form)
    _staged_related(form)
    for formset in formsets:
        accessor = formset.fk.remote_field.get_accessor_name()
        set_related(obj, accessor, kept_rows(formset))
        for row_form in formset.forms:
            if row_form in formset.deleted_forms:
                continue
            if row_form.instance.pk is None and not row_form.has_changed():
                continue  # an empty extra row: not saved
            _m2m_from_cleaned(row_form)
            _staged_related(row_form)


def doc_from_forms(
    kind: str, form: BaseModelForm, formsets: Sequence[BaseInlineFormSet]
) -> Doc:
    """The record's content document as the valid ``form`` and ``formsets``
    would save it, built in memory (``stage_forms`` first)."""
    obj = form.instance
    rows: list[Model] = []
    for formset in formsets:
        cache = getattr(obj, "_prefetched_objects_cache", {})
        rows.extend(cache.get(formset.fk.remote_field.get_accessor_name(), []))
    _utc(obj)
    with _provisional_pks(rows):
        return KIND_SPECS[kind].serialise(obj)
