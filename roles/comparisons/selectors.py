"""Everything a comparison page shows, assembled by one selector into a typed
page object; the view only parses, selects and renders."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.safestring import SafeString

from roles.catalogue.models import Dimension, DimensionValue, Responsibility, Role
from roles.catalogue.selectors import SourceRef, TermUse, sources_union, uses_by_term
from roles.comparisons import table as cmp
from roles.comparisons.converters import RoleSet
from roles.comparisons.models import SEPARATOR, Comparison, ContextFactor, ContextNote
from roles.core import seo
from roles.core.markdown import plain_text
from roles.core.params import plain_int, shortened
from roles.core.urls import slug_url
from roles.publishing.cache import versioned

MAX_RELATED = 6


class NoteChoice(NamedTuple):
    note: ContextNote
    position: int
    selected: bool


class ContextGroup(NamedTuple):
    factor: ContextFactor
    notes: list[NoteChoice]

    @property
    def has_choice(self) -> bool:
        """More than one situation to pick from: only then a chooser. A lone
        situation is a heading and its note (a single chip offered no choice
        and repeated its label as the note's heading)."""
        return len(self.notes) > 1


class DistinctRole(NamedTuple):
    """A compared role and the responsibility themes no other compared role has."""

    role: Role
    position: int
    rows: tuple[cmp.ThemeRow, ...]


@dataclass(frozen=True)
class ComparisonPage:
    key: str
    title: str
    roles: list[Role]
    result: cmp.Comparison
    curated: Comparison | None
    related: list[Comparison]
    contexts: list[ContextGroup]
    sources: list[SourceRef]
    preview: list[str] = field(default_factory=list)

    @property
    def offers_context_choice(self) -> bool:
        """Whether any context factor has situations to pick between, so
        the page invites readers to pick only where they can."""
        return any(group.has_choice for group in self.contexts)

    @property
    def url(self) -> str:
        return slug_url("roles:compare", self.key)

    @property
    def suits(self) -> list[tuple[Role, str]]:
        if self.curated is None:
            return []
        return [
            (m.role, m.suits) for m in self.curated.comparison_roles.all() if m.suits
        ]

    @property
    def distinct(self) -> list[DistinctRole]:
        """The roles with at least one theme of their own, in page order."""
        return [
            DistinctRole(role, index, rows)
            for index, role in enumerate(self.roles)
            if (rows := self.result.distinct_for(index))
        ]

    @property
    def shared_only(self) -> list[Role]:
        """The roles all of whose themes another compared role also has."""
        return [
            role
            for index, role in enumerate(self.roles)
            if not self.result.distinct_for(index)
        ]

    @property
    def description(self) -> str:
        if self.curated:
            return plain_text(self.curated.tldr, limit=300)
        return (
            f"{self.title} compared side by side: focus, decisions, time horizon, "
            "shared and distinct responsibilities."
        )

    @property
    def breadcrumbs(self) -> list[seo.Crumb]:
        return seo.breadcrumb_trail(
            ("Compare", reverse("roles:compare_index")), (self.title, self.url)
        )

    @property
    def modified(self) -> datetime:
        return max(
            [r.updated_at for r in self.roles]
            + ([self.curated.updated_at] if self.curated else [])
        )

    @property
    def reviewed(self) -> date | None:
        return self.curated.last_reviewed if self.curated else None


class Redirect(NamedTuple):
    """The roles exist but the address is not the canonical one."""

    url: str


def comparison_page(
    *, user, role_set: RoleSet, context: Sequence[str] = ()
) -> ComparisonPage | Redirect | None:
    """The page for a valid role set (``role_set.error`` empty), a redirect to
    its canonical address, or None if a role is unknown or not visible.
    ``context`` is the situations asked for (``?context=<factor>:<n>``, any
    number of them); one the page does not have raises ContextChoiceError."""
    roles = list(
        Role.objects.visible_to(user)
        .filter(slug__in=role_set.parts)
        .only(
            "name",
            "slug",
            "summary",
            "family",
            "status",
            "publish_at",
            "unpublish_at",
            "updated_at",
        )
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("theme").order_by(
                    "order", "id"
                ),
            ),
            Prefetch("dimension_values", queryset=DimensionValue.objects.all()),
            "sources",
        )
    )
    if len(roles) != len(role_set.parts):
        return None
    if not role_set.is_canonical:
        return Redirect(reverse("roles:compare", kwargs={"slugs": role_set.key}))
    key = role_set.key
    # One query finds the curated comparison for these roles and every related
    # one (sharing a role); their members come in a second.
    comparisons = list(
        Comparison.objects.visible_to(user)
        .filter(comparison_roles__role__in=roles)
        .distinct()
        .with_roles()
        .order_by("title")
    )
    curated = next((c for c in comparisons if c.key == key), None)
    roles = _in_display_order(roles, curated)
    return ComparisonPage(
        key=key,
        title=curated.title if curated else " vs ".join(r.name for r in roles),
        roles=roles,
        result=_compare(roles),
        curated=curated,
        # The closest few: comparisons sharing the most of these roles first.
        related=sorted(
            (c for c in comparisons if c.key != key and c.is_published()),
            key=lambda c: (
                -len(set(c.key.split(SEPARATOR)) & set(role_set.parts)),
                c.title,
            ),
        )[:MAX_RELATED],
        contexts=context_groups(_notes(curated), context),
        sources=sources_union(roles),
        preview=[
            str(item)
            for item in [curated, *roles]
            if item is not None and not item.is_published()
        ],
    )


