"""The content document: one JSON-able dict holding every content model.

``seed_content`` reads it from the YAML files in ``roles/content/``,
``export_content`` writes it, ``import_content`` reads it back. Each top-level
record (a theme, a role with its responsibilities, sources and dimension values,
a comparison with its notes, a question with its options and points) serialises
to a plain dict; the same functions write it back, so export → import is lossless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from roles.catalogue.glossary import abbreviation_problem
from roles.catalogue.guides import (
    MAX_WEEK_HOURS,
    MIN_WEEK_HOURS,
    GlossaryTerm,
    SkillLevel,
)
from roles.catalogue.models import Dimension, Role, Theme
from roles.comparisons.models import Comparison, ContextFactor
from roles.core import yamltext
from roles.core.sources import (  # the rule's parts, for callers of the schema
    is_refused_source as is_refused_source,
)
from roles.core.sources import (
    is_specific_page as is_specific_page,
)
from roles.core.sources import source_url_problem
from roles.publishing.models import Status
from roles.questionnaire.models import Question, QuestionKind

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
KINDS = (
    "themes",
    "dimensions",
    "contexts",
    "roles",
    "glossary",
    "comparisons",
    "questions",
)

Doc = dict[str, Any]

#: The version of the document export_content writes; import reads only it.
FORMAT = 1

#: What a record of each kind is called in messages and reports.
NOUNS = {
    "themes": "theme",
    "dimensions": "dimension",
    "contexts": "context",
    "roles": "role",
    "glossary": "glossary term",
    "comparisons": "comparison",
    "questions": "question",
}


class DocumentError(ValueError):
    """A document that cannot be read; ``errors`` lists every problem, each
    naming the record and the field."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


#: Keys added after records were first fingerprinted: left out while empty, so
#: a seeded record no editor touched keeps its fingerprint (and the seed may
#: still update it) after the upgrade.
LATER_KEYS = ("map_x", "map_y")


def fingerprint(record: Doc) -> str:
    if all(record.get(key) is None for key in LATER_KEYS):
        record = {k: v for k, v in record.items() if k not in LATER_KEYS}
    encoded = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def record_key(kind: str, record: Doc) -> str:
    if kind == "comparisons":
        return "-vs-".join(sorted(record.get("roles") or []))
    return str(record.get("key") if kind == "questions" else record.get("slug"))


def key_field(kind: str) -> str:
    """The field that names a record of ``kind`` (a comparison: its roles)."""
    return {"comparisons": "roles", "questions": "key"}.get(kind, "slug")


def record_label(kind: str, key: str) -> str:
    """A record as messages name it: ``role “product-owner”``."""
    return f"{NOUNS[kind]} “{key}”"


def label_in_file(kind: str, record: Any, index: int) -> str:
    """A record of a file someone wrote, by its key where it has a usable
    one, else by its place in the file (``role number 4 in the file``)."""
    value = record.get(key_field(kind)) if isinstance(record, dict) else None
    if kind == "comparisons":
        slugs = value if isinstance(value, list) else []
        if slugs and all(isinstance(slug, str) and slug.strip() for slug in slugs):
            return record_label(kind, "-vs-".join(sorted(s.strip() for s in slugs)))
    elif isinstance(value, str) and value.strip():
        return record_label(kind, value.strip())
    return f"{NOUNS[kind]} number {index + 1} in the file"


# --- reading the seed files ---------------------------------------------------


def _read_yaml(path: Path, directory: Path) -> Any:
    try:
        return yamltext.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ValueError(
            f"{path.relative_to(directory)}: not valid YAML: {exc}"
        ) from exc


