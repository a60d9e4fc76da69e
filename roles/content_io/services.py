"""Writes that apply a content document to several models at once: seeding,
importing, and the record writes the editorial workflow publishes through."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.models import Dimension, Role, SeedRecord, Theme
from roles.comparisons.models import (
    Comparison,
    ContextFactor,
    comparison_clash,
    comparison_key,
    comparison_rules,
)
from roles.content_io import schema as cd
from roles.publishing.signals import bump_content_version
from roles.questionnaire import scoring
from roles.questionnaire.models import (
    NO_POINTS,
    Question,
    QuestionKind,
    question_rules,
)

Doc = dict[str, Any]


class ContentError(Exception):
    """The content document cannot be written; ``errors`` says where and why.
    ``conflicts``: the records among them changed since the file was
    exported, which an import with ``overwrite`` would write over."""

    def __init__(self, errors: list[str], *, conflicts: list[str] | None = None):
        super().__init__("\n".join(errors))
        self.errors = errors
        self.conflicts = conflicts or []


OVERWROTE = "overwrote changes made since the export"


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: Of ``updated``: records changed since the export that the import
    #: wrote over (``overwrite``), each with when it changed where known.
    overwritten: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        out: list[str] = []
        for label in ("created", "updated", "kept", "unchanged"):
            items = getattr(self, label)
            if items and label != "unchanged":
                out.extend(
                    f"{label}: {item}" for item in items if item not in self.overwritten
                )
        out.extend(
            f"{OVERWROTE}: {item}{f' ({when})' if when else ''}"
            for item, when in self.overwritten.items()
        )
        overwrote = (
            f", {len(self.overwritten)} of them over changes made since the export"
            if self.overwritten
            else ""
        )
        out.append(
            f"{len(self.created)} created, {len(self.updated)} updated{overwrote}, "
            f"{len(self.kept)} kept (changed by an editor), "
            f"{len(self.unchanged)} unchanged."
        )
        return out


# While a record is built in memory (``in_memory``), the writers below change
# and validate unsaved instances and write nothing.
_in_memory: ContextVar[bool] = ContextVar("in_memory", default=False)


@contextmanager
def in_memory() -> Iterator[None]:
    """The record writers (``write_record``) build the record in memory
    instead of writing it: the instance given is changed, not saved, and each
    set of child rows - the live rows the document keeps (their primary keys,
    the document's values), then its new rows (unsaved; a key from
    ``staged_primary_keys`` when that is on, the key a real write under it
    would give them); the rows it drops left out - becomes the related
    manager's ``all()`` (Django's prefetch cache). Reads the database only."""
    token = _in_memory.set(True)
    try:
        yield
    finally:
        _in_memory.reset(token)


def _clean_save(obj, exclude: list[str] | None = None) -> None:
    if _in_memory.get():
        # What a save checks of the instance itself; its relations (found by
        # slug, or a parent that is not saved) and uniqueness, which the live
        # rows would answer, are for the real write.
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.full_clean(
            exclude=[*(exclude or []), *relations],
            validate_unique=False,
            validate_constraints=False,
        )
        return
    obj.full_clean(exclude=exclude)
    obj.save()


# While ``content_apply`` writes a document: the rows it has found by slug, so
# each is read once and not once per row naming it (every question's points
# name the roles: 1,300 reads in the seed). Only rows found are kept; the
# document's own roles are written before anything names them.
_found: ContextVar[dict[tuple[type, str], Any] | None] = ContextVar(
    "found_by_slug", default=None
)


@contextmanager
def _finding_by_slug() -> Iterator[None]:
    token = _found.set({})
    try:
        yield
    finally:
        _found.reset(token)


def _by_slug(model, slug: str, what: str, place: str | None = None):
    """The row ``slug`` names; ``place`` is the field of the record naming it
    (``responsibilities[2].theme``), for the message when there is none."""
    found = _found.get()
    if found is not None and (model, slug) in found:
        return found[(model, slug)]
    try:
        obj = model.objects.get(slug=slug)
    except model.DoesNotExist:
        message = f"{what} “{slug}” does not exist."
        raise ValidationError(f"{place}: {message}" if place else message) from None
    if found is not None:
        found[(model, slug)] = obj
    return obj


def _apply_publishing(obj, record: Doc) -> None:
    obj.status = record["status"]
    obj.publish_at = record["publish_at"]
    obj.unpublish_at = record.get("unpublish_at")


def write_vocab(model, doc_field: str) -> Callable[[Doc, int], Any]:
    def write(record: Doc, position: int):
        obj = model.objects.filter(slug=record["slug"]).first() or model(
            slug=record["slug"]
        )
        obj.name = record["name"]
        obj.description = record[doc_field]
        obj.order = position
        _clean_save(obj)
        return obj

    return write


# While a draft is built for the editor's form (in memory, ``in_memory``) or
# written by a live save over it, rows new in the draft get the same primary
# keys every time, so a form rendered over the draft posts back to the next
# build and to the live save. See roles.editorial.admin.
_staged_pks: ContextVar[Iterator[int] | None] = ContextVar("staged_pks", default=None)
STAGED_PK_START = 9 * 10**18  # far above any real key, below 2**63


@contextmanager
def staged_primary_keys() -> Iterator[None]:
    token = _staged_pks.set(itertools.count(STAGED_PK_START))
    try:
        yield
    finally:
        _staged_pks.reset(token)


@contextmanager
def _at(place: str | None, names: dict[str, str] | None = None) -> Iterator[None]:
    """A row's validation errors said at its place in the record
    (``sources[2].title``): ``names`` maps a model field to the document's
    name for it ("" where the place itself is the field)."""
    try:
        yield
    except ValidationError as exc:
        if place is None:
            raise
        by_field = (
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        )
        messages: list[str] = []
        for name, found in by_field.items():
            inner = (names or {}).get(name, "" if name in ("", "__all__") else name)
            where = f"{place}.{inner}" if inner else place
            messages.extend(f"{where}: {message}" for message in found)
        raise ValidationError(messages) from exc


def _sync_children(
    manager,
    wanted: list[tuple[Any, dict[str, Any]]],
    *,
    places: list[str] | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """Make ``manager``'s rows match ``wanted`` (identity, fields) in place:
    a row whose identity is still wanted keeps its primary key (so history and
    diffs match it to itself), the rest are deleted, new ones created.
    ``places`` (one per wanted row) and ``names`` say where in the record a
    row's errors are (see ``_at``)."""
    if _in_memory.get():
        _sync_in_memory(manager, wanted, places=places, names=names)
        return
    identity_of = manager.model.identity
    related = getattr(manager.model, "identity_related", ())
    existing = {identity_of(obj): obj for obj in manager.select_related(*related).all()}
    keep = set()
    for n, (identity, values) in enumerate(wanted):
        obj = existing.get(identity)
        if obj is None:
            obj = manager.model(**{manager.field.name: manager.instance}, **values)
            staged = _staged_pks.get()
            if staged is not None:
                obj.pk = next(staged)
            with _at(places[n] if places else None, names):
                _clean_save(obj)
        else:
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            if changed:
                for k in changed:
                    setattr(obj, k, values[k])
                with _at(places[n] if places else None, names):
                    _clean_save(obj)
        keep.add(obj.pk)
    manager.exclude(pk__in=keep).delete()


