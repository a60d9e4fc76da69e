"""The search rules as pure functions (roles.search.matching): no database,
so they hold the same on SQLite and PostgreSQL."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from roles.search.matching import (
    MAX_HITS,
    Document,
    Part,
    build_index,
    edit_distance,
    expand,
    match,
    parse_query,
    ranked,
    suggest,
)


def role(title, *parts, aliases=()):
    return Document(
        kind="role",
        title=title,
        url=f"/roles/{title.lower().replace(' ', '-')}/",
        snippet="",
        names=(title, *aliases),
        aliases=tuple(aliases),
        parts=(
            Part(title, 8.0),
            *(Part(a, 6.0) for a in aliases),
            *(p if isinstance(p, Part) else Part(p, 1.0) for p in parts),
        ),
    )


INDEX = build_index(
    [
        role(
            "Product Owner",
            Part("Orders the Product Backlog.", 3.0, "Responsibility: Orders"),
            "Maximises value.",
            aliases=("PO",),
        ),
        role("Product Marketing Manager", "Positioning and messaging for launches."),
        role("Scrum Master", "Removes impediments. Works with the PO daily."),
        role("Delivery Manager", "Keeps delivery flowing."),
        role("Engineering Manager", "Delivery of software, delivery and delivery."),
        role("Café Owner", "Serves coffee."),
    ]
)


def titles(text):
    return [hit.title for hit in match(INDEX, parse_query(text))]


def test_every_word_must_match_one_document():
    assert titles("zebra banana") == []
    assert titles("product zebra") == []
    assert titles("product backlog") == ["Product Owner"]


def test_noise_alone_finds_nothing_and_is_ignored_beside_real_words():
    assert parse_query("a b").words == ()
    assert titles("a b") == titles("the") == []
    assert titles("the scrum master") == ["Scrum Master"]


def test_short_words_match_whole_words_never_prefixes():
    assert expand(INDEX, "po") == {"po": 1.0}
    found = titles("PO")
    assert found[0] == "Product Owner"
    assert "Product Marketing Manager" not in found  # "Positioning"
    assert "Scrum Master" in found  # "the PO" as a whole word


def test_longer_words_match_the_start_of_words():
    assert titles("impediment") == ["Scrum Master"]
    assert titles("posit") == ["Product Marketing Manager"]


def test_an_exact_name_or_alias_comes_first_and_says_so():
    hits = match(INDEX, parse_query("po"))
    assert hits[0].exact
    assert hits[0].matched == "Also known as PO"


def test_a_labelled_part_says_what_matched():
    (hit,) = match(INDEX, parse_query("orders"))
    assert hit.matched == "Responsibility: Orders"


def test_typos_are_forgiven_only_for_words_the_content_lacks():
    assert titles("prodcut ownr")[0] == "Product Owner"
    assert titles("delivry manager")[0] == "Delivery Manager"
    assert titles("scrum mastr") == ["Scrum Master"]
    # "serves" is in the content: it is not also a typo of "server"-like words.
    assert set(expand(INDEX, "serves")) == {"serves"}
    assert expand(INDEX, "qwerty") == {}


def test_accents_and_case_do_not_matter():
    assert titles("cafe") == titles("CAFÉ") == ["Café Owner"]


def test_edit_distance_counts_a_transposition_once():
    assert edit_distance("prodcut", "product", 2) == 1
    assert edit_distance("ownr", "owner", 2) == 1
    assert edit_distance("abc", "abc", 0) == 0
    assert edit_distance("zebra", "banana", 2) == 3  # limit + 1


def test_suggestions_correct_unknown_words_into_a_query_that_finds_something():
    assert suggest(INDEX, parse_query("bcaklgo"))[0] == "backlog"
    assert "Product Owner" in suggest(INDEX, parse_query("product ownerr xyz"))


words = st.sampled_from(
    [
        "po",
        "product",
        "owner",
        "backlog",
        "scrum",
        "master",
        "zebra",
        "delivery",
        "manager",
        "the",
        "a",
        "impediments",
        "prodcut",
        "posit",
        "cafe",
        "orders",
    ]
)


@given(st.lists(words, min_size=1, max_size=3), words)
def test_another_word_never_adds_results(query, extra):
    before = set(titles(" ".join(query)))
    after = set(titles(" ".join([*query, extra])))
    assert after <= before or not parse_query(" ".join(query)).words


@given(st.text(max_size=60))
def test_any_text_is_answered(text):
    hits = match(INDEX, parse_query(text))
    assert all(hit.score > 0 for hit in hits)
    suggest(INDEX, parse_query(text))


def _many(kind, count, word="widget"):
    return [
        Document(
            kind=kind,
            title=f"{kind} {number:02}",
            url=f"/{kind}/{number}/",
            snippet="",
            names=(f"{kind} {number:02}",),
            aliases=(),
            parts=(Part(f"{word} thing", 3.0),),
        )
        for number in range(count)
    ]


def test_the_cap_keeps_room_for_every_kind_that_matches():
    """Found by a tester: "product" showed 30 results, all roles and
    comparisons, and none of the glossary terms that match it too."""
    index = build_index(
        [*_many("role", 40), *_many("comparison", 40), *_many("term", 3)]
    )
    everything = ranked(index, parse_query("widget"))
    assert len(everything) == 83
    shown = match(index, parse_query("widget"))
    assert len(shown) == MAX_HITS
    kinds = [hit.kind for hit in shown]
    assert kinds.count("term") == 3
    assert kinds.count("comparison") >= 5
    # Still best first: the order of the full ranking.
    assert shown == [hit for hit in everything if hit in shown]


def test_under_the_cap_every_hit_is_shown():
    index = build_index([*_many("role", 4), *_many("term", 2)])
    assert len(match(index, parse_query("widget"))) == 6
