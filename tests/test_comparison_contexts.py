"""Issue 23 item 8: sources and comparison context notes, checked over the seed YAML.

Each curated comparison says how the split between its own two roles moves, in
notes written for that pair: no sentence is shared with another comparison, and
every note names one of the pair and gives a concrete example. Off-topic sources and
unconfirmed claims stay out, and every role keeps three specific sources."""

import re
from collections import defaultdict

import pytest

from roles.content_io.schema import is_specific_page, load_seed_files

DOC = load_seed_files()
ROLES = {r["slug"]: r for r in DOC["roles"]}
COMPARISONS = {"-vs-".join(sorted(c["roles"])): c for c in DOC["comparisons"]}


def sentences(text: str) -> list[str]:
    """A note's sentences, normalised: lower case, words only, single spaces."""
    flat = re.sub(r"[*_`]", "", " ".join(text.split()))
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])", flat)
    out = []
    for part in parts:
        words = re.findall(r"[a-z0-9]+", part.lower())
        if len(words) >= 4:  # "See above." is not a template sentence
            out.append(" ".join(words))
    return out


def test_sentence_splitter_normalises_case_punctuation_and_markup():
    assert sentences(
        "The **PO** decides here.  The PM   sets direction now! Short one."
    ) == [
        "the po decides here",
        "the pm sets direction now",
    ]
    assert sentences("One person, two hats: it works. Then it does not.") == [
        "one person two hats it works",
        "then it does not",
    ]


def test_no_two_comparisons_share_a_context_note_sentence():
    owners: dict[str, set[str]] = defaultdict(set)
    for key, comparison in COMPARISONS.items():
        for note in comparison["contexts"]:
            for sentence in sentences(note["note"]):
                owners[sentence].add(key)
    shared = {s: sorted(keys) for s, keys in owners.items() if len(keys) > 1}
    assert shared == {}


def test_no_two_comparisons_share_a_run_of_eight_words_in_their_notes():
    """Reworded template text still shows as long shared runs of words."""
    owners: dict[str, set[str]] = defaultdict(set)
    for key, comparison in COMPARISONS.items():
        for note in comparison["contexts"]:
            words = re.findall(r"[a-z0-9']+", note["note"].lower())
            for i in range(len(words) - 7):
                owners[" ".join(words[i : i + 8])].add(key)
    shared = {run: sorted(keys) for run, keys in owners.items() if len(keys) > 1}
    assert shared == {}


def test_no_two_comparisons_share_a_context_label():
    owners: dict[str, set[str]] = defaultdict(set)
    for key, comparison in COMPARISONS.items():
        for note in comparison["contexts"]:
            owners[" ".join(note["label"].lower().split())].add(key)
    shared = {label: sorted(keys) for label, keys in owners.items() if len(keys) > 1}
    assert shared == {}


def _names(slug: str) -> list[str]:
    role = ROLES[slug]
    names = [role["name"], *role["also_known_as"]]
    # "Product lead (in some companies)" is written "product lead" in a sentence.
    return [re.sub(r"\s*\(.*\)", "", n).strip().lower() for n in names if n]


# A concrete situation: an example of a kind of organisation, product or event.
CONCRETE = re.compile(
    r"\b(for example|such as|e\.g\.|a bank|start-up|startup|a retailer|a council|"
    r"a government|a hospital|an insurer|a charity|a software|a video|a mobile|"
    r"an agency|a consultancy|a fintech|a publisher|a marketplace|a school|"
    r"\d+ (people|teams|engineers|products|developers))\b",
    re.I,
)


@pytest.mark.parametrize("key", sorted(COMPARISONS))
def test_every_context_note_names_the_pair_and_a_concrete_situation(key):
    comparison = COMPARISONS[key]
    names = [n for slug in comparison["roles"] for n in _names(slug)]
    vague = []
    for note in comparison["contexts"]:
        text = " ".join(note["note"].lower().split())
        if not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names):
            vague.append(note["label"])
        elif not CONCRETE.search(text):
            vague.append(note["label"] + " (no concrete example)")
    assert vague == [], key


