"""Markdown for editor-written text: rendered by python-markdown, then sanitised
by nh3 so that no script, style or event handler ever reaches a page."""

from __future__ import annotations

import html
import re

import markdown as md
import nh3
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN_CHARS = 100_000

_LINK_TARGETS = re.compile(
    r"\]\(\s*<?(?P<inline>[^)>\s]*)"  # [text](target)
    r"|<(?P<auto>[a-zA-Z][\w+.-]*:[^>\s]*)>"  # <scheme:target>
    r"|^\s{0,3}\[[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)",  # [ref]: target
    re.MULTILINE,
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def unsafe_links(text: str) -> list[str]:
    """Link targets whose scheme the sanitiser would remove (javascript:,
    data:, …), so the editor is told instead of getting a dead link."""
    found = []
    for match in _LINK_TARGETS.finditer(text or ""):
        target = match.group("inline") or match.group("auto") or match.group("ref")
        if not target:
            continue
        plain = re.sub(r"[\x00-\x20]", "", html.unescape(target))
        scheme = _SCHEME.match(plain)
        if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
            found.append(target)
    return found


def validate_markdown(text: str) -> None:
    bad = unsafe_links(text)
    if bad:
        raise ValidationError(
            "Links must start with https://, http://, mailto: or /. "
            "This link would be removed from the page: %(link)s",
            code="unsafe_link",
            params={"link": bad[0][:80]},
        )


def render_markdown(text: str) -> SafeString:
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)


def plain_text(text: str, *, limit: int | None = None) -> str:
    """Markdown as plain text on one line, for meta and og:descriptions and
    JSON-LD: no markup, entities decoded (the template escapes once), cut at a
    word boundary with an ellipsis when longer than ``limit``."""
    flat = " ".join(html.unescape(strip_tags(render_markdown(text))).split())
    if limit is None or len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
