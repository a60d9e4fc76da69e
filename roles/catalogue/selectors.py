"""Reads that assemble data for several pages (issue 15): glossary terms for
linking, the union of a comparison's sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.urls import reverse

from roles.catalogue.glossary import TermRef
from roles.catalogue.guides import GlossaryTerm
from roles.publishing.cache import versioned


def term_refs() -> list[TermRef]:
    """Every glossary term, as the linker needs it; cached per content version."""

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
        ]

    return versioned("glossary-terms", compute)


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