def load_seed_files(directory: Path = CONTENT_DIR) -> Doc:
    """Read the YAML files into one normalised document. Errors name the file
    and the field (``roles/product-owner.yaml: skills[2].level: ...``)."""
    taxonomy = _read_yaml(directory / "taxonomy.yaml", directory) or {}
    quiz_file = directory / "quiz.yaml"
    quiz = _read_yaml(quiz_file, directory) if quiz_file.exists() else {}
    glossary_file = directory / "glossary.yaml"
    glossary = _read_yaml(glossary_file, directory) if glossary_file.exists() else {}
    role_files = sorted((directory / "roles").glob("*.yaml"))
    comparison_files = sorted((directory / "comparisons").glob("*.yaml"))
    doc: Doc = {
        "themes": taxonomy.get("themes", []),
        "dimensions": taxonomy.get("dimensions", []),
        "contexts": taxonomy.get("contexts", []),
        "roles": [_read_yaml(path, directory) for path in role_files],
        "glossary": (glossary or {}).get("terms", []),
        "comparisons": [_read_yaml(path, directory) for path in comparison_files],
        "questions": (quiz or {}).get("questions", []),
    }
    labels = {
        "roles": [f"roles/{p.name}" for p in role_files],
        "comparisons": [f"comparisons/{p.name}" for p in comparison_files],
    }
    return normalise(doc, labels=labels, strict=True)


def seed_file_for(kind: str, key: str) -> str:
    """The seed file that holds a record, for error messages."""
    return {
        "themes": "taxonomy.yaml (themes)",
        "dimensions": "taxonomy.yaml (dimensions)",
        "contexts": "taxonomy.yaml (contexts)",
        "roles": f"roles/{key}.yaml",
        "glossary": f"glossary.yaml (term {key})",
        "comparisons": f"comparisons/{key}.yaml",
        "questions": f"quiz.yaml (question {key})",
    }[kind]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any, field: str = "last_reviewed") -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        parsed = parse_date(str(value))
    except ValueError:  # the shape of a date, but no such day
        parsed = None
    if parsed is None:
        raise ValueError(f"“{field}”: {value!r} is not a date (YYYY-MM-DD).")
    return parsed.isoformat()


def _datetime(value: Any, field: str = "publish_at") -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    try:
        parsed = parse_datetime(str(value))
    except ValueError:  # the shape of a time, but no such day or hour
        parsed = None
    if parsed is None:
        raise ValueError(f"“{field}”: {value!r} is not a date and time (ISO 8601).")
    return parsed.isoformat()


def _points(mapping: Any, field: str = "points") -> dict[str, int]:
    if not mapping:
        return {}
    if not isinstance(mapping, dict):
        raise ValueError(f"“{field}” must be a mapping of role slug to a number.")
    result = {}
    for slug, value in mapping.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"“{field}.{slug}” must be a whole number.")
        if value:
            result[str(slug)] = value
    return dict(sorted(result.items()))


def _publishing(record: Doc) -> Doc:
    out = {
        "status": record.get("status") or Status.PUBLISHED,
        "publish_at": _datetime(record.get("publish_at"), "publish_at"),
    }
    # Only when set, so documents written before expiry existed keep their
    # fingerprints (the seed compares them).
    if record.get("unpublish_at"):
        out["unpublish_at"] = _datetime(record.get("unpublish_at"), "unpublish_at")
    return out


def normalise(
    doc: Doc, labels: dict[str, list[str]] | None = None, *, strict: bool = False
) -> Doc:
    """Bring a document (from YAML or JSON) to the exact shape the serialisers
    produce, so equal content has equal fingerprints. Raises DocumentError,
    each problem naming the record (``labels``, a file per record, or its key)
    and the field. ``strict`` (a file someone wrote: an import, the seed):
    every value of the wrong type (``TYPES``) and every field the format does
    not have is refused, never converted or dropped."""
    if not isinstance(doc, dict):
        raise DocumentError(
            [f"The content file must hold one object (a mapping), not {describe(doc)}."]
        )
    unknown = set(doc) - set(KINDS) - {"format", EXPORTED}
    if unknown:
        raise DocumentError([f"Unknown section(s): {', '.join(sorted(unknown))}."])
    out: Doc = {}
    errors: list[str] = []
    for kind in KINDS:
        records = doc.get(kind)
        if records is None:
            records = []
        if not isinstance(records, list):
            errors.append(f"“{kind}” must be a list, not {describe(records)}.")
            continue
        normalised = []
        for index, record in enumerate(records):
            where = (labels or {}).get(kind)
            label = where[index] if where else label_in_file(kind, record, index)
            if not isinstance(record, dict):
                errors.append(
                    f"{label} must be an object (a mapping of fields), "
                    f"not {describe(record)}."
                )
                continue
            problems = type_problems(TYPES[kind], record) if strict else []
            if not problems:
                try:
                    normalised.append(_NORMALISERS[kind](record))
                except (ValueError, TypeError, AttributeError) as exc:
                    problems = [str(exc)]
            errors.extend(f"{label}: {problem}" for problem in problems)
        out[kind] = normalised
    if errors:
        raise DocumentError(errors)
    return out


