"""Which documents a query finds, and how well: plain data in, plain data out.

The same code runs whatever the database (SQLite in development, PostgreSQL
in production): the selectors load what the public may see into documents,
``build_index`` tokenises them once per content version, and ``match`` answers
a query from that index. The rules, in the order they apply:

- The query is split into words; stop words ("the", "of") and single letters
  are noise, ignored beside other words. A query of noise alone finds nothing.
- **Every** remaining word must match a document for it to count: zebra
  banana finds nothing, although "banana" might be somewhere. (The one
  exception: the roles of a comparison the query names, below.)
- A word shorter than ``PREFIX_MIN`` letters matches whole words only ("PO"
  is the Product Owner's alias, never the start of "Positioning"); a longer
  one also matches the start of a word ("backlog" finds "backlogs").
- A word found nowhere in the content may be a typo: it then matches words
  within ``max_typos`` edits (transpositions count as one), "prodcut" for
  "product". A word that is in the content is never "corrected".
- A document scores the best match of each word, weighted by where it was
  found (a name counts more than a passing mention); the query as a whole
  being one of a document's names ("PO", "RACI") puts it first. So does a
  query that names exactly a comparison's roles, each by its name or an
  alias, in any order: "PO vs PM", "agile coach scrum master". One name
  names one role: "PM" is the Product Manager or the Project Manager, so
  it names both roles of Product Manager vs Project Manager only typed
  twice ("PM vs PM").
- Next comes what the query is about: a document it names misspelt
  ("prodcut ownr"), the comparisons a role it names is in ("PM" lists every
  comparison of either PM), and the roles of a comparison it names, in the
  comparison's order, even where a role's own text lacks a word of the
  query ("product manager vs project manager": the Product Manager's guide
  never says "project"). Then everything else. Within each of the three,
  roles come first, then comparisons, then glossary terms.
- At most ``MAX_HITS`` are shown, with room kept for each kind that matches
  (``PER_KIND``), in the order of the full ranking."""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import NamedTuple

PREFIX_MIN = 4
TYPO_MIN = 4
EXACT_BONUS = 10.0
REPEATS = 0.5  # each further part a word appears in adds half its weight
NAME_BONUS = 8.0  # the words are one of its names, give or take a typo
MAX_HITS = 30  # shown at most; the page says how many more matched
#: Of the MAX_HITS places, this many are kept for each kind with matches, so
#: a word in many role guides ("product") cannot crowd out every glossary
#: term or comparison that has it too.
PER_KIND = 5

# Quality of a word's match, times the weight of the part it was found in.
WHOLE_WORD = 1.0
PREFIX = 0.8
TYPO = 0.6

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "versus",
        "vs",
        "what",
        "which",
        "who",
        "with",
    ]
)

KIND_ORDER = {"role": 0, "comparison": 1, "term": 2}

_WORD = re.compile(r"[^\W_]+")


class Part(NamedTuple):
    """One piece of a document's text. ``label`` is what the results page says
    matched ("Responsibility: …"); parts without one are never named."""

    text: str
    weight: float
    label: str = ""


@dataclass(frozen=True)
class Document:
    kind: str  # "role" | "comparison" | "term"
    title: str
    url: str
    snippet: str
    names: tuple[str, ...]  # the query being one of these puts it first
    aliases: tuple[str, ...]  # said back as "Also known as …" when queried
    parts: tuple[Part, ...]
    #: A comparison's roles, each as its names (name first, then aliases): a
    #: query naming exactly these roles, one name each, puts it first.
    members: tuple[tuple[str, ...], ...] = ()


class SearchHit(NamedTuple):
    kind: str
    title: str
    url: str
    snippet: str
    matched: str  # what matched, when it is not the title: an alias, a duty
    score: float
    exact: bool = False  # the query is the title, an alias or an abbreviation


@dataclass(frozen=True)
class _Indexed:
    document: Document
    weights: Mapping[str, float]  # token -> its weight in this document
    labelled: tuple[tuple[str, frozenset[str]], ...]  # (label, its tokens)
    names: frozenset[str]  # normalised names
    name_words: tuple[frozenset[str], ...]  # each name's meaningful words
    member_words: tuple[tuple[frozenset[str], ...], ...]  # per member role


@dataclass(frozen=True)
class Index:
    documents: tuple[_Indexed, ...]
    vocabulary: tuple[str, ...]  # sorted, for prefix look-ups


@dataclass(frozen=True)
class Query:
    text: str  # normalised: the words, casefolded, space-joined
    words: tuple[str, ...]  # the words that must match (noise removed)
    #: How often each word was typed, where more than once ("PM vs PM").
    repeats: Mapping[str, int] = field(default_factory=dict)