def _in_display_order(roles: list[Role], curated: Comparison | None) -> list[Role]:
    """The editor's order for a curated comparison, else alphabetical."""
    if curated is None:
        return sorted(roles, key=lambda r: r.name)
    by_slug = {role.slug: role for role in roles}
    order = [m.role.slug for m in curated.comparison_roles.all()]
    return [by_slug[s] for s in order if s in by_slug] + [
        r for r in roles if r.slug not in order
    ]


def _notes(curated: Comparison | None) -> list[ContextNote]:
    if curated is None:
        return []
    return list(
        ContextNote.objects.filter(comparison=curated)
        .select_related("factor")
        .order_by("factor__order", "factor__name", "order", "id")
    )


def _compare(roles: list[Role]) -> cmp.Comparison:
    dimensions = versioned(
        "dimensions",
        lambda: [
            (d.pk, d.slug, d.name, d.description) for d in Dimension.objects.all()
        ],
    )
    dim_slugs = {pk: slug for pk, slug, _, _ in dimensions}
    return cmp.compare(
        [
            cmp.RoleData(
                slug=role.slug,
                name=role.name,
                responsibilities=[
                    (cmp.ThemeRef(r.theme.slug, r.theme.name, r.theme.order), r.text)
                    for r in role.responsibilities.all()
                ],
                values={
                    dim_slugs[v.dimension_id]: v.value
                    for v in role.dimension_values.all()
                },
            )
            for role in roles
        ],
        [cmp.DimensionRef(slug, name, text) for _, slug, name, text in dimensions],
    )


class ContextChoiceError(ValueError):
    """A ``?context=`` value the comparison cannot show; the message says why,
    in words for the reader."""


def context_groups(
    notes: list[ContextNote], selected: Sequence[str] = ()
) -> list[ContextGroup]:
    """Context notes grouped by factor, with one note selected in each group:
    the one named by a ``?context=<factor>:<n>`` value (as the situation links
    write it), else the first. Raises ContextChoiceError for a value that names
    no situation of these notes, or a second one for the same factor: the
    reader would otherwise be shown a situation they did not ask for."""
    groups: OrderedDict[ContextFactor, list[ContextNote]] = OrderedDict()
    for note in notes:
        groups.setdefault(note.factor, []).append(note)
    by_slug = {factor.slug: (factor, items) for factor, items in groups.items()}
    chosen: dict[str, int] = {}
    for value in selected:
        if not value.strip():
            raise ContextChoiceError("The address asks for a situation but names none.")
        slug, _, position = value.partition(":")
        factor_items = by_slug.get(slug)
        index = plain_int(position)
        if factor_items is None or index is None or index >= len(factor_items[1]):
            where = (
                f": it has {len(factor_items[1])} for {factor_items[0].name}."
                if factor_items is not None
                else ". Pick one from the comparison’s own situation links."
            )
            raise ContextChoiceError(
                f"This comparison has no situation “{shortened(value)}”{where}"
            )
        if slug in chosen:
            raise ContextChoiceError(
                "The address asks for more than one situation for "
                f"{factor_items[0].name}: pick one."
            )
        chosen[slug] = index
    return [
        ContextGroup(
            factor,
            [
                NoteChoice(note, i, i == chosen.get(factor.slug, 0))
                for i, note in enumerate(items)
            ],
        )
        for factor, items in groups.items()
    ]


def term_uses_in_comparisons() -> dict[str, tuple[TermUse, ...]]:
    """The published curated comparisons that link each glossary term, by
    title; cached per content version."""

    def compute() -> dict[str, tuple[TermUse, ...]]:
        comparisons = (
            Comparison.objects.published()
            .only("title", "key", "tldr", "body")
            .order_by("title")
        )
        return uses_by_term(
            (TermUse(c.key, c.title, c.get_absolute_url()), c.glossary_texts())
            for c in comparisons
        )

    return versioned("glossary-uses-in-comparisons", compute)


# --- what search engines and link previews see ------------------------------------


class PageSeo(NamedTuple):
    og_title: str
    og_description: str
    og_type: str
    structured_data: SafeString


def comparison_seo(request, page: ComparisonPage) -> PageSeo:
    return PageSeo(
        og_title=page.title,
        og_description=page.description,
        og_type="article",
        structured_data=seo.page_ld(
            seo.article_ld(
                request,
                headline=page.title,
                description=page.description,
                modified=page.modified,
                reviewed=page.reviewed,
            ),
            seo.breadcrumbs_ld(request, page.breadcrumbs),
        ),
    )
