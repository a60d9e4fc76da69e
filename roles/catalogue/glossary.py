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
    longest_first = sorted(spellings.items(), key=lambda s: -len(s[0]))
    regex = re.compile(
        _grouped_alternation([(text, is_abbr) for text, (_, is_abbr) in longest_first])
    )
    return regex, MappingProxyType(spellings)  # shared: read-only


def _grouped_alternation(spellings: Sequence[tuple[str, bool]]) -> str:
    """The regex of ``spellings`` (text, is it an abbreviation), in the order
    given: at each place a word may start, the first that matches wins.

    One alternation of every spelling is tried whole at every such place -
    with every role's name among the stops, ~500 alternatives at each place
    (about a fifth of an uncached comparison page at 216 roles). Here the
    spellings are grouped by their first letter (in any case) and each group
    is entered only when its letter is there, so a word is tried against the
    few spellings it could begin. Within a group the order is the one given;
    a letter begins spellings of one group only, so the winner is the same
    as in the one alternation (tests/test_guide_pages.py holds them equal)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for text, is_abbr in spellings:
        first, *words = text.split()
        head = first[0]
        # Any run of whitespace between words: Markdown wraps lines anywhere.
        rest = re.escape(first[1:]) + "".join(rf"\s+{re.escape(w)}" for w in words)
        # An abbreviation's group is entered in any case; its own first
        # letter is then checked as written.
        body = rf"(?<={re.escape(head)}){rest}" if is_abbr else f"(?i:{rest})"
        groups.setdefault(_case_class(head), []).append((head, body))
    branches = []
    for members in groups.values():
        heads = "".join(
            re.escape(head) for head in dict.fromkeys(h for h, _ in members)
        )
        bodies = "|".join(body for _, body in members)
        branches.append(f"(?i:[{heads}])(?:{bodies})")
    starts = "".join(
        re.escape(head)
        for head in dict.fromkeys(h for members in groups.values() for h, _ in members)
    )
    # Only where a spelling could start: most places in a text are not.
    return rf"(?<![\w&-])(?=(?i:[{starts}]))(?:" + "|".join(branches) + r")(?![\w-])"


def _case_class(char: str) -> str:
    """One name for every character ``re`` takes for ``char`` in any case:
    "s", "S" and "ſ" are one class, as are "k", "K" and the Kelvin sign, and
    "i", "I", "İ" and "ı"."""
    found = {char}
    todo = [char]
    while todo:
        variant = todo.pop()
        for changed in (variant.lower(), variant.upper(), variant.casefold()):
            for other in changed:
                if other not in found and _same_letter(char, other):
                    found.add(other)
                    todo.append(other)
    return min(found)


def _same_letter(a: str, b: str) -> bool:
    return bool(
        re.fullmatch(f"(?i:{re.escape(a)})", b)
        and re.fullmatch(f"(?i:{re.escape(b)})", a)
    )


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
