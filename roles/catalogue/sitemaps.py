"""The sitemap's sections for role pages and the site's fixed pages."""

from __future__ import annotations

from django.urls import reverse

from roles.catalogue.models import Role
from roles.core.seo import SiteUrlSitemap


class RoleSitemap(SiteUrlSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Role.objects.published().only("slug", "updated_at")

    def lastmod(self, role: Role):
        return role.updated_at


class PageSitemap(SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return [
            "roles:home",
            "roles:role_list",
            "roles:compare_index",
            "roles:quiz",
            "roles:quiz_scoring",
            "roles:glossary",
        ]

    def location(self, name: str) -> str:
        return reverse(name)

    def lastmod(self, name: str):
        # The same for every fixed page: looked up once per sitemap.
        if not hasattr(self, "_latest"):
            latest = Role.objects.published().order_by("-updated_at").first()
            self._latest = latest.updated_at if latest else None
        return self._latest
