"""Glossary links: the first use of a term on a page links to its entry.

``link_first_uses`` is pure: sanitised HTML and the terms in, HTML and the
terms it linked out. It never touches markup, only text between tags, and it
skips text inside links, code, headings and existing definitions."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from html.parser import HTMLParser
from types import MappingProxyType
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

SKIP_INSIDE = {"a", "code", "pre", "h1", "h2", "h3", "h4", "abbr", "dfn"}
VOID = {"br", "hr", "img", "wbr"}


class TermRef(NamedTuple):
    slug: str
    term: str
    abbreviation: str
    aliases: tuple[str, ...]
    url: str


class Linked(NamedTuple):
    html: str
    linked: frozenset[str]


@functools.lru_cache(maxsize=8)
def _pattern(
    terms: tuple[TermRef, ...],
) -> tuple[re.Pattern[str] | None, Mapping[str, tuple[TermRef, bool]]]:
    """One regex for every spelling, longest first. Abbreviations match only
    in capitals ("ART", not "art"); terms and aliases in any case. Built once
    per set of terms (they change with the content version), not for each
    text a page links (about a twentieth of an uncached role page)."""
    spellings: dict[str, tuple[TermRef, bool]] = {}
    for ref in terms:
        for text in (ref.term, *ref.aliases):
            if text.strip():
                spellings.setdefault(
                    escape(text.strip(), quote=False).lower(), (ref, False)
                )
        if ref.abbreviation.strip():
            spellings[escape(ref.abbreviation.strip(), quote=False)] = (ref, True)
    if not spellings:
        return None, MappingProxyType({})
    alternatives = []
    for text, (_ref, is_abbr) in sorted(spellings.items(), key=lambda s: -len(s[0])):
        # Any run of whitespace between words: Markdown wraps lines anywhere.
        body = r"\s+".join(re.escape(word) for word in text.split())
        alternatives.append(body if is_abbr else f"(?i:{body})")
    regex = re.compile(r"(?<![\w&-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    return regex, MappingProxyType(spellings)  # shared: read-only


def _lookup(
    match: str, spellings: Mapping[str, tuple[TermRef, bool]]
) -> tuple[TermRef, bool] | None:
    match = " ".join(match.split())
    return spellings.get(match) or spellings.get(match.lower())


def _wrap(text: str, ref: TermRef, is_abbr: bool) -> str:
    inner = (
        f'<abbr title="{escape(ref.term)}">{text}</abbr>'
        if is_abbr
        else f"<dfn>{text}</dfn>"
    )
    return f'<a class="glossary-term" href="{escape(ref.url)}">{inner}</a>'


class _Linker(HTMLParser):
    def __init__(self, regex, spellings, seen: set[str]):
        super().__init__(convert_charrefs=False)
        self.regex = regex
        self.spellings = spellings
        self.seen = seen
        self.out: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        if tag in SKIP_INSIDE and tag not in VOID:
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in SKIP_INSIDE and self.skip_depth:
            self.skip_depth -= 1

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_data(self, data):
        if self.skip_depth or self.regex is None:
            self.out.append(data)
            return

        def replace(match: re.Match[str]) -> str:
            found = _lookup(match.group(0), self.spellings)
            if found is None or found[0].slug in self.seen:
                return match.group(0)
            ref, is_abbr = found
            self.seen.add(ref.slug)
            return _wrap(match.group(0), ref, is_abbr)

        self.out.append(self.regex.sub(replace, data))


def link_first_uses(
    html: str, terms: Sequence[TermRef], already: Iterable[str] = ()
) -> Linked:
    """Link the first use of each term in ``html`` (sanitised HTML) that is not
    in ``already`` (slugs linked earlier on the page)."""
    regex, spellings = _pattern(tuple(terms))
    seen = set(already)
    before = set(seen)
    parser = _Linker(regex, spellings, seen)
    parser.feed(html)
    parser.close()
    return Linked("".join(parser.out), frozenset(seen - before))


class PageGlossary:
    """One page's glossary state: each term is linked once, at its first use
    across every piece of text the page passes through it, in order."""

    def __init__(self, terms: Sequence[TermRef], skip: Iterable[str] = ()):
        self.terms = tuple(terms)
        self.seen: set[str] = set(skip)

    def link(self, html: str) -> SafeString:
        result = link_first_uses(str(html), self.terms, self.seen)
        self.seen |= result.linked
        return mark_safe(result.html)


def terms_used(htmls: Iterable[str], terms: Sequence[TermRef]) -> frozenset[str]:
    """The slugs of the terms a page made of ``htmls`` (sanitised HTML, in
    page order) links: the linker's own matching, so the glossary's "Used in"
    names a page exactly when that page links the term."""
    page = PageGlossary(terms)
    for html in htmls:
        page.link(html)
    return frozenset(page.seen)
