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
    """A glossary term, or, with no ``url``, a stop: a phrase such as a role's
    name ("Scrum Master") that is matched as one so that the terms inside it
    ("Scrum") are not linked there. A stop is never linked."""

    slug: str
    term: str
    abbreviation: str
    aliases: tuple[str, ...]
    url: str

    @property
    def is_stop(self) -> bool:
        return not self.url


class Linked(NamedTuple):
    html: str
    linked: frozenset[str]


@functools.lru_cache(maxsize=8)
def _pattern(
    terms: tuple[TermRef, ...],
) -> tuple[re.Pattern[str] | None, Mapping[str, tuple[TermRef, bool]]]:
    """One regex for every spelling, longest first. Abbreviations match only
    in capitals ("ART", not "art"); terms and aliases in any case. A term's
    spelling wins over a stop's that is the same. Built once
    per set of terms (they change with the content version), not for each
    text a page links (about a twentieth of an uncached role page)."""
    spellings: dict[str, tuple[TermRef, bool]] = {}
    for ref in sorted(terms, key=lambda ref: ref.is_stop):
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


def stop_phrases(names: Iterable[str]) -> tuple[str, ...]:
    """The phrases a role's names make stops of: each name of two words or
    more, without a note in brackets ("Chief Scrum Master (informal)"), and
    its plural. One word ("PM", "Mini-CEO") cannot hide a term inside it."""
    phrases: list[str] = []
    for name in names:
        name = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
        if len(name.split()) >= 2:
            phrases += [name, f"{name}s"]
    return tuple(dict.fromkeys(phrases))


def _lookup(
    match: str, spellings: Mapping[str, tuple[TermRef, bool]]
) -> tuple[TermRef, bool] | None:
    match = " ".join(match.split())
    return spellings.get(match) or spellings.get(match.lower())


# Short words an abbreviation may take a letter from or leave out: "Definition
# of Done" is DoD, "Objectives and key results" OKR.
MINOR_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to"})


def spells(abbreviation: str, phrase: str) -> bool:
    """Whether ``phrase`` spells ``abbreviation`` out: each word gives its first
    letter in order (minor words may be left out) and may give more letters
    after it ("Scaled Agile Framework" is SAFe, "DevOps ..." DORA). "PI
    Planning" does not spell PI, nor "RACI" RACI."""
    letters = "".join(c for c in abbreviation.lower() if c.isalnum())
    words = [w for w in re.split(r"[\s\-,/]+", phrase.lower()) if w]
    if not letters or words == [letters]:
        return False

    @functools.cache
    def match(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        word = words[j]
        if word in MINOR_WORDS and match(i, j + 1):
            return True
        if i == len(letters) or word[0] != letters[i]:
            return False
        # The word's first letter, then any further letters of it, in order.
        rest, k = word[1:], i + 1
        if match(k, j + 1):
            return True
        for char in rest:
            if k < len(letters) and char == letters[k]:
                k += 1
                if match(k, j + 1):
                    return True
        return False

    return match(0, 0)


@functools.lru_cache(maxsize=256)
def expansion(abbreviation: str, term: str, aliases: tuple[str, ...] = ()) -> str:
    """What an abbreviation stands for, as its ``<abbr title>``: the term if it
    spells the abbreviation out, else the first alias that does ("PI Planning"
    is titled "Planning Interval"); "" when none does."""
    return next((p for p in (term, *aliases) if spells(abbreviation, p)), "")


def abbreviation_problem(
    term: str, abbreviation: str, aliases: Sequence[str]
) -> str | None:
    """The glossary's rule for an abbreviation, for the admin, import and seed:
    never the term itself, and spelled out by the term or one of its aliases."""
    if not abbreviation.strip():
        return None
    if abbreviation.strip().lower() == term.strip().lower():
        return (
            f"“{abbreviation}” is the same as the term: leave the abbreviation empty."
        )
    if not expansion(abbreviation.strip(), term, tuple(aliases)):
        return (
            f"Neither the term nor an alias spells out “{abbreviation}”: add what "
            "it stands for as an alias (it becomes the abbreviation's title)."
        )
    return None


def _wrap(text: str, ref: TermRef, is_abbr: bool) -> str:
    title = expansion(ref.abbreviation.strip(), ref.term, ref.aliases)
    inner = (
        (
            f'<abbr title="{escape(title)}">{text}</abbr>'
            if title
            else f"<abbr>{text}</abbr>"
        )
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
            if found is None or found[0].is_stop or found[0].slug in self.seen:
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