def format_problems(doc: Any) -> list[str]:
    """What is wrong with an imported document's ``format``: it must name the
    version export_content writes, so a file of another version (or none) is
    not read as if it were this one."""
    if not isinstance(doc, dict):
        return []
    value = doc.get("format")
    if value is None:
        return [
            f'The file has no “format”: export_content writes "format": {FORMAT} '
            "(add it to a file written by hand)."
        ]
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"“format” must be the number {FORMAT}, not {describe(value)}."]
    if value != FORMAT:
        return [
            f"“format” is {value}: this site reads and writes format {FORMAT} only."
        ]
    return []


def _norm_vocab(record: Doc, text_field: str) -> Doc:
    return {
        "slug": _text(record.get("slug")),
        "name": _text(record.get("name")),
        text_field: _text(record.get(text_field)),
    }


def _norm_role(r: Doc) -> Doc:
    aliases = r.get("also_known_as") or []
    if isinstance(aliases, str):
        aliases = aliases.splitlines()
    return {
        "slug": _text(r.get("slug")),
        "name": _text(r.get("name")),
        "family": _text(r.get("family")),
        "summary": _text(r.get("summary")),
        "origin": _text(r.get("origin")),
        "also_known_as": [_text(a) for a in aliases if _text(a)],
        "last_reviewed": _date(r.get("last_reviewed")),
        "overview": _text(r.get("overview")),
        "map_x": _map_position(r.get("map_x"), "map_x"),
        "map_y": _map_position(r.get("map_y"), "map_y"),
        **_publishing(r),
        "responsibilities": [
            {"theme": _text(x.get("theme")), "text": _text(x.get("text"))}
            for x in r.get("responsibilities") or []
        ],
        "sources": [
            {
                "title": _text(x.get("title")),
                "url": _text(x.get("url")),
                "publisher": _text(x.get("publisher")),
                "note": _text(x.get("note")),
            }
            for x in r.get("sources") or []
        ],
        "dimensions": {
            str(k): _text(v) for k, v in sorted((r.get("dimensions") or {}).items())
        },
        **_norm_role_guide(r),
    }


def _norm_comparison(c: Doc) -> Doc:
    return {
        "roles": [_text(s) for s in c.get("roles") or []],
        "title": _text(c.get("title")),
        "tldr": _text(c.get("tldr")),
        "body": _text(c.get("body")),
        "suits": {str(k): _text(v) for k, v in (c.get("suits") or {}).items()},
        "contexts": [
            {
                "context": _text(x.get("context")),
                "label": _text(x.get("label")),
                "note": _text(x.get("note")),
            }
            for x in c.get("contexts") or []
        ],
        "last_reviewed": _date(c.get("last_reviewed")),
        **_publishing(c),
    }


def _norm_question(q: Doc) -> Doc:
    kind = _text(q.get("kind")) or QuestionKind.SCENARIO
    return {
        "key": _text(q.get("key")),
        "kind": kind,
        "text": _text(q.get("text")),
        "help_text": _text(q.get("help_text")),
        "options": [
            {
                "text": _text(o.get("text")),
                "points": _points(o.get("points"), f"options[{i}].points"),
            }
            for i, o in enumerate(q.get("options") or [])
        ],
        "points": _points(q.get("points")),
        **_publishing(q),
    }


_NORMALISERS = {
    "themes": lambda r: _norm_vocab(r, "description"),
    "dimensions": lambda r: _norm_vocab(r, "help_text"),
    "contexts": lambda r: _norm_vocab(r, "description"),
    "roles": _norm_role,
    "glossary": lambda t: _norm_glossary(t),
    "comparisons": _norm_comparison,
    "questions": _norm_question,
}