def _sync_in_memory(
    manager,
    wanted: list[tuple[Any, dict[str, Any]]],
    *,
    places: list[str] | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """``_sync_children`` in memory (``in_memory``): the rows, matched to the
    live rows as a write matches them, become ``manager.all()``."""
    parent, fk = manager.instance, manager.field
    identity_of = manager.model.identity
    related = getattr(manager.model, "identity_related", ())
    live = (
        manager.model._default_manager.filter(**{fk.name: parent.pk}).select_related(
            *related
        )
        if parent.pk is not None
        else []
    )
    existing = {identity_of(obj): obj for obj in live}
    rows = []
    for n, (identity, values) in enumerate(wanted):
        obj = existing.get(identity)
        if obj is None:
            obj = manager.model(**{fk.name: parent}, **values)
            staged = _staged_pks.get()
            if staged is not None:
                obj.pk = next(staged)
        else:
            setattr(obj, fk.name, parent)
            for k, v in values.items():
                setattr(obj, k, v)
        with _at(places[n] if places else None, names):
            _clean_save(obj)
        rows.append(obj)
    if not hasattr(parent, "_prefetched_objects_cache"):
        parent._prefetched_objects_cache = {}
    parent._prefetched_objects_cache[fk.remote_field.get_accessor_name()] = rows


def _sync_ordered(manager, items: list[Doc], key: str, field: str) -> None:
    """``_sync_children`` for records stored as the document has them, in its
    order, each identified by its ``key`` field; ``field`` is the list's name
    in the record."""
    _sync_children(
        manager,
        [(item[key], {**item, "order": n}) for n, item in enumerate(items)],
        places=[f"{field}[{n}]" for n in range(len(items))],
    )


def write_role(record: Doc, position: int, *, instance: Role | None = None) -> Role:
    role = (
        instance
        or Role.objects.filter(slug=record["slug"]).first()
        or Role(slug=record["slug"])
    )
    role.slug = record["slug"]
    for attr in ("name", "family", "summary", "origin", "overview"):
        setattr(role, attr, record[attr])
    role.also_known_as = "\n".join(record["also_known_as"])
    role.last_reviewed = record["last_reviewed"]
    role.map_x, role.map_y = record.get("map_x"), record.get("map_y")
    _apply_publishing(role, record)
    _clean_save(role)
    _sync_children(
        role.responsibilities,
        [
            (
                item["text"],
                {
                    "text": item["text"],
                    "theme": _by_slug(
                        Theme,
                        item["theme"],
                        "Theme",
                        f"responsibilities[{order}].theme",
                    ),
                    "order": order,
                },
            )
            for order, item in enumerate(record["responsibilities"])
        ],
        places=[
            f"responsibilities[{n}]" for n in range(len(record["responsibilities"]))
        ],
    )
    _sync_ordered(role.sources, record["sources"], "url", "sources")
    _sync_children(
        role.dimension_values,
        [
            (
                slug,
                {
                    "dimension": _by_slug(
                        Dimension, slug, "Dimension", f"dimensions.{slug}"
                    ),
                    "value": value,
                },
            )
            for slug, value in record["dimensions"].items()
        ],
        places=[f"dimensions.{slug}" for slug in record["dimensions"]],
        names={"value": "", "dimension": ""},
    )
    role_guide_write(role=role, record=record)
    return role


def write_comparison(
    record: Doc, position: int, *, instance: Comparison | None = None
) -> Comparison:
    slugs = record["roles"]
    # A misspelt role first: the rules' complaints may only follow from it.
    errors: list[str] = []
    roles = []
    for n, slug in enumerate(slugs):
        try:
            roles.append(_by_slug(Role, slug, "Role", f"roles[{n}]"))
        except ValidationError as missing:
            errors.extend(missing.messages)
    # The rules name no field: the set of roles, or who it suits.
    of_roles = comparison_rules(slugs)
    errors += [f"roles: {e}" for e in of_roles]
    errors += [
        f"suits: {e}"
        for e in comparison_rules(slugs, suits=record["suits"])
        if e not in of_roles
    ]
    if errors:
        raise ValidationError(errors)
    key = comparison_key(slugs)
    comparison = (
        instance or Comparison.objects.filter(key=key).first() or Comparison(key=key)
    )
    clash = comparison_clash(slugs, exclude_pk=comparison.pk)
    if clash:
        raise ValidationError(f"roles: {clash}")
    comparison.key = key
    comparison.title = record["title"]
    comparison.tldr = record["tldr"]
    comparison.body = record["body"]
    comparison.last_reviewed = record["last_reviewed"]
    _apply_publishing(comparison, record)
    _clean_save(comparison)
    _sync_children(
        comparison.comparison_roles,
        [
            (
                role.slug,
                {
                    "role": role,
                    "order": order,
                    "suits": record["suits"].get(role.slug, ""),
                },
            )
            for order, role in enumerate(roles)
        ],
        places=[f"suits.{role.slug}" for role in roles],
        names={"suits": "", "role": ""},
    )
    _sync_children(
        comparison.context_notes,
        [
            (
                (item["context"], item["label"]),
                {
                    "factor": _by_slug(
                        ContextFactor,
                        item["context"],
                        "Context",
                        f"contexts[{order}].context",
                    ),
                    "label": item["label"],
                    "note": item["note"],
                    "order": order,
                },
            )
            for order, item in enumerate(record["contexts"])
        ],
        places=[f"contexts[{n}]" for n in range(len(record["contexts"]))],
        names={"factor": "context"},
    )
    return comparison


def write_question(
    record: Doc, position: int | None, *, instance: Question | None = None
) -> Question:
    kind = record["kind"]
    if kind not in QuestionKind.values:
        # The rules below are each kind's: for another they only mislead.
        raise ValidationError(
            f"kind: “{kind}” is not one of {', '.join(QuestionKind.values)}."
        )
    texts = [item["text"] for item in record["options"]]
    of_options = question_rules(kind, texts, weighted=False)
    errors = [f"options: {e}" for e in of_options]
    errors += [
        f"points: {e}"
        for e in question_rules(kind, texts, weighted=bool(record["points"]))
        if e not in of_options
    ]
    spec = scoring.QuestionSpec(
        key=record["key"],
        kind=kind,
        text=record["text"],
        options=tuple(
            scoring.OptionSpec(item["text"], item["points"])
            for item in record["options"]
        ),
        weights=record["points"],
    )
    if record["status"] == "published" and not scoring.scores_something(spec):
        field = "options" if kind == QuestionKind.SCENARIO else "points"
        errors.append(f"{field}: {NO_POINTS}")
    if errors:
        raise ValidationError(errors)
    question: Question = (
        instance
        or Question.objects.filter(key=record["key"]).first()
        or Question(key=record["key"])
    )
    question.key = record["key"]
    question.kind = kind
    question.text = record["text"]
    question.hint = record["help_text"]
    if position is not None:
        question.order = position
    _apply_publishing(question, record)
    _clean_save(question)
    _sync_children(
        question.options,
        [
            (item["text"], {"text": item["text"], "order": order})
            for order, item in enumerate(record["options"])
        ],
        places=[f"options[{n}]" for n in range(len(record["options"]))],
    )
    options = {o.text: o for o in question.options.all()}
    for n, item in enumerate(record["options"]):
        place = f"options[{n}].points"
        _sync_children(
            options[item["text"]].points,
            [
                (
                    slug,
                    {
                        "role": _by_slug(Role, slug, "Role", f"{place}.{slug}"),
                        "points": points,
                    },
                )
                for slug, points in item["points"].items()
            ],
            places=[f"{place}.{slug}" for slug in item["points"]],
            names={"points": "", "role": ""},
        )
    _sync_children(
        question.statement_points,
        [
            (
                slug,
                {
                    "role": _by_slug(Role, slug, "Role", f"points.{slug}"),
                    "points": points,
                },
            )
            for slug, points in record["points"].items()
        ],
        places=[f"points.{slug}" for slug in record["points"]],
        names={"points": "", "role": ""},
    )
    return question


WRITERS: dict[str, Callable[[Doc, int], Any]] = {
    "themes": write_vocab(Theme, "description"),
    "dimensions": write_vocab(Dimension, "help_text"),
    "contexts": write_vocab(ContextFactor, "description"),
    "roles": write_role,
    "glossary": lambda record, position: glossary_term_write(record=record),
    "comparisons": write_comparison,
    "questions": write_question,
}


ORDERED = {
    "themes": (Theme, "slug"),
    "dimensions": (Dimension, "slug"),
    "contexts": (ContextFactor, "slug"),
    "questions": (Question, "key"),
}


def _current_docs(kind: str) -> dict[str, Doc]:
    queryset, serialise = cd.querysets()[kind]
    return {cd.record_key(kind, doc): doc for doc in map(serialise, queryset)}


#: Where a model's field is called otherwise in the document.
DOC_FIELDS: dict[str, dict[str, str]] = {
    "dimensions": {"description": "help_text"},
    "questions": {"hint": "help_text"},
    "comparisons": {"key": "roles"},
    "glossary": {
        "source_title": "source.title",
        "source_url": "source.url",
        "source_publisher": "source.publisher",
    },
}


def _messages(exc: ValidationError, kind: str = "") -> list[str]:
    """Each message, naming the document's field where it has one."""
    if hasattr(exc, "error_dict"):
        names = DOC_FIELDS.get(kind, {})
        return [
            f"{names.get(name, name)}: {message}" if name != "__all__" else message
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


def _default_label(kind: str, key: str) -> str:
    return f"{cd.NOUNS[kind]} {key}"


def content_apply(
    *,
    doc: Doc,
    keep_edited: bool,
    dry_run: bool,
    comment: str,
    where: Callable[[str, str], str] | None = None,
    stamps: cd.Stamps | None = None,
    overwrite: bool = False,
) -> Report:
    """Write a normalised content document in one transaction.

    ``keep_edited`` (the seed) leaves alone any record whose current state differs
    from what the seed last wrote: an editor changed it. Import overwrites, and
    also takes the document's order for themes, dimensions, contexts and
    questions. Every record is validated; if any fails, nothing is written and
    ContentError lists every problem. ``dry_run`` reports what would change and
    writes nothing.

    ``stamps`` (a stamped export): a record whose current state is not the
    state it was exported from - an editor changed it since, or created it -
    is a conflict: the file would silently undo their change, so it is
    refused (ContentError.conflicts), unless ``overwrite``, which writes it
    and reports it as overwritten."""
    report = Report()
    errors: list[str] = []
    conflicts: list[str] = []
    where = where or cd.record_label
    # A record twice (a comparison's roles in another order included): the
    # later copy would silently win over the earlier one.
    for kind in cd.KINDS:
        keys = Counter(cd.record_key(kind, record) for record in doc[kind])
        errors.extend(
            f"{where(kind, key)}: appears {n} times in the file; keep one."
            for key, n in keys.items()
            if n > 1
        )
    if errors:
        raise ContentError(errors)
    with transaction.atomic(), _finding_by_slug():
        seeds = {(s.kind, s.key): s for s in SeedRecord.objects.all()}
        for kind in cd.KINDS:
            current = _current_docs(kind)
            changed_at = _changed_at(kind) if stamps is not None else {}
            written: list[str] = []
            to_link: list[Doc] = []
            revised: list[Any] = []
            for position, record in enumerate(doc[kind]):
                key = cd.record_key(kind, record)
                label = _default_label(kind, key)
                existing = current.get(key)
                seed = seeds.get((kind, key))
                if existing is not None and cd.fingerprint(existing) == cd.fingerprint(
                    record
                ):
                    report.unchanged.append(label)
                    if keep_edited and seed is None:
                        written.append(key)
                    continue
                if (
                    keep_edited
                    and existing is not None
                    and (seed is None or seed.fingerprint != cd.fingerprint(existing))
                ):
                    report.kept.append(label)
                    continue
                then = stamps.at_export(kind, key) if stamps else None
                if stamps and existing and then != cd.fingerprint(existing):
                    when = _since(changed_at.get(key), stamps.at)
                    if overwrite:
                        report.overwritten[label] = when
                    else:
                        conflicts.append(
                            _conflict(
                                cd.record_label(kind, key),
                                "changed" if then else "created",
                                when,
                                stamps,
                            )
                        )
                try:
                    with transaction.atomic():
                        obj = WRITERS[kind](record, position)
                except ValidationError as exc:
                    errors.extend(
                        f"{where(kind, key)}: {m}" for m in _messages(exc, kind)
                    )
                    continue
                (report.updated if existing is not None else report.created).append(
                    label
                )
                written.append(key)
                revised.append(obj)
                if kind in LINKERS:
                    to_link.append(record)
            # Links between records of one kind (a role's related roles and
            # career paths) are written once every record of the kind exists.
            for record in to_link:
                try:
                    with transaction.atomic():
                        LINKERS[kind](record)
                except ValidationError as exc:
                    key = cd.record_key(kind, record)
                    errors.extend(
                        f"{where(kind, key)}: {m}" for m in _messages(exc, kind)
                    )
            # One revision per record, holding its children and links, made
            # once both are written: reverting it later touches this record
            # and nothing else.
            for obj in revised:
                with reversion.create_revision():
                    reversion.set_comment(comment)
                    reversion.add_to_revision(obj)
            if not keep_edited and kind in ORDERED and not errors:
                model, field_name = ORDERED[kind]
                for position, record in enumerate(doc[kind]):
                    model._default_manager.filter(
                        **{field_name: record[field_name]}
                    ).exclude(order=position).update(order=position)
            if keep_edited and written:
                after = _current_docs(kind)
                for key in written:
                    SeedRecord.objects.update_or_create(
                        kind=kind,
                        key=key,
                        defaults={"fingerprint": cd.fingerprint(after[key])},
                    )
        if errors or conflicts:
            transaction.set_rollback(True)
            raise ContentError(errors + conflicts, conflicts=conflicts)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # In the same transaction as the writes, so no page of the old
            # content can be cached under the new version.
            bump_content_version()
    return report


def content_seed(*, dry_run: bool = False) -> Report:
    try:
        doc = cd.load_seed_files()
    except cd.DocumentError as exc:
        raise ContentError(exc.errors) from exc
    except ValueError as exc:
        raise ContentError([str(exc)]) from exc
    return content_apply(
        doc=doc,
        keep_edited=True,
        dry_run=dry_run,
        comment="Seeded",
        where=cd.seed_file_for,
    )


def content_import(
    *, doc: Doc, dry_run: bool = False, overwrite: bool = False
) -> Report:
    """Import a document as export_content writes it (its ``format`` first:
    a file of another version is not read as this one). Every value of the
    wrong type is refused by record and field; nothing is written then. A
    stamped export's records changed since it was made are refused too,
    unless ``overwrite`` (see ``content_apply``)."""
    problems = cd.format_problems(doc)
    if problems:
        raise ContentError(problems)
    try:
        stamps = cd.export_stamps(doc)
        normalised = cd.normalise(doc, strict=True)
    except cd.DocumentError as exc:
        raise ContentError(exc.errors) from exc
    return content_apply(
        doc=normalised,
        keep_edited=False,
        dry_run=dry_run,
        comment="Imported",
        stamps=stamps,
        overwrite=overwrite,
    )


def _changed_at(kind: str) -> dict[str, dt.datetime]:
    """When each record of ``kind`` last changed, for the kinds that keep it."""
    model = cd.querysets()[kind][0].model
    if not any(f.name == "updated_at" for f in model._meta.concrete_fields):
        return {}
    key_field = "key" if kind in ("comparisons", "questions") else "slug"
    return dict(model._default_manager.values_list(key_field, "updated_at"))


def _since(changed: dt.datetime | None, exported: dt.datetime | None) -> str:
    """When a record changed, in words, if that is known and after the export."""
    if changed is None or (exported is not None and changed <= exported):
        return ""
    return f"changed {timezone.localtime(changed):%Y-%m-%d %H:%M %Z}"


def _conflict(label: str, what: str, when: str, stamps: cd.Stamps) -> str:
    exported = (
        f" at {timezone.localtime(stamps.at):%Y-%m-%d %H:%M %Z}" if stamps.at else ""
    )
    return (
        f"{label}: {what} since the file was exported{exported}"
        f"{f' ({when})' if when else ''}; importing the file would undo that."
    )


# --- issue 15: structured guides and the glossary ------------------------------


def role_guide_write(*, role: Role, record: Doc) -> None:
    """Replace a role's skills, ways in, typical week and anti-patterns with the
    record's. Related roles and career paths name other roles, so they are
    written by ``role_links_write`` once every role in the document exists."""
    problems = cd.role_guide_problems(record)
    if problems:
        raise ValidationError(problems)
    # Synced in place by identity (not deleted and re-created): unchanged rows
    # keep their primary keys, so a draft's form, history and diffs match them.
    _sync_ordered(role.skills, record["skills"], "name", "skills")
    _sync_ordered(role.ways_in, record["ways_in"], "title", "ways_in")
    _sync_ordered(role.typical_week, record["typical_week"], "activity", "typical_week")
    _sync_ordered(role.anti_patterns, record["anti_patterns"], "name", "anti_patterns")


def _roles_named(slugs: list[str], place: Callable[[int], str]) -> dict[str, Role]:
    """The roles ``slugs`` name; ``place(n)`` is where the n-th is named."""
    found = {r.slug: r for r in Role.objects.filter(slug__in=slugs)}
    unknown = [(n, s) for n, s in enumerate(slugs) if s not in found]
    if unknown:
        raise ValidationError(
            [f"{place(n)}: role “{slug}” does not exist." for n, slug in unknown]
        )
    return found


def role_links_write(*, record: Doc, role: Role | None = None) -> None:
    """The record's links to other roles, written over ``role`` (by default
    the role its slug names)."""
    if role is None:
        role = Role.objects.get(slug=record["slug"])
    paths = record["career_paths"]
    errors: list[str] = []
    try:
        related = _roles_named(record["related_roles"], "related_roles[{}]".format)
    except ValidationError as exc:
        errors.extend(exc.messages)
    try:
        targets = _roles_named([p["to"] for p in paths], "career_paths[{}].to".format)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    # Synced in place by identity, like the guide's other parts: unchanged
    # links keep their primary keys, so a draft's form, history and diffs
    # match them to themselves.
    _sync_children(
        role.related_links,
        [
            (slug, {"related": related[slug], "order": order})
            for order, slug in enumerate(record["related_roles"])
        ],
        places=[f"related_roles[{n}]" for n in range(len(record["related_roles"]))],
        names={"related": ""},
    )
    _sync_children(
        role.paths_out,
        [
            (
                path["to"],
                {
                    "to_role": targets[path["to"]],
                    "summary": path["summary"],
                    "new_responsibilities": "\n".join(path["new_responsibilities"]),
                    "skills_to_build": "\n".join(path["skills_to_build"]),
                    "order": order,
                },
            )
            for order, path in enumerate(paths)
        ],
        places=[f"career_paths[{n}]" for n in range(len(paths))],
        names={"to_role": "to"},
    )


LINKERS: dict[str, Callable[..., None]] = {
    "roles": lambda record, instance=None: role_links_write(
        record=record, role=instance
    ),
}


# The kinds editors draft: each writer takes the live record to write over
# (``position`` None keeps a question's place in the order).
RECORD_WRITERS: dict[str, Callable[..., Any]] = {
    "roles": write_role,
    "comparisons": write_comparison,
    "questions": write_question,
}


def write_record(kind: str, record: Doc, *, instance: Any = None) -> Any:
    """Write one normalised record of ``kind`` over ``instance`` (or the record
    its key names): the record, its children and its links to other records,
    as import writes them. Publishing a draft and previewing one use this."""
    obj = RECORD_WRITERS[kind](record, None, instance=instance)
    if kind in LINKERS:
        LINKERS[kind](record, instance=obj)
    return obj


def glossary_term_write(*, record: Doc) -> GlossaryTerm:
    problems = cd.glossary_problems(record)
    if problems:
        raise ValidationError(problems)
    roles = _roles_named(record["related_roles"], "related_roles[{}]".format)
    term = GlossaryTerm.objects.filter(slug=record["slug"]).first() or GlossaryTerm(
        slug=record["slug"]
    )
    term.term = record["term"]
    term.abbreviation = record["abbreviation"]
    term.aliases = "\n".join(record["aliases"])
    term.definition = record["definition"]
    term.source_title = record["source"]["title"]
    term.source_url = record["source"]["url"]
    term.source_publisher = record["source"]["publisher"]
    _clean_save(term)
    term.related_roles.set([roles[s] for s in record["related_roles"]])
    return term
