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
    meanings,
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


def comparison(*members, body=""):
    """A comparison document as the selectors build it: each member role's
    name and aliases, as ``members``."""
    title = " vs ".join(names[0] for names in members)
    return Document(
        kind="comparison",
        title=title,
        url="/compare/" + "-vs-".join(n[0].lower() for n in members) + "/",
        snippet="",
        names=(title,),
        aliases=(),
        parts=(
            Part(title, 8.0),
            *(
                Part(name, 8.0 if i == 0 else 6.0)
                for m in members
                for i, name in enumerate(m)
            ),
            Part(body, 1.0),
        ),
        members=members,
    )


COMPARED = build_index(
    [
        role(
            "Product Owner",
            "Works with the PM and the Scrum Master on the agile coach's advice.",
            aliases=("PO",),
        ),
        role("Product Manager", "Talks to the PO every day.", aliases=("PM",)),
        role("Project Manager", aliases=("PM",)),
        role("Scrum Master", "Works with an agile coach.", aliases=("SM",)),
        role("Agile Coach", "Coaches Scrum Masters.", aliases=("Team coach",)),
        comparison(("Product Owner", "PO"), ("Product Manager", "PM")),
        comparison(("Product Manager", "PM"), ("Project Manager", "PM")),
        comparison(("Scrum Master", "SM"), ("Agile Coach", "Team coach")),
        comparison(
            ("Product Owner", "PO"),
            ("Scrum Master", "SM"),
            body="The PO and the PM; scrum master and agile coach.",
        ),
    ]
)


def compared(text):
    return [hit.title for hit in match(COMPARED, parse_query(text))]


def test_a_comparison_is_found_by_its_roles_abbreviations_in_any_order():
    for query in ("PO vs PM", "PO PM", "po vs pm", "PM PO", "PO versus PM"):
        assert compared(query)[0] == "Product Owner vs Product Manager", query


def test_a_comparison_named_by_its_roles_comes_before_roles_that_mention_both():
    hits = match(COMPARED, parse_query("scrum master vs agile coach"))
    assert hits[0].title == "Scrum Master vs Agile Coach"
    assert hits[0].exact
    mixed = match(COMPARED, parse_query("SM vs team coach"))
    assert mixed[0].title == "Scrum Master vs Agile Coach"


def test_a_comparison_whose_roles_the_query_does_not_all_name_is_not_exact():
    # The PO vs SM comparison's text mentions "PM", but PM is not one of its roles.
    hits = {h.title: h for h in match(COMPARED, parse_query("PO vs PM"))}
    assert not hits["Product Owner vs Scrum Master"].exact
    # One role named is not the comparison named.
    assert not any(
        h.exact
        for h in match(COMPARED, parse_query("product owner"))
        if h.kind == "comparison"
    )


def test_versus_is_noise():
    assert parse_query("PO versus PM").words == parse_query("PO vs PM").words


# --- an abbreviation two roles share ("PM") ---------------------------------------


def test_an_abbreviation_of_two_roles_lists_both_then_the_comparisons_of_each():
    """ "PM" is the Product Manager's and the Project Manager's: both come
    first, then the comparisons either is in, then what merely mentions PM
    (the Product Owner's text, the PO vs SM comparison's)."""
    hits = match(COMPARED, parse_query("PM"))
    assert [(h.title, h.exact) for h in hits[:2]] == [
        ("Product Manager", True),
        ("Project Manager", True),
    ]
    assert [h.title for h in hits[2:]] == [
        "Product Manager vs Project Manager",
        "Product Owner vs Product Manager",
        "Product Owner",
        "Product Owner vs Scrum Master",
    ]


def test_one_abbreviation_is_not_both_roles_of_a_comparison():
    """ "PM" names one role (either); "PM vs PM" or both names name two."""
    exact = {h.title for h in match(COMPARED, parse_query("PM")) if h.exact}
    assert "Product Manager vs Project Manager" not in exact
    for query in (
        "PM vs PM",
        "product manager vs project manager",
        "PM vs project manager",
        "project manager product manager",
    ):
        hit = match(COMPARED, parse_query(query))[0]
        assert (hit.title, hit.exact) == ("Product Manager vs Project Manager", True)


def test_the_roles_of_a_comparison_the_query_names_come_right_after_it():
    """The Product Manager's guide never says "project", yet a reader who
    asks for "product manager vs project manager" wants both guides."""
    assert compared("product manager vs project manager")[:3] == [
        "Product Manager vs Project Manager",
        "Product Manager",
        "Project Manager",
    ]
    assert compared("PO vs PM")[:3] == [
        "Product Owner vs Product Manager",
        "Product Owner",
        "Product Manager",
    ]


def test_an_abbreviation_has_meanings_only_when_it_names_several_roles():
    assert meanings(COMPARED, parse_query("PM")) == (
        "Product Manager",
        "Project Manager",
    )
    assert meanings(COMPARED, parse_query("pm")) == (
        "Product Manager",
        "Project Manager",
    )
    assert meanings(COMPARED, parse_query("PO")) == ()
    assert meanings(COMPARED, parse_query("PO vs PM")) == ()
    assert meanings(COMPARED, parse_query("product manager")) == ()