# --- the types of the document's fields ----------------------------------------
# One description of every field's type, read by ``type_problems``: a file
# someone wrote (an import, the seed) is checked against it before anything
# is normalised, so a number where text belongs is refused by name instead of
# being turned into text, and a field added to the format is checked as soon
# as it is described here (tests/test_import_safety.py fails until it is).


@dataclass(frozen=True)
class Scalar:
    """One value: ``name`` says what it must be, ``types`` what is accepted
    (a ``bool`` only where it is listed: in Python it is also an ``int``)."""

    name: str
    types: tuple[type, ...]


@dataclass(frozen=True)
class ListOf:
    item: Spec


@dataclass(frozen=True)
class MapOf:
    """An object whose keys are text (role or dimension slugs) and whose
    values are each a ``value``."""

    value: Spec


@dataclass(frozen=True)
class Fields:
    """An object with these fields, each optional (missing or null: empty)."""

    fields: dict[str, Spec]


Spec: TypeAlias = Scalar | ListOf | MapOf | Fields

TEXT = Scalar("text", (str,))
WHOLE_NUMBER = Scalar("a whole number", (int,))
DATE = Scalar("a date (YYYY-MM-DD)", (str, dt.date))
DATE_TIME = Scalar("a date and time (ISO 8601)", (str, dt.datetime))
TEXTS = ListOf(TEXT)

_PUBLISHING_TYPES: dict[str, Spec] = {
    "status": TEXT,
    "publish_at": DATE_TIME,
    "unpublish_at": DATE_TIME,
}

#: Each kind's record, field by field: the format ``normalise`` produces and
#: the serialisers write (roles/content/README.md describes it in words).
TYPES: dict[str, Fields] = {
    "themes": Fields({"slug": TEXT, "name": TEXT, "description": TEXT}),
    "dimensions": Fields({"slug": TEXT, "name": TEXT, "help_text": TEXT}),
    "contexts": Fields({"slug": TEXT, "name": TEXT, "description": TEXT}),
    "roles": Fields(
        {
            "slug": TEXT,
            "name": TEXT,
            "family": TEXT,
            "summary": TEXT,
            "origin": TEXT,
            "also_known_as": TEXTS,
            "last_reviewed": DATE,
            "overview": TEXT,
            "map_x": WHOLE_NUMBER,
            "map_y": WHOLE_NUMBER,
            **_PUBLISHING_TYPES,
            "responsibilities": ListOf(Fields({"theme": TEXT, "text": TEXT})),
            "sources": ListOf(
                Fields({"title": TEXT, "url": TEXT, "publisher": TEXT, "note": TEXT})
            ),
            "dimensions": MapOf(TEXT),
            "skills": ListOf(Fields({"name": TEXT, "level": TEXT, "note": TEXT})),
            "ways_in": ListOf(Fields({"title": TEXT, "text": TEXT})),
            "typical_week": ListOf(
                Fields({"activity": TEXT, "hours": WHOLE_NUMBER, "text": TEXT})
            ),
            "anti_patterns": ListOf(Fields({"name": TEXT, "text": TEXT})),
            "related_roles": TEXTS,
            "career_paths": ListOf(
                Fields(
                    {
                        "to": TEXT,
                        "summary": TEXT,
                        "new_responsibilities": TEXTS,
                        "skills_to_build": TEXTS,
                    }
                )
            ),
        }
    ),
    "glossary": Fields(
        {
            "slug": TEXT,
            "term": TEXT,
            "abbreviation": TEXT,
            "aliases": TEXTS,
            "definition": TEXT,
            "source": Fields({"title": TEXT, "url": TEXT, "publisher": TEXT}),
            "related_roles": TEXTS,
        }
    ),
    "comparisons": Fields(
        {
            "roles": TEXTS,
            "title": TEXT,
            "tldr": TEXT,
            "body": TEXT,
            "suits": MapOf(TEXT),
            "contexts": ListOf(Fields({"context": TEXT, "label": TEXT, "note": TEXT})),
            "last_reviewed": DATE,
            **_PUBLISHING_TYPES,
        }
    ),
    "questions": Fields(
        {
            "key": TEXT,
            "kind": TEXT,
            "text": TEXT,
            "help_text": TEXT,
            "options": ListOf(Fields({"text": TEXT, "points": MapOf(WHOLE_NUMBER)})),
            "points": MapOf(WHOLE_NUMBER),
            **_PUBLISHING_TYPES,
        }
    ),
}


