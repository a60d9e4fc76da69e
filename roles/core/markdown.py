"""Markdown for editor-written text: rendered by python-markdown, then sanitised
by nh3 so that no script, style or event handler ever reaches a page."""

from __future__ import annotations

import functools
import html
import itertools
import re
from dataclasses import dataclass
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
#: One word in double underscores, the way Python (``__init__``, ``__main__``)
#: and PHP (``__DIR__``) write names.
_DUNDER_NAME = re.compile(r"(?<!\w)__[^\W_](?:\w*[^\W_])?__(?!\w)")
_UNDERLINE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$", re.M)
_ENTITY_OR_ESCAPE = "an HTML entity or a backslash escape (&amp;, \\*)"

#: Where each kind of markup is in the text as typed, to quote it back (the
#: group ``quote``, where there is one, is the part quoted).
_TYPED = {
    # Stars may touch letters; underscores may not (Markdown's own rule).
    "**bold**": (
        r"(?<!\*)(\*{2,3})(?=[^\s*])(?s:.){0,200}?(?<=[^\s*])\1(?!\*)"
        r"|(?<![_\w])(_{2,3})(?=[^\s_])(?s:.){0,200}?(?<=[^\s_])\2(?![_\w])"
    ),
    "*emphasis*": (
        r"(?<!\*)(\*{1,3})(?=[^\s*])(?s:.){0,200}?(?<=[^\s*])\1(?!\*)"
        r"|(?<![_\w])(_{1,3})(?=[^\s_])(?s:.){0,200}?(?<=[^\s_])\2(?![_\w])"
    ),
    "a link [text](address)": (
        r"(?<!!)\[[^\]\n]*\]\([^)\n]*\)"
        r"|<[a-zA-Z][\w+.-]*:[^>\s]*>|<[^<>\s@]+@[^<>\s]+>"
    ),
    "an image ![text](address)": r"!\[[^\]\n]*\]\([^)\n]*\)",
    "`code`": r"(`+)(?!`)(?s:.){1,200}?(?<!`)\1(?!`)",
    "an indented code block": r"^(?: {4}|\t).*\S.*$",
    "a list": r"^[ ]{0,3}(?:[-*+]|\d+[.)])(?:[ \t].*)?$",
    "a > quote": r"^[ ]{0,3}>.*$",
    "a --- rule": r"^[ ]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$",
    "a line break": r"^(?P<quote>.*\S {2,})\n.*\S.*$",
    "a # heading": r"^[ ]{0,3}#.*$",
    "a heading underlined with --- or ===": (
        r"^.*\S.*\n(?P<quote>[ ]{0,3}(?:=+|-+))[ \t]*$"
    ),
    _ENTITY_OR_ESCAPE: (
        r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|\\[!-/:-@\[-`{-~]"
    ),
}
#: At most this many pieces of one kind are quoted, each cut at QUOTE_CHARS,
#: from the first CANDIDATES places that look like it.
QUOTES_PER_KIND = 3
QUOTE_CHARS = 60
CANDIDATES = 20


@dataclass(frozen=True)
class PlainTextMarkup:
    """One kind of markup in a plain text: its name as an editor would type
    it ("**bold**") and the first few pieces of the text that are it, as
    typed ("**backlog**"), so that it can be found in a long text."""

    kind: str
    typed: tuple[str, ...]


def markup_in_plain_text(text: str) -> list[str]:
    """What Markdown or HTML in a plain-text field would show as symbols,
    each named once as the editor typed it ("*emphasis*", "HTML <b>"), in
    order of first appearance. A text is plain when reading it as Markdown
    changes nothing but its paragraph: entities and backslash escapes count
    too ("AT&amp;T" shows as typed)."""
    return [found.kind for found in plain_text_markup(text)]


def plain_text_markup(text: str) -> list[PlainTextMarkup]:
    """``markup_in_plain_text`` with the pieces of ``text`` that are each
    kind, quoted as typed."""
    text = text or ""
    letters = _as_letters(text)
    return [
        PlainTextMarkup(kind, _typed(kind, text, letters)) for kind in _kinds(letters)
    ]


def _as_letters(text: str) -> str:
    """``text`` with what shows as typed and means no markup replaced by as
    many letters (so positions stay): stars and underscores inside a word
    ("5*3*2", "a*b*c", "snake__case") and a name in double underscores
    ("__init__"). Markdown makes that name bold, but nobody writing it in a
    plain field means it (the help teaches **bold**), and refusing it left
    no way to write it."""
    text = _INSIDE_A_WORD.sub(_letters_for, text)
    return _DUNDER_NAME.sub(_letters_for, text)


def _letters_for(match: re.Match[str]) -> str:
    return "x" * len(match.group(0))


def _kinds(letters: str) -> list[str]:
    html_text = _to_html(letters)
    collector = _MarkupCollector()
    collector.feed(html_text)
    collector.close()
    underlined = bool(_UNDERLINE.search(letters))
    kinds: list[str] = []
    for before, tag in zip(["", *collector.tags], collector.tags, strict=False):
        name = _MARKUP_NAMES.get(tag, f"HTML <{tag}>") if tag != "p" else None
        if tag in ("h1", "h2") and underlined:
            name = "a heading underlined with --- or ==="
        if tag == "code" and before == "pre":
            name = None  # the code of an indented code block, named with it
        if name and name not in kinds:
            kinds.append(name)
    flat = " ".join(html.unescape(strip_tags(html_text)).split())
    if not kinds and flat != " ".join(letters.split()):
        kinds.append(_ENTITY_OR_ESCAPE)
    return kinds


def _typed(kind: str, text: str, letters: str) -> tuple[str, ...]:
    """The first pieces of ``text`` that are ``kind``, found in ``letters``
    (at the same positions) as Markdown or as HTML, each kept only where it
    is that kind read alone too. The first CANDIDATES places are looked at,
    so a long text costs no more than a short one."""
    tags = [tag for tag, name in _MARKUP_NAMES.items() if name == kind]
    if kind.startswith("HTML <"):
        tags = [kind[len("HTML <") : -1]]
    patterns = [_TYPED[kind]] if kind in _TYPED else []
    patterns += [
        rf"<{t}(?=[\s/>])[^>]*>(?:[^<\n]{{0,40}}</{t}\s*>)?"
        for t in map(re.escape, tags)
    ]
    found = re.finditer("|".join(f"(?:{p})" for p in patterns), letters, re.M | re.I)
    pieces: list[str] = []
    for match in itertools.islice(found, CANDIDATES):
        start, end = match.span("quote" if match.groupdict().get("quote") else 0)
        piece = text[start:end]
        if kind != "a line break":  # its trailing spaces are the markup
            piece = " ".join(piece.split())
        if len(piece) > QUOTE_CHARS:
            piece = piece[: QUOTE_CHARS - 1] + "…"
        if piece not in pieces and kind in _kinds(match.group(0)):
            pieces.append(piece)
        if len(pieces) == QUOTES_PER_KIND:
            break
    return tuple(pieces)


def validate_plain_text(text: str) -> None:
    """Refuse Markdown or HTML in a field shown exactly as typed (a role's
    summary: lists, search results, link previews, the API), naming it and
    quoting where it is."""
    found = plain_text_markup(text)
    if found:
        raise ValidationError(
            "Plain text only: this is shown exactly as typed, so Markdown or "
            "HTML would appear as symbols. Remove: %(markup)s.",
            code="markup_in_plain_text",
            params={"markup": "; ".join(_described(one) for one in found)},
        )


def _described(found: PlainTextMarkup) -> str:
    if not found.typed:
        return found.kind
    return f"{found.kind} in " + ", ".join(f"“{piece}”" for piece in found.typed)


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
