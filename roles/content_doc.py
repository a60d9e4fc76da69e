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
from pathlib import Path
from typing import Any

import yaml
from django.utils.dateparse import parse_date, parse_datetime

from .models import (
    Comparison,
    ContextFactor,
    Dimension,
    Question,
    QuestionKind,
    Role,
    Status,
    Theme,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KINDS = ("themes", "dimensions", "contexts", "roles", "comparisons", "questions")

Doc = dict[str, Any]


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


# --- reading the seed files ---------------------------------------------------


def load_seed_files(directory: Path = CONTENT_DIR) -> Doc:
    taxonomy = yaml.safe_load((directory / "taxonomy.yaml").read_text()) or {}
    quiz_file = directory / "quiz.yaml"
    quiz = yaml.safe_load(quiz_file.read_text()) if quiz_file.exists() else {}
    doc: Doc = {
        "themes": taxonomy.get("themes", []),
        "dimensions": taxonomy.get("dimensions", []),
        "contexts": taxonomy.get("contexts", []),
        "roles": [
            yaml.safe_load(path.read_text())
            for path in sorted((directory / "roles").glob("*.yaml"))
        ],
        "comparisons": [
            yaml.safe_load(path.read_text())
            for path in sorted((directory / "comparisons").glob("*.yaml"))
        ],
        "questions": (quiz or {}).get("questions", []),
    }
    return normalise(doc)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD).")
    return parsed.isoformat()


def _datetime(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"{value!r} is not a date and time (ISO 8601).")
    return parsed.isoformat()


def _points(mapping: Any) -> dict[str, int]:
    if not mapping:
        return {}
    if not isinstance(mapping, dict):
        raise ValueError("points must be a mapping of role slug to a number.")
    result = {}
    for slug, value in mapping.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"points for {slug!r} must be a whole number.")
        if value:
            result[str(slug)] = value
    return dict(sorted(result.items()))


def _publishing(record: Doc) -> Doc:
    return {
        "status": record.get("status") or Status.PUBLISHED,
        "publish_at": _datetime(record.get("publish_at")),
    }


def normalise(doc: Doc) -> Doc:
    """Bring a document (from YAML or JSON) to the exact shape the serialisers
    produce, so equal content has equal fingerprints. Raises ValueError with a
    location for anything of the wrong type."""
    if not isinstance(doc, dict):
        raise ValueError("The content file must hold one object (a mapping).")
    unknown = set(doc) - set(KINDS) - {"format"}
    if unknown:
        raise ValueError(f"Unknown section(s): {', '.join(sorted(unknown))}.")
    out: Doc = {}
    for kind in KINDS:
        records = doc.get(kind) or []
        if not isinstance(records, list):
            raise ValueError(f"{kind} must be a list.")
        normalised = []
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                raise ValueError(f"{kind}[{index}] must be an object.")
            try:
                normalised.append(_NORMALISERS[kind](record))
            except (ValueError, TypeError, AttributeError) as exc:
                raise ValueError(f"{kind}[{index}]: {exc}") from exc
        out[kind] = normalised
    return out


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
        "map_x": _map_position(r.get("map_x")),
        "map_y": _map_position(r.get("map_y")),
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
            {"text": _text(o.get("text")), "points": _points(o.get("points"))}
            for o in q.get("options") or []
        ],
        "points": _points(q.get("points")),
        **_publishing(q),
    }


_NORMALISERS = {
    "themes": lambda r: _norm_vocab(r, "description"),
    "dimensions": lambda r: _norm_vocab(r, "help_text"),
    "contexts": lambda r: _norm_vocab(r, "description"),
    "roles": _norm_role,
    "comparisons": _norm_comparison,
    "questions": _norm_question,
}


# --- serialising the database -------------------------------------------------


def _pub(obj) -> Doc:
    return {
        "status": obj.status,
        "publish_at": obj.publish_at.isoformat() if obj.publish_at else None,
    }


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


def _map_position(value: Any) -> int | None:
    """A role-map coordinate, 0 to 100, or None when the role is not placed."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(
            f"map_x and map_y are whole numbers from 0 to 100, not {value!r}."
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
                "responsibilities__theme", "sources", "dimension_values__dimension"
            ).order_by("slug"),
            role_doc,
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


def export_document() -> Doc:
    doc: Doc = {"format": 1}
    for kind, (queryset, serialise) in querysets().items():
        doc[kind] = [serialise(obj) for obj in queryset]
    return doc