def describe(value: Any) -> str:
    """What a value is, in the words of a type message."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def _expected(spec: Spec) -> str:
    if isinstance(spec, Scalar):
        return spec.name
    return "a list" if isinstance(spec, ListOf) else "an object"


def type_problems(spec: Spec, value: Any, path: str = "") -> list[str]:
    """Every value of the wrong type in ``value`` (a record, or a part of one
    at ``path``), each as ``“field” must be …, not …``, and every field the
    format does not have. A field that is missing or null is empty, not wrong;
    an item of a list or a map must be there."""
    where = f"“{path}”"
    if isinstance(spec, Scalar):
        ok = isinstance(value, spec.types) and (
            bool in spec.types or not isinstance(value, bool)
        )
        return [] if ok else [f"{where} must be {spec.name}, not {describe(value)}."]
    if isinstance(spec, ListOf):
        if not isinstance(value, list):
            return [f"{where} must be a list, not {describe(value)}."]
        return [
            problem
            for index, item in enumerate(value)
            for problem in type_problems(spec.item, item, f"{path}[{index}]")
        ]
    if not isinstance(value, dict):
        what = f"{where} must be" if path else "must be"
        return [f"{what} an object, not {describe(value)}."]
    problems: list[str] = []
    if isinstance(spec, MapOf):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{where}: the key {key!r} must be text (a slug).")
                continue
            problems.extend(type_problems(spec.value, item, f"{path}.{key}"))
        return problems
    unknown = sorted(str(name) for name in set(value) - set(spec.fields))
    if unknown:
        problems.append(
            f"{where + ': ' if path else ''}unknown field(s): {', '.join(unknown)} "
            "(see the content README for the format)."
        )
    for name, field_spec in spec.fields.items():
        if value.get(name) is not None:
            inner = f"{path}.{name}" if path else name
            problems.extend(type_problems(field_spec, value[name], inner))
    return problems


# --- serialising the database -------------------------------------------------


def _pub(obj) -> Doc:
    out = {
        "status": obj.status,
        "publish_at": obj.publish_at.isoformat() if obj.publish_at else None,
    }
    if obj.unpublish_at:
        out["unpublish_at"] = obj.unpublish_at.isoformat()
    return out


def theme_doc(theme: Theme) -> Doc:
    return {"slug": theme.slug, "name": theme.name, "description": theme.description}


def dimension_doc(dimension: Dimension) -> Doc:
    return {
        "slug": dimension.slug,
        "name": dimension.name,
        "help_text": dimension.description,
    }


def context_doc(factor: ContextFactor) -> Doc:
    return {"slug": factor.slug, "name": factor.name, "description": factor.description}


def _map_position(value: Any, field: str = "map_x") -> int | None:
    """A role-map coordinate, 0 to 100, or None when the role is not placed."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(
            f"“{field}” must be a whole number from 0 to 100, not {value!r}."
        )
    return value


def role_doc(role: Role) -> Doc:
    return {
        "slug": role.slug,
        "name": role.name,
        "family": role.family,
        "summary": role.summary,
        "origin": role.origin,
        "also_known_as": role.aliases,
        "last_reviewed": role.last_reviewed.isoformat() if role.last_reviewed else None,
        "overview": role.overview,
        "map_x": role.map_x,
        "map_y": role.map_y,
        **_pub(role),
        "responsibilities": [
            {"theme": r.theme.slug, "text": r.text}
            for r in sorted(role.responsibilities.all(), key=lambda r: (r.order, r.pk))
        ],
        "sources": [
            {"title": s.title, "url": s.url, "publisher": s.publisher, "note": s.note}
            for s in sorted(role.sources.all(), key=lambda s: (s.order, s.pk))
        ],
        "dimensions": {
            v.dimension.slug: v.value
            for v in sorted(role.dimension_values.all(), key=lambda v: v.dimension.slug)
        },
        **role_guide_doc(role),
    }


