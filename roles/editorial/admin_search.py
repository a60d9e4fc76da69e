"""One search box for the admin across roles, comparisons, questions and
glossary terms: drafts, scheduled and offline records included (editors look
for what they are working on), one query per kind, at most LIMIT hits each."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.models import Role
from roles.comparisons.models import Comparison
from roles.questionnaire.models import Question

LIMIT = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # "Role", "Comparison", ... as the admin names it
    title: str
    url: str  # its change form


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
    ("Roles", Role, ("name", "slug", "summary", "also_known_as"), "role"),
    ("Comparisons", Comparison, ("title", "key", "tldr"), "comparison"),
    ("Questions", Question, ("text", "key"), "question"),
    (
        "Glossary terms",
        GlossaryTerm,
        ("term", "abbreviation", "aliases"),
        "glossaryterm",
    ),
)


def admin_search(*, query: str) -> list[SearchGroup]:
    words = query.split()[:10]
    if not words:
        return []
    groups = []
    for label, model, fields, name in SEARCHED:
        rows = model._default_manager.filter(_q(fields, words)).order_by("pk")[:LIMIT]
        hits = [
            Hit(label, str(row), reverse(f"admin:roles_{name}_change", args=[row.pk]))
            for row in rows
        ]
        groups.append(SearchGroup(label, hits))
    return groups
