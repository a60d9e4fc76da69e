"""Issue 15 pages: the structured guide, career paths both ways, comparison
sources, the glossary page and first-use glossary links."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from roles import models as m
from roles.catalogue import glossary
from roles.catalogue.glossary import PageGlossary, TermRef, link_first_uses
from roles.core.markdown import render_markdown

from .conftest import count_queries
from .factories import (
    GlossaryTermFactory,
    ResponsibilityFactory,
    RoleFactory,
    SourceFactory,
    make_comparison,
    make_guide,
)

SEEDED_ROLE_SLUGS = sorted(
    path.stem
    for path in (Path(__file__).parent.parent / "roles/content/roles").glob("*.yaml")
)
GOAL = TermRef(
    "product-goal", "Product Goal", "", ("product goals",), "/glossary/#product-goal"
)
SRO = TermRef("sro", "Senior Responsible Owner", "SRO", (), "/glossary/#sro")
ART = TermRef("art", "Agile Release Train", "ART", (), "/glossary/#art")


# --- the pure linker ---------------------------------------------------------------


def test_first_use_only_is_linked_as_a_definition():
    html = "<p>The Product Goal guides sprints. A product goal is long-term.</p>"
    result = link_first_uses(html, [GOAL])
    assert result.html == (
        '<p>The <a class="glossary-term" href="/glossary/#product-goal">'
        "<dfn>Product Goal</dfn></a> guides sprints. A product goal is long-term.</p>"
    )
    assert result.linked == {"product-goal"}


def test_the_terms_pattern_is_built_once_per_set_of_terms_and_anew_when_they_change():
    """A page links ten or more texts, and every page the same terms: the
    pattern is built once for them; an edited glossary (new terms) gets its own."""
    glossary._pattern.cache_clear()
    for _page in range(3):
        page = PageGlossary([GOAL, ART])
        for text in ("<p>An ART.</p>", "<p>The Product Goal.</p>", "<p>None.</p>"):
            page.link(text)
    assert glossary._pattern.cache_info().misses == 1
    edited = PageGlossary([GOAL, ART, SRO])
    assert '<abbr title="Senior Responsible Owner">SRO</abbr>' in edited.link(
        "<p>The SRO and the ART.</p>"
    )
    assert glossary._pattern.cache_info().misses == 2


def test_abbreviations_match_in_capitals_only_and_get_an_abbr():
    result = link_first_uses("<p>Art is not an ART, but the SRO is.</p>", [SRO, ART])
    assert '<abbr title="Agile Release Train">ART</abbr>' in result.html
    assert '<abbr title="Senior Responsible Owner">SRO</abbr>' in result.html
    assert result.html.startswith("<p>Art is")


def test_terms_already_linked_on_the_page_are_not_linked_again():
    result = link_first_uses("<p>Product Goal</p>", [GOAL], already={"product-goal"})
    assert result.html == "<p>Product Goal</p>"
    assert result.linked == frozenset()


def test_text_in_links_code_and_headings_is_left_alone():
    html = (
        '<h2>Product Goal</h2><p><a href="https://x.org/">Product Goal</a> '
        "<code>Product Goal</code> then Product Goal.</p>"
    )
    result = link_first_uses(html, [GOAL])
    assert result.html.count('class="glossary-term"') == 1
    assert result.html.endswith(
        '<a class="glossary-term" href="/glossary/#product-goal">'
        "<dfn>Product Goal</dfn></a>.</p>"
    )


def test_words_inside_longer_words_do_not_match():
    assert link_first_uses("<p>ARTS and SROs and PARTS</p>", [SRO, ART]).linked == set()


def test_entities_and_attributes_survive():
    html = render_markdown('Fish &amp; chips [a > b](https://x.org/ "a > b") SRO')
    result = link_first_uses(html, [SRO])
    assert result.html.replace(
        '<a class="glossary-term" href="/glossary/#sro">'
        '<abbr title="Senior Responsible Owner">SRO</abbr></a>',
        "SRO",
    ) == str(html)


@given(st.text(max_size=200))
def test_linking_never_changes_the_text_a_reader_sees(text):
    from django.utils.html import strip_tags

    html = str(render_markdown(text))
    linked = link_first_uses(html, [GOAL, SRO, ART]).html
    assert strip_tags(linked) == strip_tags(html)


def _one_alternation(terms):
    """The terms' pattern as one plain alternation of every spelling, longest
    first (how it was built until it was grouped by first letter): what the
    grouped pattern must find, match for match."""
    import re
    from html import escape

    spellings = {}
    for ref in sorted(terms, key=lambda ref: ref.is_stop):
        for text in (ref.term, *ref.aliases):
            if text.strip():
                spellings.setdefault(escape(text.strip(), quote=False).lower(), False)
        if ref.abbreviation.strip():
            spellings[escape(ref.abbreviation.strip(), quote=False)] = True
    alternatives = []
    for text, is_abbr in sorted(spellings.items(), key=lambda s: -len(s[0])):
        body = r"\s+".join(re.escape(word) for word in text.split())
        alternatives.append(body if is_abbr else f"(?i:{body})")
    return re.compile(r"(?<![\w&-])(?:" + "|".join(alternatives) + r")(?![\w-])")


# Letters whose cases meet in odd ways (ſ and s, the Kelvin sign and k, İ, ı
# and i, the Greek sigmas), beside plain ones, spaces and the characters a
# term's edge is judged by.
_LETTERS = "aAsSſkKKiIİıσςΣbB &-./"
_SPELLING = st.text(_LETTERS, min_size=1, max_size=6).filter(str.strip)


@given(
    st.lists(
        st.tuples(
            _SPELLING,
            st.one_of(st.just(""), st.text("ASKIBİΣ", min_size=1, max_size=3)),
            st.lists(_SPELLING, max_size=2),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    st.text(_LETTERS, max_size=80),
)
def test_the_terms_pattern_finds_what_one_plain_alternation_finds(specs, text):
    """The pattern is grouped by first letter so that a page's text is not tried
    against every spelling at every word (at 216 roles, most of an uncached
    comparison page's time); it must still find the same spellings at the
    same places as the one long alternation it replaces."""
    terms = [
        TermRef(
            "" if stop else f"t{i}",
            term,
            abbreviation,
            tuple(aliases),
            "" if stop else f"/glossary/#t{i}",
        )
        for i, (term, abbreviation, aliases, stop) in enumerate(specs)
    ]
    regex, _spellings = glossary._pattern(tuple(terms))
    plain = _one_alternation(terms)
    assert [(m.span(), m.group()) for m in regex.finditer(text)] == [
        (m.span(), m.group()) for m in plain.finditer(text)
    ]


# --- pages -------------------------------------------------------------------------


@pytest.fixture
def guide(db):
    po = RoleFactory(name="Product Owner", slug="product-owner")
    pm = RoleFactory(name="Product Manager", slug="product-manager")
    ba = RoleFactory(name="Business Analyst", slug="business-analyst")
    make_guide(po, others=[pm], n=2)
    m.RelatedRole.objects.create(role=po, related=ba, order=5)
    return po, pm, ba


def test_role_page_shows_every_part_of_the_guide(client, guide):
    po, _, _ = guide
    html = client.get(po.get_absolute_url()).content.decode()
    for heading in (
        "Skills",
        "Ways into the role",
        "A typical week",
        "Common anti-patterns",
        "Career paths",
        "Related roles",
    ):
        assert f">{heading}</h2>" in html
    assert "product-owner skill 1" in html and "Practitioner" in html
    assert "From <em>a</em>" not in html and "<em>neighbouring</em>" in html
    assert (
        '<th scope="row" role="rowheader">Activity 0</th>'
        '<td role="cell" class="week-hours">3</td>'
    ) in html
    assert "From here people move to …" in html
    assert "From Product Owner to Product Manager." in html
    assert "People move here from …" in html
    assert "From Product Manager to Product Owner." in html
    assert "<li>Owning a strategy</li>" in html and "<li>Refinement</li>" in html
    assert 'href="/roles/business-analyst/">Business Analyst</a>' in html


WEEK_ROW = re.compile(
    r'<th scope="row" role="rowheader">[^<]*</th>'
    r'<td role="cell" class="week-hours">(\d+)</td>'
)


@pytest.mark.parametrize("slug", SEEDED_ROLE_SLUGS)
def test_a_typical_week_never_claims_a_total_its_rows_do_not_add_up_to(
    client, seeded, slug
):
    """The rows of a typical week leave room for unlisted work (email, admin):
    the table shows what they add up to against the working week, and says where
    the rest goes, instead of calling them "hours in a 37-hour week"."""
    role = m.Role.objects.get(slug=slug)
    html = client.get(role.get_absolute_url()).content.decode()
    section = html.split('id="week-heading"')[1].split("</section>")[0]
    hours = [int(h) for h in WEEK_ROW.findall(section.split("<tfoot")[0])]
    listed = sum(hours)
    assert hours == [w.hours for w in role.typical_week.all()]
    assert "in a 37-hour week" not in section
    assert (
        '<tfoot role="rowgroup"><tr role="row"><th scope="row" role="rowheader">'
        f'Listed</th><td role="cell" class="week-hours">{listed}</td>' in section
    )
    assert f"{listed} of {m.WORKING_WEEK_HOURS} hours" in section
    if listed < m.WORKING_WEEK_HOURS:
        unlisted = m.WORKING_WEEK_HOURS - listed
        assert f"The other {unlisted} hours go on work not listed here" in section


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        ([20, 17], "All 37 of 37 hours"),
        ([20, 20], "40 hours: more than a 37-hour week"),
        ([3], "3 of 37 hours. The other 34 hours go on work not listed here"),
    ],
)
def test_a_typical_week_says_what_its_rows_add_up_to_whatever_they_add_up_to(
    client, db, hours, words
):
    role = RoleFactory(name="Agile Coach", slug="agile-coach")
    for index, value in enumerate(hours):
        m.WeekActivity.objects.create(
            role=role, activity=f"Activity {index}", hours=value, order=index
        )
    html = client.get(role.get_absolute_url()).content.decode()
    assert words in html


@pytest.mark.parametrize("slug", SEEDED_ROLE_SLUGS)
def test_the_typical_week_caption_reads_as_english(client, seeded, slug):
    """ "A typical week for a Agile Coach": no article before the role's name."""
    role = m.Role.objects.get(slug=slug)
    html = client.get(role.get_absolute_url()).content.decode()
    caption = html.split('<table class="week-table" role="table">')[1].split(
        "</caption>"
    )[0]
    assert caption.endswith(
        f">Typical week: {role.name} (activity, hours and what it involves)"
    )


def test_career_paths_show_on_both_roles_pages(client, guide):
    _, pm, _ = guide
    html = client.get(pm.get_absolute_url()).content.decode()
    assert "People move here from …" in html
    assert "From Product Owner to Product Manager." in html


def test_draft_roles_are_left_out_of_paths_and_related_roles(client, guide):
    po, pm, ba = guide
    pm.status = m.Status.DRAFT
    pm.save()
    ba.status = m.Status.DRAFT
    ba.save()
    html = client.get(po.get_absolute_url()).content.decode()
    assert "Product Manager" not in html.split('id="paths-heading"')[-1]
    assert "Career paths" not in html
    assert "Related roles" not in html


def test_role_page_links_the_first_use_of_a_glossary_term(client, guide):
    po, *_ = guide
    po.overview = "The Product Goal is set by the PO. The Product Goal is long-term."
    po.save()
    GlossaryTermFactory(term="Product Goal", slug="product-goal")
    html = client.get(po.get_absolute_url()).content.decode()
    assert html.count('href="/glossary/#product-goal"') == 1
    assert "<dfn>Product Goal</dfn>" in html


SCRUM = TermRef("scrum", "Scrum", "", (), "/glossary/#scrum")
PROJECT = TermRef("project", "Project", "", ("projects",), "/glossary/#project")


def test_a_term_inside_a_role_name_is_not_linked_but_its_own_use_is():
    """A role's name is one phrase: "Scrum Master" is not a use of "Scrum", and
    the first use of the term on its own is the one linked."""
    stops = [TermRef("", "Scrum Master", "", ("Scrum Masters",), "")]
    html = "<p>Every Scrum Master and two scrum masters follow Scrum.</p>"
    result = link_first_uses(html, [SCRUM, *stops])
    assert result.linked == {"scrum"}
    assert result.html == (
        "<p>Every Scrum Master and two scrum masters follow "
        '<a class="glossary-term" href="/glossary/#scrum"><dfn>Scrum</dfn></a>.</p>'
    )


def test_role_names_stop_glossary_links_on_the_pages(client, guide):
    """On a role page, no glossary link sits inside another role's name: the
    stops are every published role's name and its multi-word aliases."""
    po, *_ = guide
    RoleFactory(name="Project Manager", slug="project-manager")
    RoleFactory(name="Scrum Master", slug="scrum-master", also_known_as="Team Coach")
    GlossaryTermFactory(term="Project", slug="project", aliases="projects")
    GlossaryTermFactory(term="Scrum", slug="scrum")
    po.overview = (
        "A Project Manager runs projects; a Scrum Master coaches a team in Scrum."
    )
    po.save()
    html = client.get(po.get_absolute_url()).content.decode()
    assert "Project Manager runs" in html and "Scrum Master coaches" in html
    assert "<dfn>projects</dfn></a>; a Scrum Master" in html
    assert (
        'in <a class="glossary-term" href="/glossary/#scrum"><dfn>Scrum</dfn>' in html
    )


def test_the_glossary_used_in_ignores_terms_inside_role_names(client, guide):
    po, *_ = guide
    RoleFactory(name="Scrum Master", slug="scrum-master")
    GlossaryTermFactory(term="Scrum", slug="scrum").related_roles.add(po)
    po.overview = "Works with the Scrum Master every day."
    po.save()
    entries = _entries(client.get(reverse("roles:glossary")).content.decode())
    assert po.name not in entries["scrum"]


def test_comparison_shows_the_union_of_its_roles_sources_and_review_date(client, guide):
    po, pm, _ = guide
    shared = "https://scrumguides.org/scrum-guide.html"
    SourceFactory(role=po, title="The Scrum Guide", url=shared)
    SourceFactory(role=pm, title="The Scrum Guide", url=shared)
    SourceFactory(role=pm, title="Only PM", url="https://example.org/pm-only")
    comparison = make_comparison([po, pm], title="Product Owner vs Product Manager")
    comparison.last_reviewed = dt.date(2026, 11, 20)
    comparison.save()
    html = client.get(comparison.get_absolute_url()).content.decode()
    sources = html.split('id="sources"')[1]
    assert sources.count(shared) == 1
    assert "(Product Owner, Product Manager)" in sources
    assert "Only PM" in sources
    assert '<time datetime="2026-11-20">20 November 2026</time>' in html


def test_glossary_page_gives_each_term_an_anchor_and_its_source(client, guide):
    po, *_ = guide
    term = GlossaryTermFactory(
        term="Senior Responsible Owner", slug="sro", abbreviation="SRO"
    )
    po.overview = "The SRO signs it off."
    po.save()
    html = client.get(reverse("roles:glossary")).content.decode()
    assert '<dt id="sro"><dfn>Senior Responsible Owner</dfn>' in html
    assert '<abbr title="Senior Responsible Owner">SRO</abbr>' in html
    assert term.source_url in html
    assert 'href="/roles/product-owner/">Product Owner</a>' in html
    assert 'href="#letter-s"' in html


GLOSSARY_LINK = re.compile(r'<a class="glossary-term" href="/glossary/#([^"]+)">')


def _entries(html: str) -> dict[str, str]:
    """Each glossary entry's markup, by the term's slug."""
    parts = html.split('<div class="glossary-entry">')[1:]
    return {re.search(r'<dt id="([^"]+)">', part)[1]: part for part in parts}


def _used_in(entry: str, label: str) -> set[str]:
    found = re.search(rf"<p class=\"glossary-roles\">{label}: (.*?)</p>", entry, re.S)
    return set(re.findall(r'href="([^"]+)"', found[1])) if found else set()


def test_used_in_lists_exactly_the_guides_and_comparisons_that_link_the_term(
    client, seeded
):
    """ "Used in" once came from a list editors kept by hand: it named guides
    that never use the term (OKR, MVP, RACI) and left out ones that link it
    (Scrum, Stakeholder). It must name exactly the pages whose text links it."""
    linked_from: dict[str, set[str]] = {}
    pages = [r.get_absolute_url() for r in m.Role.objects.published()]
    comparisons = [c.get_absolute_url() for c in m.Comparison.objects.published()]
    assert pages and comparisons
    for url in pages + comparisons:
        html = client.get(url).content.decode()
        for slug in GLOSSARY_LINK.findall(html):
            linked_from.setdefault(slug, set()).add(url)
    entries = _entries(client.get(reverse("roles:glossary")).content.decode())
    assert set(linked_from) <= set(entries)
    for slug, entry in entries.items():
        expected = linked_from.get(slug, set())
        assert _used_in(entry, "Used in the guides") == {
            url for url in expected if url in pages
        }, slug
        assert _used_in(entry, "Used in the comparisons") == {
            url for url in expected if url in comparisons
        }, slug
        assert "Used in:" not in entry
    api = client.get("/api/v1/glossary/").json()["terms"]
    for term in api:
        expected = linked_from.get(term["slug"], set())
        assert {f"/roles/{slug}/" for slug in term["used_in_roles"]} == {
            url for url in expected if url in pages
        }
        assert {f"/compare/{key}/" for key in term["used_in_comparisons"]} == {
            url for url in expected if url in comparisons
        }


def test_a_term_no_published_page_links_says_where_it_is_not_used(client, guide):
    po, pm, _ = guide
    po.overview = "The Product Goal matters."
    po.save()
    goal = GlossaryTermFactory(term="Product Goal", slug="product-goal")
    goal.related_roles.add(pm)  # the editors' list: not a use
    GlossaryTermFactory(term="Velocity", slug="velocity").related_roles.add(po)
    entries = _entries(client.get(reverse("roles:glossary")).content.decode())
    assert _used_in(entries["product-goal"], "Used in the guides") == {
        po.get_absolute_url()
    }
    assert "glossary-roles" not in entries["velocity"]
    pm.overview = "A Product Goal too."
    pm.save()
    entries = _entries(client.get(reverse("roles:glossary")).content.decode())
    assert _used_in(entries["product-goal"], "Used in the guides") == {
        po.get_absolute_url(),
        pm.get_absolute_url(),
    }


ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')


def test_every_abbreviation_on_the_glossary_and_guides_is_expanded_by_its_title(
    client, seeded
):
    """ "RACI (RACI)" with <abbr title="RACI">, and "PI" titled "PI Planning"
    although PI stands for Planning Interval: an abbreviation is never its own
    term, and its title spells the abbreviation out."""
    urls = [reverse("roles:glossary")]
    urls += [r.get_absolute_url() for r in m.Role.objects.published()]
    seen = 0
    for url in urls:
        html = client.get(url).content.decode()
        for title, abbreviation in ABBR.findall(html):
            seen += 1
            assert title.lower() != abbreviation.lower(), (url, abbreviation)
            assert glossary.spells(abbreviation, title), (url, abbreviation, title)
    assert seen
    for term in m.GlossaryTerm.objects.all():
        assert term.abbreviation.lower() != term.term.lower(), term.slug
        assert (
            glossary.abbreviation_problem(term.term, term.abbreviation, term.alias_list)
            is None
        ), term.slug


@pytest.mark.parametrize(
    ("abbreviation", "phrase", "spelled"),
    [
        ("PI", "Planning Interval", True),
        ("PI", "PI Planning", False),
        ("RACI", "RACI", False),
        ("SAFe", "Scaled Agile Framework", True),
        ("DoD", "Definition of Done", True),
        ("OKR", "Objectives and key results", True),
        ("WIP", "work in progress", True),
        ("WIP", "Work-in-progress limit", False),
        ("PMBOK", "Project Management Body of Knowledge", True),
        ("DORA", "DevOps Research and Assessment", True),
        ("SRO", "Senior Responsible Owner", True),
        ("ART", "Agile Release Train", True),
        ("MVP", "Minimum viable product", True),
    ],
)
def test_an_abbreviation_is_spelled_by_the_initials_of_its_expansion(
    abbreviation, phrase, spelled
):
    assert glossary.spells(abbreviation, phrase) is spelled


def test_an_abbreviation_its_term_and_aliases_do_not_expand_is_refused():
    assert "the same as the term" in glossary.abbreviation_problem(
        "RACI", "RACI", ["RACI chart"]
    )
    assert "spells out" in glossary.abbreviation_problem("PI Planning", "PI", [])
    assert (
        glossary.abbreviation_problem("PI Planning", "PI", ["Planning Interval"])
        is None
    )
    assert glossary.abbreviation_problem("Anything", "", []) is None
    term = GlossaryTermFactory.build(term="RACI", abbreviation="RACI")
    with pytest.raises(ValidationError, match="the same as the term"):
        term.clean()


def test_a_guide_titles_an_abbreviation_with_what_it_stands_for():
    pi = TermRef("pi-planning", "PI Planning", "PI", ("Planning Interval",), "/g/#pi")
    html = link_first_uses("<p>The PI starts.</p>", [pi]).html
    assert '<abbr title="Planning Interval">PI</abbr>' in html


def test_the_seeded_glossary_tells_the_event_from_the_period(seeded):
    """PI Planning is an event; the Planning Interval (PI, formerly Program
    Increment) is the period it opens: two entries, each linked for itself."""
    from roles.catalogue.selectors import term_refs

    text = "<p>PI Planning opens each Planning Interval; a PI lasts weeks.</p>"
    result = link_first_uses(text, term_refs())
    assert result.linked == {"pi-planning", "planning-interval"}
    assert '<abbr title="Planning Interval">PI</abbr>' not in result.html
    assert 'href="/glossary/#planning-interval"><dfn>Planning Interval</dfn>' in (
        result.html
    )


def test_empty_glossary_says_so(client, db):
    html = client.get(reverse("roles:glossary")).content.decode()
    assert "No terms have been added yet" in html


def _content(n: int):
    roles = [RoleFactory() for _ in range(n)]
    terms: list = []
    for index, role in enumerate(roles):
        ResponsibilityFactory(role=role, text=f"Orders the backlog {index}.")
        SourceFactory(role=role)
        SourceFactory(role=role)
        others = [roles[(index + 1) % n], roles[(index + 2) % n]] if n > 2 else []
        make_guide(role, others=[o for o in others if o != role][:1], n=3)
        term = GlossaryTermFactory()
        term.related_roles.add(role)
        role.overview = (
            f"Uses the {term.term} and the {terms[0].term if terms else ''}."
        )
        role.save()
        terms.append(term)
    if n >= 2:
        comparison = make_comparison(roles[:2], title=f"Comparison {n}")
        comparison.body = f"Both use the {terms[-1].term}."
        comparison.save()
    return roles


@pytest.mark.parametrize(
    "url_for",
    [
        lambda roles: roles[0].get_absolute_url(),
        lambda roles: reverse("roles:glossary"),
        lambda roles: reverse("roles:compare", kwargs={"slugs": m.comparison_key([roles[0].slug, roles[1].slug])}),
        lambda roles: reverse("roles:search") + "?q=backlog",
        lambda roles: reverse("roles:search") + "?q=",
    ],
)  # fmt: skip
def test_query_count_is_constant_for_new_pages(client, db, url_for):
    small = _content(3)
    few = count_queries(client, url_for(small))
    _content(30)
    many = count_queries(client, url_for(small))
    assert few == many


def test_a_term_split_across_lines_is_still_one_term():
    planning = TermRef("sprint-planning", "Sprint Planning", "", (), "/g/#sp")
    sprint = TermRef("sprint", "Sprint", "", (), "/g/#s")
    result = link_first_uses(
        "<p>At Sprint\nPlanning, a Sprint.</p>", [sprint, planning]
    )
    assert "<dfn>Sprint\nPlanning</dfn>" in result.html
    assert result.linked == {"sprint-planning", "sprint"}


@pytest.mark.django_db
def test_compare_with_another_role_links_each_comparison_at_its_own_address(
    client, seeded
):
    """A guide's "Compare with another role" links: one per other published
    role, each at the comparison's canonical address - not the index's
    ?roles=a&roles=b form, which every one of them answered with a 302."""
    import re

    from roles.comparisons.models import comparison_key

    role = m.Role.objects.published().order_by("slug").first()
    html = client.get(role.get_absolute_url()).content.decode()
    part = html.split('class="compare-with"', 1)[1].split("</details>", 1)[0]
    links = re.findall(r'href="([^"]+)"', part)
    others = m.Role.objects.published().exclude(pk=role.pk)
    assert sorted(links) == sorted(
        f"/compare/{comparison_key([role.slug, o.slug])}/" for o in others
    )
    for link in links[:3]:
        assert client.get(link).status_code == 200
