import re
from itertools import permutations

import pytest

from roles import models as m

from .conftest import count_queries
from .factories import (
    ContextFactorFactory,
    DimensionValueFactory,
    ResponsibilityFactory,
    RoleFactory,
    ThemeFactory,
    make_comparison,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_roles():
    return [
        RoleFactory(slug=slug, name=slug.title())
        for slug in ("alpha", "bravo", "charlie", "delta", "echo")
    ]


@pytest.mark.parametrize("count", [2, 3, 4, 5])
def test_every_order_redirects_permanently_to_the_alphabetical_url(
    client, five_roles, count
):
    slugs = [r.slug for r in five_roles[:count]]
    canonical = "/compare/" + "-vs-".join(sorted(slugs)) + "/"
    for order in permutations(slugs):
        url = "/compare/" + "-vs-".join(order) + "/"
        response = client.get(url)
        if url == canonical:
            assert response.status_code == 200
        else:
            assert response.status_code == 301, url
            assert response["Location"] == canonical


def test_redirect_keeps_the_query_string(client, five_roles):
    response = client.get("/compare/bravo-vs-alpha/?diff=1")
    assert response["Location"] == "/compare/alpha-vs-bravo/?diff=1"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("alpha", "two to five roles side by side; this address names only one"),
        ("alpha-vs-alpha", "cannot be compared with itself"),
        (
            "alpha-vs-bravo-vs-charlie-vs-delta-vs-echo-vs-foxtrot",
            "two to five roles side by side; this address names 6",
        ),
        ("alpha-vs-", "form we recognise"),
        ("-vs-alpha", "form we recognise"),
        ("alpha-vs-BRAVO", "form we recognise"),
        ("alpha-vs-br%C3%A4vo", "form we recognise"),
        ("alpha-vs-bravo%3Cscript%3E", "form we recognise"),
        ("alpha-vs-bravo-vs-", "form we recognise"),
    ],
)
def test_bad_comparison_addresses_are_400_with_a_message(
    client, five_roles, path, message
):
    response = client.get(f"/compare/{path}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "at most" not in html
    assert 'href="/compare/"' in html


def test_unknown_role_is_404(client, five_roles):
    assert client.get("/compare/alpha-vs-zulu/").status_code == 404


def test_draft_role_is_404_in_a_comparison(client, five_roles):
    RoleFactory(slug="draft-role", status=m.Status.DRAFT)
    assert client.get("/compare/alpha-vs-draft-role/").status_code == 404


def test_computed_comparison_works_without_curated_content_and_says_so(
    client, five_roles
):
    theme = ThemeFactory(name="Discovery")
    ResponsibilityFactory(role=five_roles[0], theme=theme, text="Alpha researches.")
    ResponsibilityFactory(role=five_roles[1], theme=theme, text="Bravo listens.")
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "No editor has written notes" in html
    assert "Alpha researches." in html and "Bravo listens." in html
    assert '<th scope="col">Alpha</th>' in html


def test_missing_dimension_value_shows_a_dash(client, five_roles):
    value = DimensionValueFactory(role=five_roles[0], value="Alpha focus")
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "Alpha focus" in html
    assert f'<th scope="row">{value.dimension.name}' in html
    assert "—" in html


def test_differences_only_link_hides_equal_rows_without_javascript(client, five_roles):
    same = DimensionValueFactory(role=five_roles[0], value="Same").dimension
    DimensionValueFactory(role=five_roles[1], dimension=same, value="Same")
    other = DimensionValueFactory(role=five_roles[0], value="A only").dimension
    DimensionValueFactory(role=five_roles[1], dimension=other, value="B only")
    full = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert same.name in full and 'href="?diff=1#side-by-side"' in full
    diff = client.get("/compare/alpha-vs-bravo/?diff=1").content.decode()
    assert f">{same.name}<" not in diff
    assert f">{other.name}<" in diff
    assert "Show all rows" in diff


def test_curated_comparison_shows_title_tldr_suits_and_context_links(
    client, five_roles
):
    size = ContextFactorFactory(name="Organisation size", slug="organisation-size")
    make_comparison(
        [five_roles[1], five_roles[0]],
        title="Bravo vs Alpha",
        notes=[
            (size, "Start-up", "In a start-up one person does both."),
            (size, "Enterprise", "In an enterprise they split."),
        ],
    )
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "<h1>Bravo vs Alpha</h1>" in html
    assert "The difference at a glance" in html
    assert "Suits Bravo." in html
    # Editor's order: Bravo before Alpha in the table.
    assert html.index('<th scope="col">Bravo</th>') < html.index(
        '<th scope="col">Alpha</th>'
    )
    assert 'href="?context=organisation-size:1#ctx-organisation-size"' in html
    # The first situation is shown, the other hidden until chosen.
    assert "hidden>" in html
    chosen = client.get(
        "/compare/alpha-vs-bravo/?context=organisation-size:1"
    ).content.decode()
    start = chosen.index("In an enterprise they split.")
    note_div = chosen.rfind("<div", 0, start)
    assert "hidden" not in chosen[note_div:start]


def _context_groups(html: str) -> list[str]:
    section = html.split('id="context-heading"')[1].split("</section>")[0]
    return section.split('<div class="context-group"')[1:]


def test_a_context_factor_with_one_situation_is_a_heading_and_a_note_not_a_chooser(
    client, five_roles
):
    size = ContextFactorFactory(name="Organisation size", slug="organisation-size")
    culture = ContextFactorFactory(name="Company culture", slug="company-culture")
    make_comparison(
        five_roles[:2],
        notes=[
            (size, "Start-up", "In a start-up one person does both."),
            (culture, "Command and control", "Decisions go up the hierarchy."),
            (culture, "Empowered teams", "Teams decide."),
        ],
    )
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    groups = {g.split('"')[1]: g for g in _context_groups(html)}
    single, choice = groups["ctx-organisation-size"], groups["ctx-company-culture"]
    assert "<h3>Organisation size</h3>" in single
    assert "context-choices" not in single and "data-context-group" not in single
    assert single.count("Start-up") == 1 and "hidden" not in single
    assert "In a start-up one person does both." in single
    assert "context-choices" in choice and "data-context-group" in choice
    assert "pick the one closest to yours" in html

    m.ContextNote.objects.filter(label="Empowered teams").delete()
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "context-choices" not in html
    assert "Pick the situation" not in html and "pick the" not in html.lower()


def test_every_curated_comparison_offers_a_choice_only_where_there_is_one(
    client, seeded
):
    """Most seeded context factors have one situation: they once showed a
    single chip under "Pick the situation closest to yours", its label
    repeated as the heading of the note below."""
    singles = 0
    for comparison in m.Comparison.objects.published():
        notes = list(comparison.context_notes.all())
        if not notes:
            continue
        html = client.get(comparison.get_absolute_url()).content.decode()
        groups = _context_groups(html)
        has_choice = False
        for group in groups:
            labels = re.findall(r"data-context-target=", group)
            if "context-choices" in group:
                assert len(labels) >= 2, comparison.key
                has_choice = True
            else:
                singles += 1
                (label,) = re.findall(
                    r'<p class="context-label"><strong>([^<]*)<', group
                )
                assert group.count(f">{label}<") == 1, (comparison.key, label)
                assert "hidden" not in group
        counts = {}
        for note in notes:
            counts[note.factor_id] = counts.get(note.factor_id, 0) + 1
        assert len(groups) == len(counts)
        assert sum(1 for g in groups if "context-choices" in g) == sum(
            1 for n in counts.values() if n > 1
        ), comparison.key
        assert ("pick the one closest to yours" in html) == has_choice
    assert singles


@pytest.fixture
def contexts(five_roles):
    size = ContextFactorFactory(name="Organisation size", slug="organisation-size")
    culture = ContextFactorFactory(name="Company culture", slug="company-culture")
    make_comparison(
        five_roles[:2],
        notes=[
            (size, "Start-up", "In a start-up one person does both."),
            (size, "Enterprise", "In an enterprise they split."),
            (culture, "Command and control", "Decisions go up the hierarchy."),
        ],
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("context=bogus", "This comparison has no situation “bogus”."),
        (
            "context=organisation-size:x",
            "This comparison has no situation “organisation-size:x”: it has 2 "
            "for Organisation size.",
        ),
        (
            "context=organisation-size:9",
            "This comparison has no situation “organisation-size:9”: it has 2 "
            "for Organisation size.",
        ),
        (
            "context=organisation-size:-1",
            "This comparison has no situation “organisation-size:-1”",
        ),
        (
            "context=company-culture:1",
            "it has 1 for Company culture.",
        ),
        ("context=nope:0", "This comparison has no situation “nope:0”."),
        ("context=:", "This comparison has no situation “:”."),
        ("context=" + "x" * 500, "“" + "x" * 40 + "…”"),
        ("context=", "The address asks for a situation but names none."),
        (
            "context=organisation-size:0&context=organisation-size:1",
            "The address asks for more than one situation for Organisation size",
        ),
    ],
)
def test_a_context_choice_the_comparison_does_not_have_is_400_with_a_message(
    client, contexts, query, message
):
    """Found by a tester: each of these showed the page (200) with the first
    or last situation, as if the address were right."""
    response = client.get(f"/compare/alpha-vs-bravo/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "x" * 41 not in html
    assert 'href="/compare/alpha-vs-bravo/"' in html


def test_a_context_choice_on_a_comparison_without_situations_is_400(client, five_roles):
    response = client.get("/compare/alpha-vs-charlie/?context=organisation-size:0")
    assert response.status_code == 400
    assert "This comparison has no situation" in response.content.decode()


@pytest.mark.parametrize(
    "query, shown",
    [
        ("context=organisation-size:1", ["In an enterprise they split."]),
        ("context=company-culture:0", ["In a start-up one person does both."]),
        (
            "context=organisation-size:1&context=company-culture:0",
            ["In an enterprise they split.", "Decisions go up the hierarchy."],
        ),
    ],
)
def test_a_context_choice_the_comparison_has_shows_it(client, contexts, query, shown):
    response = client.get(f"/compare/alpha-vs-bravo/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in shown:
        note_div = html.rfind("<div", 0, html.index(text))
        assert "hidden" not in html[note_div : html.index(text)]


def test_every_context_link_of_every_curated_comparison_works_without_javascript(
    client, seeded
):
    """What a browser without scripts sends: each situation link's own query."""
    import html as html_lib

    followed = 0
    for comparison in m.Comparison.objects.published():
        url = comparison.get_absolute_url()
        page = client.get(url).content.decode()
        for href in re.findall(r'href="(\?context=[^"#]*)', page):
            response = client.get(url + html_lib.unescape(href))
            assert response.status_code == 200, (url, href)
            followed += 1
    assert followed


def test_draft_curated_comparison_is_not_shown_to_the_public(client, five_roles):
    make_comparison(five_roles[:2], title="Secret title", status=m.Status.DRAFT)
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "Secret title" not in html
    assert "No editor has written notes" in html


def test_role_page_lists_its_comparisons_and_comparison_links_related(
    client, five_roles
):
    make_comparison(five_roles[:2], title="Alpha and Bravo")
    make_comparison([five_roles[0], five_roles[2]], title="Alpha and Charlie")
    role_html = client.get("/roles/alpha/").content.decode()
    assert "Alpha and Bravo" in role_html and "Alpha and Charlie" in role_html
    cmp_html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert 'href="/compare/alpha-vs-charlie/"' in cmp_html
    assert 'href="/roles/alpha/"' in cmp_html and 'href="/roles/bravo/"' in cmp_html


def test_picker_lands_on_the_canonical_url(client, five_roles):
    response = client.get("/compare/", {"roles": ["charlie", "alpha"]})
    assert response.status_code == 302
    assert response["Location"] == "/compare/alpha-vs-charlie/"


@pytest.mark.parametrize(
    "roles", [[], ["alpha"], ["alpha", "nope"], ["a", "b", "c", "d", "e", "f"]]
)
def test_picker_rejects_bad_choices_with_a_message(client, five_roles, roles):
    response = client.get("/compare/", {"roles": roles, "compare": "Compare"})
    assert response.status_code == 400
    assert (
        "invalid-feedback" in response.content.decode()
        or "Choose" in response.content.decode()
    )


def test_picker_rejects_six_roles_with_a_clear_message(client, five_roles):
    RoleFactory(slug="foxtrot")
    slugs = [r.slug for r in five_roles] + ["foxtrot"]
    error = _picker_error(client.get("/compare/", {"roles": slugs}))
    assert "Choose two to five roles" in error
    assert "at most" not in error


def _picker_error(response) -> str:
    import html as html_lib

    assert response.status_code == 400
    page = response.content.decode()
    found = re.search(r'<p class="field-error" id="roles-error">(.*?)</p>', page, re.S)
    assert found, "no error beside the choices"
    return html_lib.unescape(found.group(1))


def test_picker_names_a_long_bad_choice_only_shortened(client, five_roles):
    """Found by a tester: Django's "Select a valid choice. X is not one of the
    available choices." repeated the value in full (3,000 characters made the
    page 34,479 px wide at 320 px)."""
    long_value = "ProductOwnerScrumMasterBusinessAnalyst" * 80
    error = _picker_error(client.get("/compare/", {"roles": [long_value, "alpha"]}))
    assert "Select a valid choice" not in error
    assert long_value[:40] + "…" in error
    assert long_value[:41] not in error
    assert "two to five roles" in error
    assert len(error) < 200


def test_picker_names_a_short_bad_choice_in_full(client, five_roles):
    error = _picker_error(client.get("/compare/", {"roles": ["zulu", "alpha"]}))
    assert "“zulu” is not a role on this site" in error
    assert "…" not in error


@pytest.mark.parametrize("value", ["", "   "])
def test_picker_says_an_empty_choice_plainly(client, five_roles, value):
    error = _picker_error(client.get("/compare/", {"roles": [value, "alpha"]}))
    assert "One of the roles sent was empty" in error
    assert "“”" not in error and "  is not" not in error


def test_picker_does_not_echo_a_bad_byte(client, five_roles):
    error = _picker_error(client.get("/compare/?roles=%FF&roles=alpha"))
    assert "\ufffd" not in error
    assert "is not a role on this site" in error or "empty" in error


def test_founding_comparison_page_holds_the_articles_facts(client, seeded):
    html = client.get("/compare/product-manager-vs-product-owner/").content.decode()
    assert "<h1>Product Owner vs Product Manager</h1>" in html
    assert "The difference at a glance" in html
    for factor in (
        "Product maturity",
        "Organisation size",
        "Departmental hierarchy",
        "Use of Scrum and agile",
        "Company culture",
    ):
        assert f"<h3>{factor}</h3>" in html
    assert "Who each role suits" in html
    assert (
        "—" not in html.split("Side by side")[1].split("Responsibilities they share")[0]
    )


def test_reversed_founding_pair_redirects(client, seeded):
    response = client.get("/compare/product-owner-vs-product-manager/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/product-manager-vs-product-owner/"


def test_any_three_seeded_roles_compare(client, seeded):
    response = client.get("/compare/business-analyst-vs-product-owner-vs-scrum-master/")
    assert response.status_code == 200


def _queries(client, url) -> int:
    return count_queries(client, url)


def test_query_count_same_for_two_and_five_roles_and_more_responsibilities(
    client, five_roles
):
    size = ContextFactorFactory()
    theme = ThemeFactory()
    for role in five_roles:
        for _ in range(5):
            ResponsibilityFactory(role=role, theme=theme)
    make_comparison(five_roles[:2], notes=[(size, "One", "n1")])
    make_comparison(five_roles, notes=[(size, "One", "n1")])
    two = _queries(client, "/compare/alpha-vs-bravo/")
    five = _queries(client, "/compare/alpha-vs-bravo-vs-charlie-vs-delta-vs-echo/")
    for role in five_roles:
        for _ in range(45):
            ResponsibilityFactory(role=role, theme=ThemeFactory())
        DimensionValueFactory(role=role)
    two_big = _queries(client, "/compare/alpha-vs-bravo/")
    five_big = _queries(client, "/compare/alpha-vs-bravo-vs-charlie-vs-delta-vs-echo/")
    assert two == five == two_big == five_big
    # Issue 15 adds the roles' sources and the glossary terms (one query each),
    # and the glossary's links stop at every role's name (one more).
    assert two <= 11


def test_the_picker_sent_with_nothing_ticked_says_what_to_do(client, five_roles):
    """What a browser sends for the picker with no role ticked: only its
    named controls with a value (the submit button's name, if it has one)."""
    import html as html_lib
    import re

    page = client.get("/compare/").content.decode()
    form = re.search(r'<form[^>]*id="compare-picker".*?</form>', page, re.S).group(0)
    sent = {
        html_lib.unescape(name): html_lib.unescape(value)
        for name, value in re.findall(
            r'<button[^>]*type="submit"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form
        )
    }
    response = client.get("/compare/", sent)
    assert response.status_code == 400
    assert "Choose at least two roles to compare." in response.content.decode()


DASH_LEGEND = "A dash: not part of that role."


def test_the_dash_legend_shows_only_when_the_shared_table_has_a_dash(client):
    """Found by a tester: two-role pages explained a dash that no cell shows
    (a theme shared by two roles is held by both)."""
    discovery, backlog = ThemeFactory(), ThemeFactory()
    alpha, bravo, charlie, delta = (
        RoleFactory(slug=slug) for slug in ("alpha", "bravo", "charlie", "delta")
    )
    for role in (alpha, bravo, charlie, delta):
        ResponsibilityFactory(role=role, theme=discovery)
    for role in (alpha, bravo, delta):
        ResponsibilityFactory(role=role, theme=backlog)

    def shown(path):
        html = page_html(client, f"/compare/{path}/")
        assert (DASH_LEGEND in html) == ('class="is-empty"' in html), path
        return DASH_LEGEND in html

    assert not shown("alpha-vs-bravo")
    assert shown("alpha-vs-bravo-vs-charlie")  # charlie has no backlog work
    assert not shown("alpha-vs-bravo-vs-delta")  # all three hold both themes


def page_html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()