def fold(text: str) -> str:
    """Casefolded, accents removed: "Café" and "cafe" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def parse_query(text: str) -> Query:
    words = tokens(text)
    typed = Counter(w for w in words if w not in STOP_WORDS and len(w) > 1)
    return Query(
        text=" ".join(words),
        words=tuple(typed),
        repeats={w: n for w, n in typed.items() if n > 1},
    )


def build_index(documents: Iterable[Document]) -> Index:
    indexed = []
    vocabulary: set[str] = set()
    for document in documents:
        best: dict[str, float] = {}
        total: dict[str, float] = {}
        labelled = []
        for part in document.parts:
            found = tokens(part.text)
            for token in set(found):
                best[token] = max(best.get(token, 0.0), part.weight)
                total[token] = total.get(token, 0.0) + part.weight
            if part.label:
                labelled.append((part.label, frozenset(found)))
        # A word's weight in a document: where it counts most, plus a little
        # for each other place it appears (at most twice its best again).
        weights = {t: b + min(REPEATS * (total[t] - b), 2 * b) for t, b in best.items()}
        vocabulary.update(weights)
        indexed.append(
            _Indexed(
                document=document,
                weights=weights,
                labelled=tuple(labelled),
                names=frozenset(" ".join(tokens(n)) for n in document.names if n),
                name_words=_name_words(document.names),
                member_words=tuple(_name_words(m) for m in document.members),
            )
        )
    return Index(documents=tuple(indexed), vocabulary=tuple(sorted(vocabulary)))


def _name_words(names: Iterable[str]) -> tuple[frozenset[str], ...]:
    return tuple(
        words for n in names if n and (words := frozenset(tokens(n)) - STOP_WORDS)
    )


def max_typos(word: str) -> int:
    """Edits forgiven in a word: none below TYPO_MIN letters, one up to seven,
    two from eight ("managment")."""
    if len(word) < TYPO_MIN:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition is one edit), or
    ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _prefixed(vocabulary: tuple[str, ...], word: str) -> list[str]:
    start = bisect_left(vocabulary, word)
    found = []
    for token in vocabulary[start:]:
        if not token.startswith(word):
            break
        found.append(token)
    return found


def expand(index: Index, word: str) -> dict[str, float]:
    """The content's words that ``word`` matches, each with its quality."""
    vocabulary = index.vocabulary
    position = bisect_left(vocabulary, word)
    known = position < len(vocabulary) and vocabulary[position] == word
    matches: dict[str, float] = {word: WHOLE_WORD} if known else {}
    if len(word) >= PREFIX_MIN:
        for token in _prefixed(vocabulary, word):
            matches.setdefault(token, PREFIX)
    if matches:
        return matches
    limit = max_typos(word)
    if limit:
        for token in _typo_candidates(vocabulary, word):
            if edit_distance(word, token, limit) <= limit:
                matches[token] = TYPO
    return matches


def _typo_candidates(vocabulary: tuple[str, ...], word: str) -> list[str]:
    """The words a typo of ``word`` is looked for among: those that start
    with its first letter, or with its second (the first two swapped). A typo
    in the first letter itself is rare, and checking only these is ~13 times
    faster than the whole vocabulary."""
    starts = dict.fromkeys(word[:2])
    return [token for letter in starts for token in _prefixed(vocabulary, letter)]


def _best(indexed: _Indexed, matches: Mapping[str, float]) -> float:
    weights = indexed.weights
    if len(matches) < len(weights):
        return max(
            (q * weights[t] for t, q in matches.items() if t in weights), default=0.0
        )
    return max((q * matches[t] for t, q in weights.items() if t in matches), default=0)


def _is_a_name(indexed: _Indexed, expansions: list[dict[str, float]]) -> bool:
    """Whether the words, as matched, are exactly one of the document's names
    ("delivry manager" is Delivery Manager's name, misspelt)."""
    return _words_are_a_name(indexed.name_words, expansions)


def _words_are_a_name(
    names: tuple[frozenset[str], ...], expansions: list[dict[str, float]]
) -> bool:
    for name in names:
        hit = [name.intersection(matches) for matches in expansions]
        if all(hit) and set().union(*hit) == name:
            return True
    return False


def _names_its_members(
    indexed: _Indexed, expansions: list[dict[str, float]], query: Query
) -> bool:
    """Whether the words, as matched, name exactly the comparison's roles:
    one name or alias of each ("PO vs PM", "PM PO", "SM vs team coach"),
    with no word left over. Two roles may share a word of their names
    ("product owner manager"), but not a whole name: "PM" alone names the
    Product Manager or the Project Manager, not both ("PM vs PM" does)."""
    if not indexed.member_words:
        return False
    hit = set().union(*expansions)
    candidates = [
        [name for name in names if name <= hit] for names in indexed.member_words
    ]
    if not all(candidates):
        return False
    # At most five roles with a handful of names each: trying each choice of
    # one name per role is cheap.
    for choice in product(*candidates):
        words = frozenset().union(*choice)
        if not all(words.intersection(matches) for matches in expansions):
            continue
        if all(
            choice.count(name) <= min(query.repeats.get(w, 1) for w in name)
            for name in set(choice)
        ):
            return True
    return False


def _is_a_members_name(indexed: _Indexed, expansions: list[dict[str, float]]) -> bool:
    """Whether the words, as matched, are one of the comparison's roles'
    names: "PM" for a comparison with the Product Manager."""
    return any(_words_are_a_name(names, expansions) for names in indexed.member_words)


