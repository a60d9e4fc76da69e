"""A record's content document as one version in its history held it, built
in memory from that version's revision (nothing is reverted or written), and
the changes between two versions inside the record's rows.

reversion's "Compare versions" diffs the record's own fields and lists its
rows by name; what changed inside a row (an option's text or points, a
responsibility's theme) is only seen by comparing the two documents, which
``roles.editorial.docdiff`` does field by field within each row."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import ManyToManyField, Model
from reversion.models import Version

from roles.editorial.docdiff import Change, doc_diff
from roles.editorial.staged import set_related
from roles.editorial.workflow import KIND_SPECS, Doc
from roles.publishing.registry import entry_for


def _instance(version: Version) -> Model | None:
    """The row as ``version`` stored it, unsaved."""
    model = version.content_type.model_class()
    if model is None:  # a model removed since
        return None
    m2m = {
        f.attname for f in model._meta.get_fields() if isinstance(f, ManyToManyField)
    }
    values = {k: v for k, v in version.field_dict.items() if k not in m2m}
    return model(**values)


def _attach_children(rows: list[Model]) -> None:
    """Each row's followed children (``content_model(follow=...)``) are the
    rows of the same revision that point at it, read without a query."""
    by_key = {(type(row), row.pk): row for row in rows}
    children: dict[tuple[type[Model], object, str], list[Model]] = {}
    for row in rows:
        for field in row._meta.concrete_fields:
            target = field.related_model if field.many_to_one else None
            if not isinstance(target, type):
                continue
            parent_key = (target, getattr(row, field.attname))
            accessor = field.remote_field and field.remote_field.get_accessor_name()
            if parent_key in by_key and accessor:
                children.setdefault((*parent_key, accessor), []).append(row)
    for row in rows:
        entry = entry_for(type(row))
        for name in entry.follow if entry else ():
            set_related(row, name, children.get((type(row), row.pk, name), []))


def version_doc(*, kind: str, version: Version) -> Doc | None:
    """The document of the record ``version`` is a version of, as it was
    then; None where it cannot be rebuilt (a model or a row it names, such
    as a theme or a role, removed since)."""
    spec = KIND_SPECS[kind]
    versions = version.revision.version_set.select_related("content_type")
    try:
        rows = [row for v in versions if (row := _instance(v)) is not None]
        _attach_children(rows)
        record = next(
            row
            for row in rows
            if isinstance(row, spec.model) and str(row.pk) == version.object_id
        )
        return spec.serialise(record)
    except (ObjectDoesNotExist, StopIteration, LookupError, TypeError, ValueError):
        return None


def row_changes(*, kind: str, before: Version, after: Version) -> list[Change] | None:
    """What changed between two versions inside the record's rows and other
    structured fields (lists and mappings), field by field; None where a
    version cannot be rebuilt."""
    old = version_doc(kind=kind, version=before)
    new = version_doc(kind=kind, version=after)
    if old is None or new is None:
        return None
    structured = {
        name
        for doc in (old, new)
        for name, value in doc.items()
        if isinstance(value, (list, dict))
    }
    return [c for c in doc_diff(old, new) if c.field in structured]
