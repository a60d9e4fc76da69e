"""What search engines and link previews see: robots.txt, absolute URLs,
JSON-LD, breadcrumbs and the sitemap's base class. (The sitemap's sections
live with their domains.)"""

from __future__ import annotations

import json
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from roles.core.http import read_only


@read_only
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /quiz/results/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def absolute_url(path: str) -> str:
    """An absolute URL on the configured public origin (``SITE_URL``). Never
    built from the request: its Host and scheme are the client's to choose."""
    return settings.SITE_URL + path


class SiteUrlSitemap(Sitemap):
    """A sitemap section whose URLs are on ``SITE_URL``: scheme, host and port
    from the settings, whatever the request's Host or scheme (Django's view
    passes it a RequestSite; a crafted Host would poison the cached sitemap,
    and a proxy that drops the port would lose it)."""

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme


_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """A JSON-LD data block. It is data, not script, so the CSP does not apply;
    <, > and & are escaped so no text can close the element."""
    encoded = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>', SafeString(encoded)
    )


class Crumb(NamedTuple):
    name: str
    url: str


def breadcrumb_trail(*steps: tuple[str, str]) -> list[Crumb]:
    """The page's breadcrumbs from Home: one list for the visible trail
    (includes/_breadcrumbs.html) and the JSON-LD (``breadcrumbs_ld``)."""
    return [Crumb("Home", reverse("roles:home")), *(Crumb(*step) for step in steps)]


def breadcrumbs_ld(request: HttpRequest, crumbs: list[Crumb]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def article_ld(
    request: HttpRequest, *, headline: str, description: str, modified, reviewed=None
) -> dict:
    publisher = {"@type": "Organization", "name": settings.SITE_NAME}
    data = {
        "@type": "Article",
        "headline": headline[:110],
        "description": description,
        "mainEntityOfPage": absolute_url(request.path),
        "dateModified": modified.isoformat(),
        "author": publisher,
        "publisher": publisher,
    }
    if reviewed:
        data["lastReviewed"] = reviewed.isoformat()
    return data


def page_ld(*items: dict) -> SafeString:
    return json_ld({"@context": "https://schema.org", "@graph": list(items)})