def comparison_doc(comparison: Comparison) -> Doc:
    members = sorted(comparison.comparison_roles.all(), key=lambda m: (m.order, m.pk))
    notes = sorted(
        comparison.context_notes.all(),
        key=lambda n: (n.factor.order, n.factor.name, n.order, n.pk),
    )
    return {
        "roles": [m.role.slug for m in members],
        "title": comparison.title,
        "tldr": comparison.tldr,
        "body": comparison.body,
        "suits": {m.role.slug: m.suits for m in members if m.suits},
        "contexts": [
            {"context": n.factor.slug, "label": n.label, "note": n.note} for n in notes
        ],
        "last_reviewed": (
            comparison.last_reviewed.isoformat() if comparison.last_reviewed else None
        ),
        **_pub(comparison),
    }


def question_doc(question: Question) -> Doc:
    options = sorted(question.options.all(), key=lambda o: (o.order, o.pk))
    return {
        "key": question.key,
        "kind": question.kind,
        "text": question.text,
        "help_text": question.hint,
        "options": [
            {
                "text": o.text,
                "points": _points({p.role.slug: p.points for p in o.points.all()}),
            }
            for o in options
        ],
        "points": _points(
            {p.role.slug: p.points for p in question.statement_points.all()}
        ),
        **_pub(question),
    }


def querysets() -> dict[str, tuple[Any, Any]]:
    """Each kind's queryset (prefetched for its serialiser) and serialiser."""
    return {
        "themes": (Theme.objects.all(), theme_doc),
        "dimensions": (Dimension.objects.all(), dimension_doc),
        "contexts": (ContextFactor.objects.all(), context_doc),
        "roles": (
            Role.objects.prefetch_related(
                "responsibilities__theme",
                "sources",
                "dimension_values__dimension",
                *GUIDE_PREFETCH,
            ).order_by("slug"),
            role_doc,
        ),
        "glossary": (
            GlossaryTerm.objects.prefetch_related("related_roles").order_by("slug"),
            glossary_doc,
        ),
        "comparisons": (
            Comparison.objects.prefetch_related(
                "comparison_roles__role", "context_notes__factor"
            ).order_by("key"),
            comparison_doc,
        ),
        "questions": (
            Question.objects.prefetch_related(
                "options__points__role", "statement_points__role"
            ),
            question_doc,
        ),
    }


def export_document(*, stamped: bool = False) -> Doc:
    """Every content record. ``stamped`` (export_content): also when it was
    made and each record's fingerprint then (the ``exported`` section), so an
    import of it can tell a record changed since from one the file changes."""
    doc: Doc = {"format": FORMAT}
    for kind, (queryset, serialise) in querysets().items():
        doc[kind] = [serialise(obj) for obj in queryset]
    if stamped:
        doc[EXPORTED] = {
            "at": timezone.now().isoformat(),
            "fingerprints": {
                kind: {record_key(kind, r): fingerprint(r) for r in doc[kind]}
                for kind in KINDS
            },
        }
    return doc


# --- what an export was made from -----------------------------------------------

#: The section of an export saying when it was made and what each record was.
EXPORTED = "exported"
_EXPORTED_TYPES = Fields({"at": DATE_TIME, "fingerprints": MapOf(MapOf(TEXT))})


@dataclass(frozen=True)
class Stamps:
    """When an export was made, and each record's fingerprint then: a record
    whose fingerprint now is another was changed since (or, absent then,
    created since)."""

    at: dt.datetime | None
    fingerprints: dict[str, dict[str, str]]

    def at_export(self, kind: str, key: str) -> str | None:
        return self.fingerprints.get(kind, {}).get(key)


def export_stamps(doc: Any) -> Stamps | None:
    """The stamps of an export, or None for a document without them (written
    by hand, or exported before exports were stamped). Raises DocumentError
    for a section of the wrong shape."""
    if not isinstance(doc, dict) or doc.get(EXPORTED) is None:
        return None
    section = doc[EXPORTED]
    problems = type_problems(_EXPORTED_TYPES, section, EXPORTED)
    if not problems:
        unknown = sorted(set(section.get("fingerprints") or {}) - set(KINDS))
        if unknown:
            problems.append(
                f"“{EXPORTED}.fingerprints”: unknown kind(s): {', '.join(unknown)}."
            )
    at = None
    if not problems:
        try:
            text = _datetime(section.get("at"), f"{EXPORTED}.at")
        except ValueError as exc:
            problems.append(str(exc))
        else:
            at = dt.datetime.fromisoformat(text) if text else None
            if at is not None and timezone.is_naive(at):
                at = timezone.make_aware(at)
    if problems:
        raise DocumentError(problems)
    return Stamps(at=at, fingerprints=section.get("fingerprints") or {})


