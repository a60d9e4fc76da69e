"""Reads that assemble data for several pages (issue 15): glossary terms for
linking, the union of a comparison's sources, the published roles every
role listing names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.urls import reverse

from roles.catalogue.glossary import TermRef, stop_phrases, terms_used
from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.models import Role
from roles.core.markdown import render_markdown
from roles.core.urls import slug_url
from roles.publishing.cache import versioned


def term_refs() -> list[TermRef]:
    """Every glossary term, as the linker needs it, then every role's names as
    stops (a term inside "Scrum Master" is not a use of it); cached per
    content version."""

    def compute() -> list[TermRef]:
        base = reverse("roles:glossary")
        return [
            TermRef(
                slug=t.slug,
                term=t.term,
                abbreviation=t.abbreviation,
                aliases=tuple(t.alias_list),
                url=f"{base}#{t.slug}",
            )
            for t in GlossaryTerm.objects.only(
                "slug", "term", "abbreviation", "aliases"
            )
        ] + [
            TermRef("", phrases[0], "", phrases[1:], "")
            for role in Role.objects.only("name", "also_known_as")
            if (phrases := stop_phrases([role.name, *role.aliases]))
        ]

    return versioned("glossary-terms", compute)


class RoleCard(NamedTuple):
    """A published role as the pages listing every role show it."""

    name: str
    slug: str
    summary: str
    family: str
    origin: str

    def get_absolute_url(self) -> str:
        return slug_url("roles:role_detail", self.slug)


def role_cards() -> tuple[RoleCard, ...]:
    """Every published role, in the roles' order, for the pages that list them
    all (the home page, the role list, each role's "Compare with another
    role"); cached per content version, so an uncached page of any of them
    neither queries nor builds 216 model instances for the list."""

    def compute() -> tuple[RoleCard, ...]:
        return tuple(
            RoleCard(*row)
            for row in Role.objects.published().values_list(
                "name", "slug", "summary", "family", "origin"
            )
        )

    return versioned("role-cards", compute)


class TermUse(NamedTuple):
    """A public page whose text links a glossary term."""

    key: str  # a role's slug, a comparison's key
    name: str
    url: str


def uses_by_term(
    pages: Iterable[tuple[TermUse, Iterable[str]]],
) -> dict[str, tuple[TermUse, ...]]:
    """Which pages link each term, by the term's slug, from each page and the
    Markdown texts it links (in page order), with the linker's matching."""
    terms = term_refs()
    uses: dict[str, list[TermUse]] = {}
    for page, texts in pages:
        for slug in terms_used((render_markdown(t) for t in texts), terms):
            uses.setdefault(slug, []).append(page)
    return {slug: tuple(found) for slug, found in uses.items()}


def term_uses_in_guides() -> dict[str, tuple[TermUse, ...]]:
    """The published role guides that link each glossary term, by name;
    cached per content version (a fixed number of queries, whatever the size)."""

    def compute() -> dict[str, tuple[TermUse, ...]]:
        roles = (
            Role.objects.published()
            .only("name", "slug", "overview")
            .prefetch_related("ways_in", "anti_patterns")
            .order_by("name")
        )
        return uses_by_term(
            (TermUse(r.slug, r.name, r.get_absolute_url()), r.glossary_texts())
            for r in roles
        )

    return versioned("glossary-uses-in-guides", compute)


class SourceRef(NamedTuple):
    title: str
    url: str
    publisher: str
    roles: tuple[str, ...]


def sources_union(roles: Iterable) -> list[SourceRef]:
    """The sources of several roles (prefetched ``sources``), each address once,
    in the roles' order, naming the roles that cite it."""
    by_url: dict[str, SourceRef] = {}
    for role in roles:
        for source in sorted(role.sources.all(), key=lambda s: (s.order, s.pk)):
            found = by_url.get(source.url)
            if found is None:
                by_url[source.url] = SourceRef(
                    source.title, source.url, source.publisher, (role.name,)
                )
            elif role.name not in found.roles:
                by_url[source.url] = found._replace(roles=(*found.roles, role.name))
    return list(by_url.values())
