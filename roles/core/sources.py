"""A source's address: the one rule for every place that takes one (the
import's content checks, every model field holding one, so the admin), so the
admin never saves what an import of the site's own export would refuse. Pure
but for Django's ValidationError; named by dotted path in migrations, as a
field validator, so it imports nothing of the application."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from django.core.exceptions import ValidationError


def is_specific_page(url: str) -> bool:
    """A well-formed https:// address of a page, not a site's home page."""
    parsed = urlparse(url)
    return (
        parsed.scheme == "https"
        and "." in parsed.netloc
        and parsed.path.strip("/") != ""
    )


#: Shops and readers' catalogues: a listing, not the work. A book is cited by
#: its publisher's (or author's) page, which stays when a listing moves.
_REFUSED_SOURCE_HOST = re.compile(
    r"^(?:[a-z0-9-]+\.)*goodreads\.com$"
    r"|^(?:www\.|smile\.)?amazon\.(?:com|co\.[a-z]{2}|com\.[a-z]{2}|[a-z]{2})$"
    r"|^(?:amzn\.to|amzn\.eu|a\.co)$"
)


def is_refused_source(url: str) -> bool:
    """A Goodreads or Amazon shop address (not AWS's documentation, which
    lives on other amazon.com hosts)."""
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    return bool(_REFUSED_SOURCE_HOST.match(host))


def _why_not_specific(url: str) -> str:
    """Why ``url`` is not a specific https:// page, the one thing to change."""
    parsed = urlparse(url)
    if parsed.scheme == "http" and parsed.netloc:
        return f"“{url}” starts with http://: use the https:// address of the page."
    if parsed.scheme != "https" or not parsed.netloc:
        return (
            f"“{url}” is not a web page's address: use https:// and the page's address."
        )
    if "." not in parsed.netloc:
        return f"“{url}” is not a public address: use the page's address on the web."
    return f"“{url}” is a site's home page: cite the page about the work itself."


def source_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as a source's address, in words, or None.
    The one rule for every source address: the import's content checks
    (``content_io.schema``) and every model field holding one
    (``validate_source_url``), so the admin never saves what an import of
    the site's own export would refuse."""
    if not is_specific_page(url):
        return _why_not_specific(url)
    if is_refused_source(url):
        return (
            f"“{url}” is a shop or a readers' catalogue (Goodreads, "
            "Amazon): cite the publisher's or the author's page for the work."
        )
    return None


def validate_source_url(value: str) -> None:
    problem = source_url_problem(value)
    if problem:
        raise ValidationError(problem, code="source_url")