# --- issue 15: structured guides and the glossary ------------------------------
# The keys below are fixed by the content format (roles/content/README.md).

GUIDE_PREFETCH = (
    "skills",
    "ways_in",
    "typical_week",
    "anti_patterns",
    "related_links__related",
    "paths_out__to_role",
)

# (minimum, maximum) items a published guide must have; drafts may be partial.
GUIDE_COUNTS: dict[str, tuple[int, int]] = {
    "skills": (5, 8),
    "ways_in": (2, 4),
    "typical_week": (4, 7),
    "anti_patterns": (3, 5),
    "related_roles": (2, 5),
    "career_paths": (1, 3),
    "sources": (3, 20),
}
PHRASES = (2, 4)  # new_responsibilities and skills_to_build per career path


def _items(record: Doc, name: str) -> list:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list.")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise ValueError(f"{name}[{index}] must be a mapping.")
    return value


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list.")
    return [_text(v) for v in value if _text(v)]


def _hours(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number of hours.")
    return value


def _norm_role_guide(r: Doc) -> Doc:
    return {
        "skills": [
            {
                "name": _text(x.get("name")),
                "level": _text(x.get("level")),
                "note": _text(x.get("note")),
            }
            for x in _items(r, "skills")
        ],
        "ways_in": [
            {"title": _text(x.get("title")), "text": _text(x.get("text"))}
            for x in _items(r, "ways_in")
        ],
        "typical_week": [
            {
                "activity": _text(x.get("activity")),
                "hours": _hours(x.get("hours"), f"typical_week[{i}].hours"),
                "text": _text(x.get("text")),
            }
            for i, x in enumerate(_items(r, "typical_week"))
        ],
        "anti_patterns": [
            {"name": _text(x.get("name")), "text": _text(x.get("text"))}
            for x in _items(r, "anti_patterns")
        ],
        "related_roles": _strings(r.get("related_roles"), "related_roles"),
        "career_paths": [
            {
                "to": _text(x.get("to")),
                "summary": _text(x.get("summary")),
                "new_responsibilities": _strings(
                    x.get("new_responsibilities"),
                    f"career_paths[{i}].new_responsibilities",
                ),
                "skills_to_build": _strings(
                    x.get("skills_to_build"), f"career_paths[{i}].skills_to_build"
                ),
            }
            for i, x in enumerate(_items(r, "career_paths"))
        ],
    }


def role_guide_doc(role: Role) -> Doc:
    def ordered(items):
        return sorted(items, key=lambda x: (x.order, x.pk))

    return {
        "skills": [
            {"name": s.name, "level": s.level, "note": s.note}
            for s in ordered(role.skills.all())
        ],
        "ways_in": [
            {"title": w.title, "text": w.text} for w in ordered(role.ways_in.all())
        ],
        "typical_week": [
            {"activity": a.activity, "hours": a.hours, "text": a.text}
            for a in ordered(role.typical_week.all())
        ],
        "anti_patterns": [
            {"name": a.name, "text": a.text} for a in ordered(role.anti_patterns.all())
        ],
        "related_roles": [
            link.related.slug for link in ordered(role.related_links.all())
        ],
        "career_paths": [
            {
                "to": p.to_role.slug,
                "summary": p.summary,
                "new_responsibilities": p.new_responsibility_list,
                "skills_to_build": p.skills_to_build_list,
            }
            for p in ordered(role.paths_out.all())
        ],
    }


def _source_problem(field: str, url: str) -> str | None:
    problem = source_url_problem(url)
    return f"{field}: {problem}" if problem else None


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, count in Counter(values).items() if count > 1)


