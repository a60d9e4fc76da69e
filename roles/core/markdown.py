"""Markdown for editor-written text: rendered by python-markdown, then sanitised
by nh3 so that no script, style or event handler ever reaches a page."""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

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
    r"\]\(\s*(?P<inline>)"  # [text](target — read on by _inline_target
    r"|<(?P<auto>[a-zA-Z][\w+.-]*:[^>\s]*)>"  # <scheme:target>
    r"|^\s{0,3}\[[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)",  # [ref]: target
    re.MULTILINE,
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _inline_target(text: str, start: int) -> str:
    """The target of an inline link starting at ``start``, read as Markdown
    does: up to ``>`` when it is in angle brackets, otherwise up to the first
    white space or the ``)`` that closes the link, so balanced parentheses
    such as ``javascript:alert(1)`` stay in one piece."""
    if text.startswith("<", start):
        end = text.find(">", start + 1)
        return text[start + 1 : end if end != -1 else len(text)]
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char.isspace():
            return text[start:index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return text[start:index]
            depth -= 1
    return text[start:]


def unsafe_links(text: str) -> list[str]:
    """Link targets whose scheme the sanitiser would remove (javascript:,
    data:, …), each whole, so the editor is told instead of getting a dead
    link."""
    text = text or ""
    found = []
    for match in _LINK_TARGETS.finditer(text):
        if match.group("inline") is not None:
            target = _inline_target(text, match.end())
        else:
            target = match.group("auto") or match.group("ref")
        if not target:
            continue
        scheme = _SCHEME.match(_compact(target))
        unsafe = scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES
        if unsafe and target not in found:
            found.append(target)
    seen = {_compact(link) for link in found}
    for href in _rendered_hrefs(text):
        scheme = _SCHEME.match(_compact(href))
        unsafe = scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES
        # The same link read two ways (Markdown may end it sooner) is named once.
        if unsafe and not any(one.startswith(_compact(href)) for one in seen):
            seen.add(_compact(href))
            found.append(href)
    return found


def _compact(address: str) -> str:
    """An address as a browser reads its scheme: entities decoded, white
    space and control characters gone."""
    return re.sub(r"[\x00-\x20]", "", html.unescape(address))


def _rendered_hrefs(text: str) -> list[str]:
    """Every link address as Markdown renders it, which the reading above
    can miss: ``[x](java<TAB>script:…)`` becomes one address with white space
    inside, which the sanitiser keeps as a dead relative link."""
    return list(_markup_of(text or "").hrefs)


@functools.lru_cache(maxsize=32)
def _markup_of(text: str) -> _MarkupCollector:
    """The tags, dropped markup and link addresses of ``text`` rendered:
    rendered once for the checks of one save (its links, then its tags).
    Callers copy what they return: the collector is shared."""
    collector = _MarkupCollector()
    collector.feed(_to_html(text))
    collector.close()
    return collector


class _MarkupCollector(HTMLParser):
    """Tags and attributes in rendered Markdown that the sanitiser drops
    (and every tag, for plain text, which may have none)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.extend(
                value for name, value in attrs if name == "href" and value
            )
        if tag not in ALLOWED_TAGS:
            self._add(f"<{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, _value in attrs:
            if name not in allowed:
                self._add(f"{name} on <{tag}>")

    def _add(self, item: str) -> None:
        if item not in self.dropped:
            self.dropped.append(item)


def stripped_markup(text: str) -> list[str]:
    """What the sanitiser would silently remove from this Markdown: HTML
    tags outside the allowed set (``<script>``, ``<iframe>``, ``<img>`` …)
    and attributes such as ``onclick``, in order of first appearance. Code
    spans and blocks are text, not markup, so they never count."""
    return list(_markup_of(text or "").dropped)


def validate_markdown(text: str) -> None:
    """Refuse what the page would lose, naming every kind of problem at once
    so that one correction is enough."""
    problems = []
    bad = unsafe_links(text)
    if bad:
        problems.append(
            ValidationError(
                "Links must start with https://, http://, mailto: or /. "
                "This link would be removed from the page: %(link)s",
                code="unsafe_link",
                params={"link": bad[0][:120]},
            )
        )
    dropped = stripped_markup(text)
    if dropped:
        problems.append(
            ValidationError(
                "This markup is not allowed and would be removed from the page: "
                "%(markup)s. Use Markdown for formatting; pictures, scripts, "
                "styles and embedded frames are not supported.",
                code="stripped_markup",
                params={"markup": ", ".join(dropped[:5])},
            )
        )
    if problems:
        raise ValidationError(problems)


#: What an editor typed, by the tag Markdown (or the browser) makes of it.
_MARKUP_NAMES = {
    "em": "*emphasis*",
    "strong": "**bold**",
    "a": "a link [text](address)",
    "code": "`code`",
    "pre": "an indented code block",
    "ul": "a list", "ol": "a list", "li": "a list",
    "blockquote": "a > quote",
    "hr": "a --- rule",
    "img": "an image ![text](address)",
    "br": "a line break",
    **{f"h{n}": "a # heading" for n in range(1, 7)},
}  # fmt: skip


_INSIDE_A_WORD = re.compile(r"(?<=[^\W_])[*_]+(?=[^\W_])")
_UNDERLINE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$", re.M)


def markup_in_plain_text(text: str) -> list[str]:
    """What Markdown or HTML in a plain-text field would show as symbols,
    each named once as the editor typed it ("*emphasis*", "HTML <b>"), in
    order of first appearance. A text is plain when reading it as Markdown
    changes nothing but its paragraph: entities and backslash escapes count
    too ("AT&amp;T" shows as typed)."""
    # Stars and underscores inside a word ("5*3*2", "a*b*c") show as typed
    # and nobody means them as emphasis: they are read as letters.
    text = _INSIDE_A_WORD.sub(lambda m: "x" * len(m.group(0)), text or "")
    html_text = _to_html(text)
    collector = _MarkupCollector()
    collector.feed(html_text)
    collector.close()
    underlined = bool(_UNDERLINE.search(text))
    found: list[str] = []
    for tag in collector.tags:
        name = _MARKUP_NAMES.get(tag, f"HTML <{tag}>") if tag != "p" else None
        if tag in ("h1", "h2") and underlined:
            name = "a heading underlined with --- or ==="
        if name and name not in found:
            found.append(name)
    flat = " ".join(html.unescape(strip_tags(html_text)).split())
    if not found and flat != " ".join(text.split()):
        found.append("an HTML entity or a backslash escape (&amp;, \\*)")
    return found


def validate_plain_text(text: str) -> None:
    """Refuse Markdown or HTML in a field shown exactly as typed (a role's
    summary: lists, search results, link previews, the API), naming it."""
    found = markup_in_plain_text(text)
    if found:
        raise ValidationError(
            "Plain text only: this is shown exactly as typed, so Markdown or "
            "HTML would appear as symbols. Remove: %(markup)s.",
            code="markup_in_plain_text",
            params={"markup": ", ".join(found)},
        )


def _to_html(text: str) -> str:
    return md.markdown(text or "", extensions=["sane_lists"], output_format="html")


#: Texts up to this long are kept once rendered (longer ones, rare, are not:
#: the memory a process gives to this stays under ~10 MB).
KEPT_CHARS = 4_000


def render_markdown(text: str) -> SafeString:
    """``text`` as sanitised HTML. Pure, so each process keeps the last
    thousand short texts it rendered: a page not served from the page cache
    renders from a dozen to a few hundred texts, nearly all unchanged since
    the last time (python-markdown builds its parser anew for each)."""
    text = text or ""
    return _kept(text) if len(text) <= KEPT_CHARS else _render(text)


@functools.lru_cache(maxsize=1024)
def _kept(text: str) -> SafeString:
    return _render(text)


def _render(text: str) -> SafeString:
    clean = nh3.clean(
        _to_html(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)


_HEADING_TAG = re.compile(r"<(/?)h([2-5])\b")


def demote_headings(rendered: SafeString) -> SafeString:
    """Sanitised HTML with each heading one level down (h2 → h3 …), for a
    text shown inside a section that has its own h2. Only tag names change,
    after sanitising, so nothing unsafe can come of it."""
    return mark_safe(
        _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", rendered)
    )


def plain_text(text: str, *, limit: int | None = None) -> str:
    """Markdown as plain text on one line, for meta and og:descriptions and
    JSON-LD: no markup, entities decoded (the template escapes once), cut at a
    word boundary with an ellipsis when longer than ``limit``."""
    flat = " ".join(html.unescape(strip_tags(render_markdown(text))).split())
    if limit is None or len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
