"""The sitemap's sections for comparisons: the curated ones, and every other
pair of published roles (computed pages)."""

from __future__ import annotations

from datetime import datetime
from itertools import combinations
from typing import NamedTuple

from django.urls import reverse

from roles.catalogue.models import Role
from roles.comparisons.models import Comparison, comparison_key
from roles.core.seo import SiteUrlSitemap


class ComparisonSitemap(SiteUrlSitemap):
    changefreq = "monthly"
    priority = 0.9

    def items(self):
        return Comparison.objects.published().only("key", "updated_at")

    def lastmod(self, comparison: Comparison):
        return comparison.updated_at


class RolePair(NamedTuple):
    key: str  # the canonical address part: slugs sorted, joined by -vs-
    updated_at: datetime  # the later of the two roles' changes


class RolePairSitemap(SiteUrlSitemap):
    """Every pair of published roles without a curated comparison. Its page
    is computed from the two guides, is indexable and is its own canonical
    address (roles/compare.html marks only previews noindex), so it is listed
    like any page. Only pairs: sets of three to five roles would be tens of
    thousands of near-duplicate addresses. Two queries whatever the content
    size."""

    changefreq = "monthly"
    priority = 0.5

    def items(self) -> list[RolePair]:
        roles = Role.objects.published().only("slug", "updated_at").order_by("slug")
        curated = set(Comparison.objects.published().values_list("key", flat=True))
        pairs = (
            RolePair(comparison_key([a.slug, b.slug]), max(a.updated_at, b.updated_at))
            for a, b in combinations(roles, 2)
        )
        return [pair for pair in pairs if pair.key not in curated]

    def location(self, pair: RolePair) -> str:
        return reverse("roles:compare", kwargs={"slugs": pair.key})

    def lastmod(self, pair: RolePair) -> datetime:
        return pair.updated_at
