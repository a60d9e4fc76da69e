"""Site search over roles (names, aliases, summaries, responsibilities,
skills, anti-patterns, overviews), glossary terms and curated comparisons.

PostgreSQL: full-text search (weighted vectors, ``SearchRank``) plus trigram
word similarity (``pg_trgm``) so a misspelt name still finds its role.
SQLite (development): substring matches, weighted in Python. Either way three
queries, whatever the content size, and the same exact-name boost, so "PO"
finds the Product Owner first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Greatest

from roles.catalogue.guides import AntiPattern, GlossaryTerm, Skill
from roles.catalogue.models import Responsibility, Role
from roles.comparisons.models import Comparison

MAX_QUERY = 100
MAX_HITS = 30
TRIGRAM_THRESHOLD = 0.35


class SearchHit(NamedTuple):
    kind: str  # "role" | "term" | "comparison"
    title: str
    url: str
    snippet: str
    matched: str  # what matched, when it is not the title: an alias, a responsibility
    score: float
    exact: bool = False  # the query is the title, an alias or an abbreviation


KIND_ORDER = {"role": 0, "comparison": 1, "term": 2}


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def is_empty_query(self) -> bool:
        return not self.query


def clean_query(raw: str | None) -> str:
    """Collapse whitespace, drop control characters, cap the length."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", raw or "")
    return " ".join(text.split())[:MAX_QUERY]


def exact_boost(query: str, names: list[str]) -> float:
    """A large bonus when the query is exactly one of a record's names (its
    title, an alias or an abbreviation), ignoring case: "PO", "RTE"."""
    wanted = query.casefold()
    return 10.0 if any(n.strip().casefold() == wanted for n in names) else 0.0


WEIGHTS = (("name", 8.0), ("aliases", 6.0), ("summary", 3.0), ("body", 1.0))


def substring_score(query: str, fields: dict[str, str]) -> float:
    """SQLite's relevance: weighted counts of words that start with a query
    word ("backlog" counts in "backlogs", "po" does not count in "report")."""
    patterns = [re.compile(rf"\b{re.escape(w.casefold())}") for w in query.split()]
    score = 0.0
    for name, weight in WEIGHTS:
        text = fields.get(name, "").casefold()
        score += weight * sum(min(len(p.findall(text)), 5) for p in patterns)
    return score


def search(raw_query: str | None) -> SearchResults:
    query = clean_query(raw_query)
    if not query:
        return SearchResults(query="")
    backend = _postgres if connection.vendor == "postgresql" else _fallback
    hits = backend(query)
    # Exact names first ("PO", "RACI", "Roadmap"); then the guides, the
    # comparisons and the glossary, each by relevance: someone searching
    # "backlog" wants the role that owns it before the term's definition.
    hits.sort(key=lambda h: (not h.exact, KIND_ORDER[h.kind], -h.score, h.title))
    return SearchResults(query=query, hits=hits[:MAX_HITS])


# --- shared pieces --------------------------------------------------------------


# A role's guide parts that search reads: the annotation naming the first
# part that matched, the model, its text fields (the first is shown).
GUIDE_PARTS = (
    ("matched_text", Responsibility, ("text",)),
    ("matched_skill", Skill, ("name", "note")),
    ("matched_anti", AntiPattern, ("name", "text")),
)


def _first_match(model, fields: tuple[str, ...], query: str) -> Subquery:
    """The first part (in the page's order) that contains the query: its
    first field, shown as what matched."""
    contains = Q()
    for name in fields:
        contains |= Q(**{f"{name}__icontains": query})
    return Subquery(
        model.objects.filter(contains, role=OuterRef("pk"))
        .order_by("order", "id")
        .values(fields[0])[:1]
    )


def _matched(query: str) -> dict[str, Subquery]:
    return {
        name: _first_match(model, fields, query) for name, model, fields in GUIDE_PARTS
    }


def _role_hit(role, query: str, score: float) -> SearchHit:
    alias = next((a for a in role.aliases if a.casefold() == query.casefold()), "")
    if alias:
        matched = f"Also known as {alias}"
    elif role.matched_text:
        matched = f"Responsibility: {role.matched_text}"
    elif role.matched_skill:
        matched = f"Skill: {role.matched_skill}"
    elif role.matched_anti:
        matched = f"Anti-pattern: {role.matched_anti}"
    else:
        matched = ""
    exact = bool(exact_boost(query, [role.name, *role.aliases]))
    return SearchHit(
        "role", role.name, role.get_absolute_url(), role.summary, matched, score, exact
    )


def _term_names(term) -> list[str]:
    """A term's own names. Its aliases are spellings for linking on pages
    ("backlog" for Product Backlog), not names: a search for "backlog" should
    find the role that owns it first."""
    return [term.term, term.abbreviation]


def _term_hit(term, query: str, score: float) -> SearchHit:
    title = term.term
    if term.abbreviation and term.abbreviation != term.term:
        title += f" ({term.abbreviation})"
    return SearchHit(
        "term",
        title,
        term.get_absolute_url(),
        _plain(term.definition),
        "",
        score,
        bool(exact_boost(query, _term_names(term))),
    )


def _comparison_hit(comparison, query: str, score: float) -> SearchHit:
    return SearchHit(
        "comparison",
        comparison.title,
        comparison.get_absolute_url(),
        _plain(comparison.tldr),
        "",
        score,
        bool(exact_boost(query, [comparison.title])),
    )


