"""Site search over roles (names, aliases, summaries, responsibilities,
skills, anti-patterns, overviews), glossary terms and curated comparisons.

What the public may see is loaded once per content version into an index
(``matching.build_index``, a fixed number of queries whatever the content
size), and each
normalised query's results are kept per content version too; the matching
itself is ``roles.search.matching``, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

from django.db.models import Prefetch

from roles.catalogue.guides import AntiPattern, CareerPath, GlossaryTerm, Skill, WayIn
from roles.catalogue.models import Responsibility, Role
from roles.comparisons.models import Comparison
from roles.publishing.cache import versioned
from roles.search.matching import (
    Document,
    Index,
    Part,
    SearchHit,
    build_index,
    meanings,
    parse_query,
    ranked,
    shown,
    suggest,
)

#: The longest query answered; a longer one is a bad request (400).
MAX_QUERY = 200


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)  # at most MAX_HITS
    total: int = 0  # how many matched, shown or not
    suggestions: list[str] = field(default_factory=list)  # when nothing matched
    #: The roles the query names, when it names several ("PM").
    meanings: tuple[str, ...] = ()

    @property
    def is_empty_query(self) -> bool:
        return not self.query

    @property
    def is_capped(self) -> bool:
        """More matched than the page shows (it has no next page)."""
        return self.total > len(self.hits)


class QueryTooLong(ValueError):
    pass


def clean_query(raw: str | None) -> str:
    """Collapse whitespace, drop control characters and remove invisible
    format characters (zero-width space and joiner, byte-order mark: pasted
    in, they would split a word or make a blank query look typed). Raises
    QueryTooLong past MAX_QUERY characters (never silently cut: the results
    would be for a query nobody typed)."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", raw or "")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY:
        raise QueryTooLong(f"A search is at most {MAX_QUERY} characters.")
    return text


def search(raw_query: str | None) -> SearchResults:
    query = clean_query(raw_query)
    if not query:
        return SearchResults(query="")
    parsed = parse_query(query)
    digest = hashlib.sha256(parsed.text.encode()).hexdigest()[:32]

    def compute() -> SearchResults:
        index = search_index()
        every = ranked(index, parsed)
        return SearchResults(
            query="",  # the query as typed is the caller's, not the cache's
            hits=shown(every),
            total=len(every),
            suggestions=[] if every else suggest(index, parsed),
            meanings=meanings(index, parsed),
        )

    found: SearchResults = versioned(f"search-results:{digest}", compute)
    return replace(found, query=query)


def search_index() -> Index:
    index: Index = versioned("search-index", lambda: build_index(documents()))
    return index


# --- what is searched ---------------------------------------------------------------


def documents() -> list[Document]:
    """Everything the public may see, as documents: published roles with
    their guide parts, glossary terms, and curated comparisons whose roles
    are all public."""
    return [*_role_documents(), *_comparison_documents(), *_term_documents()]


def _role_documents() -> list[Document]:
    roles = (
        Role.objects.published()
        .only("name", "slug", "summary", "also_known_as", "overview")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.only("role_id", "text").order_by(
                    "order", "id"
                ),
            ),
            Prefetch(
                "skills",
                queryset=Skill.objects.only("role_id", "name", "note").order_by(
                    "order", "id"
                ),
            ),
            Prefetch(
                "ways_in",
                queryset=WayIn.objects.only("role_id", "title", "text").order_by(
                    "order", "id"
                ),
            ),
            Prefetch(
                "paths_out",
                # Only moves to a role the public may see: an offline role
                # takes its paths with it.
                queryset=CareerPath.objects.filter(
                    to_role__in=Role.objects.published().values("pk")
                )
                .select_related("to_role")
                .order_by("order", "id"),
            ),
            Prefetch(
                "anti_patterns",
                queryset=AntiPattern.objects.only("role_id", "name", "text").order_by(
                    "order", "id"
                ),
            ),
        )
    )
    found = []
    for role in roles:
        parts = [
            Part(role.name, 8.0),
            *(Part(alias, 6.0) for alias in role.aliases),
            Part(role.summary, 3.0),
            *(
                Part(r.text, 3.0, f"Responsibility: {r.text}")
                for r in role.responsibilities.all()
            ),
            *(
                Part(f"{s.name} {s.note}", 2.0, f"Skill: {s.name}")
                for s in role.skills.all()
            ),
            *(
                Part(f"{a.name} {a.text}", 2.0, f"Anti-pattern: {a.name}")
                for a in role.anti_patterns.all()
            ),
            *(
                Part(f"{w.title} {w.text}", 1.5, f"Way in: {w.title}")
                for w in role.ways_in.all()
            ),
            *(
                Part(
                    f"Career path to {p.to_role.name}: {p.summary} "
                    f"{p.new_responsibilities} {p.skills_to_build}",
                    1.5,
                    f"Career path: on to {p.to_role.name}",
                )
                for p in role.paths_out.all()
            ),
            Part(role.overview, 1.0),
        ]
        found.append(
            Document(
                kind="role",
                title=role.name,
                url=role.get_absolute_url(),
                snippet=role.summary,
                names=(role.name, *role.aliases),
                aliases=tuple(role.aliases),
                parts=tuple(parts),
            )
        )
    return found


def _term_documents() -> list[Document]:
    found = []
    for term in GlossaryTerm.objects.only(
        "slug", "term", "abbreviation", "aliases", "definition"
    ):
        title = term.term
        if term.abbreviation and term.abbreviation != term.term:
            title += f" ({term.abbreviation})"
        found.append(
            Document(
                kind="term",
                title=title,
                url=term.get_absolute_url(),
                snippet=_plain(term.definition),
                # A term's aliases are spellings for linking on pages
                # ("backlog" for Product Backlog), not names: a search for
                # "backlog" should find the role that owns it first.
                names=(term.term, term.abbreviation),
                aliases=(),
                parts=(
                    Part(term.term, 8.0),
                    Part(term.abbreviation, 6.0),
                    Part(term.aliases, 3.0),
                    Part(term.definition, 1.0),
                ),
            )
        )
    return found


def _comparison_documents() -> list[Document]:
    found = []
    for comparison in (
        Comparison.objects.published().only("key", "title", "tldr", "body").with_roles()
    ):
        roles = [member.role for member in comparison.comparison_roles.all()]
        found.append(
            Document(
                kind="comparison",
                title=comparison.title,
                url=comparison.get_absolute_url(),
                snippet=_plain(comparison.tldr),
                names=(comparison.title,),
                aliases=(),
                parts=(
                    Part(comparison.title, 8.0),
                    # Its roles by every name readers know them by: "PO vs PM"
                    # finds Product Owner vs Product Manager.
                    *(Part(role.name, 8.0) for role in roles),
                    *(Part(alias, 6.0) for role in roles for alias in role.aliases),
                    Part(comparison.tldr, 3.0),
                    Part(comparison.body, 1.0),
                ),
                members=tuple((role.name, *role.aliases) for role in roles),
            )
        )
    return found


def _plain(markdown_text: str, limit: int = 220) -> str:
    text = re.sub(r"[*_`>#\[\]]|\(https?://[^)]*\)", "", markdown_text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