def role_guide_problems(record: Doc) -> list[str]:
    """What is wrong with a normalised role's guide, each as ``field: message``.
    Checked for every role: levels, hours, duplicates, self-references and
    source addresses. Published roles must also have a complete guide (the
    counts in GUIDE_COUNTS). Unknown role slugs are the writer's to check."""
    problems: list[str] = []
    slug = record.get("slug")
    levels = set(SkillLevel.values)
    for i, skill in enumerate(record["skills"]):
        if skill["level"] not in levels:
            problems.append(
                f"skills[{i}].level: “{skill['level']}” is not one of "
                f"{', '.join(SkillLevel.values)}."
            )
    for i, item in enumerate(record["typical_week"]):
        if not MIN_WEEK_HOURS <= item["hours"] <= MAX_WEEK_HOURS:
            problems.append(
                f"typical_week[{i}].hours: {item['hours']} is outside "
                f"{MIN_WEEK_HOURS}–{MAX_WEEK_HOURS}."
            )
    for name, key in (
        ("skills", "name"),
        ("ways_in", "title"),
        ("anti_patterns", "name"),
        ("career_paths", "to"),
    ):
        for dup in _duplicates([x[key] for x in record[name]]):
            problems.append(f"{name}: “{dup}” appears twice.")
    for dup in _duplicates(record["related_roles"]):
        problems.append(f"related_roles: “{dup}” appears twice.")
    if slug in record["related_roles"]:
        problems.append("related_roles: a role cannot be related to itself.")
    for i, path in enumerate(record["career_paths"]):
        if path["to"] == slug:
            problems.append(
                f"career_paths[{i}].to: a path cannot lead to the same role."
            )
        if not path["to"]:
            problems.append(f"career_paths[{i}].to: name the role people move to.")
    for i, source in enumerate(record["sources"]):
        problem = _source_problem(f"sources[{i}].url", source["url"])
        if problem:
            problems.append(problem)
    if record.get("status") == Status.PUBLISHED:
        for name, (low, high) in GUIDE_COUNTS.items():
            count = len(record[name])
            if not low <= count <= high:
                problems.append(
                    f"{name}: a published guide needs {low} to {high}, not {count}."
                )
        for i, path in enumerate(record["career_paths"]):
            for name in ("new_responsibilities", "skills_to_build"):
                count = len(path[name])
                if not PHRASES[0] <= count <= PHRASES[1]:
                    problems.append(
                        f"career_paths[{i}].{name}: needs {PHRASES[0]} to "
                        f"{PHRASES[1]} short phrases, not {count}."
                    )
    return problems


def _norm_glossary(t: Doc) -> Doc:
    source = t.get("source") or {}
    if not isinstance(source, dict):
        raise ValueError("source must be a mapping (title, url, publisher).")
    return {
        "slug": _text(t.get("slug")),
        "term": _text(t.get("term")),
        "abbreviation": _text(t.get("abbreviation")),
        "aliases": _strings(t.get("aliases"), "aliases"),
        "definition": _text(t.get("definition")),
        "source": {
            "title": _text(source.get("title")),
            "url": _text(source.get("url")),
            "publisher": _text(source.get("publisher")),
        },
        # A set, stored without order: sorted, so any order in a file gives
        # the fingerprint the export gives (a second seed changes nothing).
        "related_roles": sorted(_strings(t.get("related_roles"), "related_roles")),
    }


def glossary_doc(term: GlossaryTerm) -> Doc:
    return {
        "slug": term.slug,
        "term": term.term,
        "abbreviation": term.abbreviation,
        "aliases": term.alias_list,
        "definition": term.definition,
        "source": {
            "title": term.source_title,
            "url": term.source_url,
            "publisher": term.source_publisher,
        },
        "related_roles": sorted(r.slug for r in term.related_roles.all()),
    }


def glossary_problems(record: Doc) -> list[str]:
    problems = []
    problem = _source_problem("source.url", record["source"]["url"])
    if problem:
        problems.append(problem)
    problem = abbreviation_problem(
        record["term"], record["abbreviation"], record["aliases"]
    )
    if problem:
        problems.append(f"abbreviation: {problem}")
    for dup in _duplicates(record["related_roles"]):
        problems.append(f"related_roles: “{dup}” appears twice.")
    return problems