@pytest.mark.parametrize("key", sorted(COMPARISONS))
def test_every_comparison_chooses_its_contexts(key):
    """Only the factors that move this pair's split, at least two of them; no
    factor repeated for the sake of a full grid."""
    factors = [n["context"] for n in COMPARISONS[key]["contexts"]]
    assert len(set(factors)) >= 2, key
    assert len(factors) <= 8, key


@pytest.mark.parametrize("key", sorted(COMPARISONS))
def test_notes_follow_the_taxonomy_order_of_their_factors(key):
    """The page and the export list notes by factor in taxonomy order; a file in
    another order would be "updated" by every seed."""
    order = [c["slug"] for c in DOC["contexts"]]
    factors = [order.index(n["context"]) for n in COMPARISONS[key]["contexts"]]
    assert factors == sorted(factors), key


def test_comparisons_do_not_all_use_the_same_grid():
    grids = {
        tuple(sorted(n["context"] for n in c["contexts"])) for c in COMPARISONS.values()
    }
    assert len(grids) >= len(COMPARISONS) // 2


# --- sources ------------------------------------------------------------------

BANNED_SOURCES = {
    "product-manager": ["scrumguides.org"],
    "engineering-manager": ["staffeng.com/guides/staff-archetypes"],
    "product-marketing-manager": ["blog.hubspot.com"],
}
PODCAST = re.compile(r"podcast", re.I)


@pytest.mark.parametrize("slug", sorted(BANNED_SOURCES))
def test_off_topic_sources_are_gone(slug):
    urls = [s["url"] for s in ROLES[slug]["sources"]]
    assert [u for u in urls for banned in BANNED_SOURCES[slug] if banned in u] == []


def test_no_role_cites_a_podcast_page():
    cited = [
        (slug, s["url"])
        for slug, role in ROLES.items()
        for s in role["sources"]
        if PODCAST.search(s["url"] + " " + s["publisher"] + " " + s["title"])
    ]
    assert cited == []


EXPECTED_SOURCES = {
    "product-manager": "Inspired",
    "engineering-manager": "The Manager's Path",
    "agile-coach": "Coaching Agile Teams",
    "product-operations-manager": "Product Operations",
    "product-marketing-manager": "productmarketingalliance.com",
}


@pytest.mark.parametrize("slug", sorted(EXPECTED_SOURCES))
def test_roles_cite_a_source_about_the_role_itself(slug):
    wanted = EXPECTED_SOURCES[slug]
    assert any(
        wanted in s["title"] or wanted in s["url"] for s in ROLES[slug]["sources"]
    )


def test_agile_coach_cites_the_icagile_coaching_track():
    sources = ROLES["agile-coach"]["sources"]
    assert any(
        "icagile.com" in s["url"] and "coaching" in s["url"].lower() for s in sources
    )


def _all_text() -> str:
    parts = []
    for role in DOC["roles"]:
        parts += [role["overview"], role["summary"], *role["also_known_as"]]
        parts += [s["title"] + " " + s["note"] for s in role["sources"]]
    for comparison in DOC["comparisons"]:
        parts += [comparison["tldr"], comparison["body"]]
        parts += [n["note"] for n in comparison["contexts"]]
    parts += [t["definition"] for t in DOC["glossary"]]
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("claim", ["December 2023", "six meanings"])
def test_unconfirmed_claims_are_gone(claim):
    assert claim.lower() not in _all_text().lower()


def test_staff_engineer_is_not_an_alias_of_the_technical_lead():
    aliases = [a.lower() for a in ROLES["technical-lead"]["also_known_as"]]
    assert not any("staff engineer" in a for a in aliases)


@pytest.mark.parametrize("slug", sorted(ROLES))
def test_every_role_still_cites_three_specific_sources(slug):
    sources = ROLES[slug]["sources"]
    specific = {s["url"] for s in sources if is_specific_page(s["url"]) and s["title"]}
    assert len(specific) >= 3, slug