def _matched(indexed: _Indexed, query: Query, found: set[str]) -> str:
    document = indexed.document
    alias = next((a for a in document.aliases if fold(a).strip() == query.text), "")
    if alias:
        return f"Also known as {alias}"
    for label, part_tokens in indexed.labelled:
        if part_tokens & found:
            return label
    return ""


def match(index: Index, query: Query, limit: int = MAX_HITS) -> list[SearchHit]:
    """The best ``limit`` of the documents every word of the query matches
    (see ``shown``)."""
    return shown(ranked(index, query), limit)


def shown(hits: list[SearchHit], limit: int = MAX_HITS) -> list[SearchHit]:
    """The hits a page shows, in their order: the first ``PER_KIND`` of each
    kind are kept, then the best of the rest fill the places left."""
    if len(hits) <= limit:
        return hits
    kept: set[int] = set()
    per_kind: dict[str, int] = {}
    for position, hit in enumerate(hits):
        if per_kind.get(hit.kind, 0) < PER_KIND:
            per_kind[hit.kind] = per_kind.get(hit.kind, 0) + 1
            kept.add(position)
    for position in range(len(hits)):
        if len(kept) >= limit:
            break
        kept.add(position)
    return [hits[position] for position in sorted(kept)[:limit]]


def ranked(index: Index, query: Query) -> list[SearchHit]:
    """Every document every word of the query matches, best first: exact
    names, then what the query is about (the comparisons of a role it
    names, the roles of a comparison it names), then the rest; roles,
    comparisons and glossary terms in that order within each, by score."""
    if not query.words:
        return []
    expansions = [expand(index, word) for word in query.words]
    if not all(expansions):
        return []  # a word matches nothing anywhere: no document has them all
    # Each document's tier: 0 exact, 1 what the query is about, 2 the rest,
    # None when it does not match every word.
    scored: list[tuple[_Indexed, float, set[str], int | None]] = []
    named_roles: dict[str, int] = {}  # a named comparison's roles, in its order
    for indexed in index.documents:
        score, found, every = _scored(indexed, expansions)
        tier = None
        if every:
            members = _names_its_members(indexed, expansions, query)
            for position, names in enumerate(
                indexed.document.members if members else ()
            ):
                named_roles.setdefault(names[0], position)
            if query.text in indexed.names or members:
                tier = 0
            elif _is_a_name(indexed, expansions) or _is_a_members_name(
                indexed, expansions
            ):
                tier = 1  # its name or one of its roles', misspelt or not
            else:
                tier = 2
        scored.append((indexed, score, found, tier))
    hits = []
    for indexed, score, found, tier in scored:
        document = indexed.document
        position = 0
        if document.kind == "role" and document.title in named_roles:
            position = named_roles[document.title]
            tier = 1 if tier is None else min(tier, 1)
        if tier is None:
            continue
        exact = tier == 0
        if not exact and _is_a_name(indexed, expansions):
            score += NAME_BONUS
        hit = SearchHit(
            kind=document.kind,
            title=document.title,
            url=document.url,
            snippet=document.snippet,
            matched=_matched(indexed, query, found),
            score=score + (EXACT_BONUS if exact else 0.0),
            exact=exact,
        )
        hits.append((tier, position, hit))
    hits.sort(
        key=lambda t: (t[0], KIND_ORDER[t[2].kind], t[1], -t[2].score, t[2].title)
    )
    return [hit for _, _, hit in hits]


def _scored(
    indexed: _Indexed, expansions: list[dict[str, float]]
) -> tuple[float, set[str], bool]:
    """The document's score for the words it matches, the tokens they
    matched, and whether it matches every word."""
    score = 0.0
    found: set[str] = set()
    every = True
    for matches in expansions:
        best = _best(indexed, matches)
        if not best:
            every = False
            continue
        score += best
        found.update(t for t in matches if t in indexed.weights)
    return score, found, every


def meanings(index: Index, query: Query) -> tuple[str, ...]:
    """The roles the query as a whole names, when it names more than one:
    "PM" is the Product Manager's and the Project Manager's abbreviation."""
    named = tuple(
        sorted(
            indexed.document.title
            for indexed in index.documents
            if indexed.document.kind == "role" and query.text in indexed.names
        )
    )
    return named if len(named) > 1 else ()


def suggest(index: Index, query: Query, limit: int = 3) -> list[str]:
    """For a query that found nothing: the same query with each unknown word
    replaced by the closest word in the content, when that finds something,
    then the titles that look most like the query."""
    found: list[str] = []
    if query.words:
        corrected = []
        for word in query.words:
            if expand(index, word):
                corrected.append(word)
                continue
            close = difflib.get_close_matches(
                word, _typo_candidates(index.vocabulary, word), n=1, cutoff=0.7
            )
            corrected.append(close[0] if close else word)
        if tuple(corrected) != query.words:
            text = " ".join(corrected)
            if match(index, parse_query(text), limit=1):
                found.append(text)
    titles = {d.document.title.casefold(): d.document.title for d in index.documents}
    for title in difflib.get_close_matches(
        query.text, list(titles), n=limit, cutoff=0.6
    ):
        found.append(titles[title])
    return list(dict.fromkeys(found))[:limit]
