"""The sitemap's section for curated comparisons."""

from __future__ import annotations

from roles.comparisons.models import Comparison
from roles.core.seo import SiteUrlSitemap


class ComparisonSitemap(SiteUrlSitemap):
    changefreq = "monthly"
    priority = 0.9

    def items(self):
        return Comparison.objects.published().only("key", "updated_at")

    def lastmod(self, comparison: Comparison):
        return comparison.updated_at