def _plain(markdown_text: str, limit: int = 220) -> str:
    text = re.sub(r"[*_`>#\[\]]|\(https?://[^)]*\)", "", markdown_text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# --- SQLite: substring matches ----------------------------------------------------


def _fallback(query: str) -> list[SearchHit]:
    words = query.split()

    def any_word(*fields: str) -> Q:
        condition = Q()
        for word in words:
            for name in fields:
                condition |= Q(**{f"{name}__icontains": word})
        return condition

    part_match = Q()
    for word in words:
        for _, model, fields in GUIDE_PARTS:
            contains = Q()
            for name in fields:
                contains |= Q(**{f"{name}__icontains": word})
            part_match |= Q(Exists(model.objects.filter(contains, role=OuterRef("pk"))))
    roles = (
        Role.objects.published()
        .filter(any_word("name", "also_known_as", "summary", "overview") | part_match)
        .annotate(
            **_matched(words[0]),
            resp_texts=Coalesce(_joined(Responsibility, ("text",)), Value("")),
            skill_texts=Coalesce(_joined(Skill, ("name", "note")), Value("")),
            anti_texts=Coalesce(_joined(AntiPattern, ("name", "text")), Value("")),
        )
        .only("name", "slug", "summary", "also_known_as", "overview")
    )
    hits = []
    for role in roles:
        score = substring_score(
            query,
            {
                "name": role.name,
                "aliases": role.also_known_as,
                "summary": role.summary + " " + role.resp_texts,
                "body": " ".join((role.overview, role.skill_texts, role.anti_texts)),
            },
        ) + exact_boost(query, [role.name, *role.aliases])
        if score:
            hits.append(_role_hit(role, query, score))
    for term in GlossaryTerm.objects.filter(
        any_word("term", "abbreviation", "aliases", "definition")
    ):
        score = substring_score(
            query,
            {
                "name": term.term,
                "aliases": f"{term.abbreviation} {term.aliases}",
                "body": term.definition,
            },
        ) + exact_boost(query, _term_names(term))
        if score:
            hits.append(_term_hit(term, query, score))
    for comparison in Comparison.objects.published().filter(
        any_word("title", "tldr", "body")
    ):
        score = substring_score(
            query,
            {
                "name": comparison.title,
                "summary": comparison.tldr,
                "body": comparison.body,
            },
        ) + exact_boost(query, [comparison.title])
        if score:
            hits.append(_comparison_hit(comparison, query, score))
    return hits


class GroupConcat(Func):
    """SQLite's string aggregate (PostgreSQL uses StringAgg)."""

    function = "GROUP_CONCAT"
    output_field = CharField()


def _joined(model, fields: tuple[str, ...]):
    """All of a role's parts of one kind as one text, for scoring (a
    subquery, so still one query for all roles)."""
    text: F | Concat = F(fields[0])
    for name in fields[1:]:
        text = Concat(text, Value(" "), F(name), output_field=TextField())
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import StringAgg

        joined: Func = StringAgg(text, " ", output_field=TextField())
    else:
        joined = GroupConcat(text, Value(" "))
    return Subquery(
        model.objects.filter(role=OuterRef("pk"))
        .values("role")
        .annotate(texts=joined)
        .values("texts")[:1]
    )


# --- PostgreSQL: full text and trigrams -------------------------------------------


def _postgres(query: str) -> list[SearchHit]:
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    english = SearchQuery(query, config="english", search_type="websearch")
    simple = SearchQuery(query, config="simple", search_type="websearch")

    def parts(model, fields):
        return Coalesce(_joined(model, fields), Value(""), output_field=TextField())

    role_vector = (
        SearchVector("name", weight="A", config="english")
        + SearchVector("also_known_as", weight="A", config="simple")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector(parts(Responsibility, ("text",)), weight="B", config="english")
        + SearchVector(parts(Skill, ("name", "note")), weight="C", config="english")
        + SearchVector(
            parts(AntiPattern, ("name", "text")), weight="C", config="english"
        )
        + SearchVector("overview", weight="D", config="english")
    )
    roles = (
        Role.objects.published()
        .annotate(
            rank=SearchRank(role_vector, english) + SearchRank(role_vector, simple),
            similarity=Greatest(
                TrigramWordSimilarity(query, "name"),
                TrigramWordSimilarity(query, "also_known_as"),
            ),
            **_matched(query),
        )
        .filter(Q(rank__gt=0) | Q(similarity__gte=TRIGRAM_THRESHOLD))
        .only("name", "slug", "summary", "also_known_as")
    )
    hits = []
    for role in roles:
        score = (
            role.rank * 10
            + role.similarity * 3
            + exact_boost(query, [role.name, *role.aliases])
        )
        hits.append(_role_hit(role, query, score))

    term_vector = (
        SearchVector("term", weight="A", config="english")
        + SearchVector("abbreviation", "aliases", weight="A", config="simple")
        + SearchVector("definition", weight="C", config="english")
    )
    terms = (
        GlossaryTerm.objects.annotate(
            rank=SearchRank(term_vector, english) + SearchRank(term_vector, simple),
            similarity=TrigramWordSimilarity(query, "term"),
        )
        .filter(Q(rank__gt=0) | Q(similarity__gte=TRIGRAM_THRESHOLD))
        .only("slug", "term", "abbreviation", "aliases", "definition")
    )
    for term in terms:
        score = (
            term.rank * 10 + term.similarity * 3 + exact_boost(query, _term_names(term))
        )
        hits.append(_term_hit(term, query, score))

    comparison_vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("tldr", weight="B", config="english")
        + SearchVector("body", weight="D", config="english")
    )
    comparisons = (
        Comparison.objects.published()
        .annotate(
            rank=SearchRank(comparison_vector, english),
            similarity=TrigramWordSimilarity(query, "title"),
        )
        .filter(Q(rank__gt=0) | Q(similarity__gte=TRIGRAM_THRESHOLD))
        .only("key", "title", "tldr")
    )
    for comparison in comparisons:
        score = comparison.rank * 10 + comparison.similarity * 3
        hits.append(_comparison_hit(comparison, query, score))
    return hits
