"""Markdown for editor-written text: rendered by python-markdown, then sanitised
by nh3 so that no script, style or event handler ever reaches a page."""

from __future__ import annotations

import html

import markdown as md
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


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
