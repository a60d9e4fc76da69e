"""One search box for the admin across roles, comparisons, questions and
glossary terms: unpublished, scheduled and offline records included, and a
record is found by the text of its open draft as well as its live text
(editors look for what they are working on). One query for the open drafts,
one per kind, at most LIMIT hits each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.models import Role
from roles.comparisons.models import Comparison
from roles.editorial.models import Draft, DraftKind
from roles.questionnaire.models import Question

LIMIT = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # "Role", "Comparison", ... as the admin names it
    title: str
    url: str  # its change form
    draft_title: str = ""  # its open draft's name, where that differs


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    hits: list[Hit]


def _q(fields: tuple[str, ...], words: list[str]) -> Q:
    """Every word in at least one of ``fields``."""
    query = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        query &= any_field
    return query


SEARCHED = (
    # label, model, fields searched, admin name, draft kind and the same
    # fields as its content document names them
    (
        "Roles",
        Role,
        ("name", "slug", "summary", "also_known_as"),
        "role",
        DraftKind.ROLE,
        ("name", "slug", "summary", "also_known_as"),
    ),
    (
        "Comparisons",
        Comparison,
        ("title", "key", "tldr"),
        "comparison",
        DraftKind.COMPARISON,
        ("title", "tldr"),
    ),
    (
        "Questions",
        Question,
        ("text", "key"),
        "question",
        DraftKind.QUESTION,
        ("text", "key"),
    ),
    (
        "Glossary terms",
        GlossaryTerm,
        ("term", "abbreviation", "aliases"),
        "glossaryterm",
        None,  # no drafts: publishers edit the glossary live
        (),
    ),
)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return " ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def doc_matches(
    doc: Mapping[str, Any], fields: tuple[str, ...], words: list[str]
) -> bool:
    """Every word in at least one of the document's ``fields``, ignoring
    case, as ``_q`` asks of the live record."""
    values = [_text(doc.get(field)).casefold() for field in fields]
    return all(any(w.casefold() in v for v in values) for w in words)


def _open_drafts_matching(words: list[str]) -> dict[str, dict[int, str]]:
    """Draft kind → {record id: draft title} for the open drafts whose text
    matches every word."""
    fields = {kind: doc_fields for *_, kind, doc_fields in SEARCHED if kind}
    found: dict[str, dict[int, str]] = {kind: {} for kind in fields}
    drafts = Draft.objects.open().values_list("kind", "object_id", "title", "doc")
    for kind, object_id, title, doc in drafts:
        if kind not in fields or not isinstance(doc, dict):
            continue
        if doc_matches(doc, fields[kind], words):
            found[kind][object_id] = title
    return found


def admin_search(*, query: str) -> list[SearchGroup]:
    words = query.split()[:10]
    if not words:
        return []
    drafts = _open_drafts_matching(words)
    groups = []
    for label, model, fields, name, kind, _ in SEARCHED:
        in_drafts = drafts.get(kind, {}) if kind else {}
        matching = _q(fields, words) | Q(pk__in=list(in_drafts))
        rows = model._default_manager.filter(matching).order_by("pk")[:LIMIT]
        hits = []
        for row in rows:
            title = str(row)
            draft_title = in_drafts.get(row.pk, "")
            hits.append(
                Hit(
                    label,
                    title,
                    reverse(f"admin:roles_{name}_change", args=[row.pk]),
                    draft_title if draft_title != title else "",
                )
            )
        groups.append(SearchGroup(label, hits))
    return groups
