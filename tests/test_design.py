"""The design system's server side: the built stylesheet, plain-text meta
descriptions, one breadcrumb list, the picker's error beside its control, the
home page's ranking and the differences switch."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.cache import cache

from roles.core.markdown import plain_text
from roles.publishing.cache import count_read

from .factories import DimensionValueFactory, RoleFactory, make_comparison

pytestmark = pytest.mark.django_db


def test_the_stylesheet_is_built_from_the_tokens():
    """make css builds it (npm); without it every page would be unstyled, so
    a missing build fails the suite rather than passing on bare HTML."""
    path = finders.find("css/main.css")
    assert path, "css/main.css is missing: run `make css`"
    css = Path(path).read_text(encoding="utf-8")
    for token in ("--rg-accent:", "--rg-fam-product:", "--rg-ink:", ".form-control"):
        assert token in css, token
    assert "prefers-color-scheme:dark" in css.replace(" ", "")
    # Kept although only Django's widgets write type="checkbox": the tick.
    assert ".form-check-input:checked[type=checkbox]" in css
    assert ".carousel" not in css and ".navbar" not in css  # unused Bootstrap: gone


def test_a_missing_stylesheet_is_a_system_check_warning(monkeypatch):
    from roles.core import checks as role_checks

    assert role_checks.stylesheet_is_built(None) == []
    monkeypatch.setattr(role_checks.finders, "find", lambda path: None)
    [warning] = role_checks.stylesheet_is_built(None)
    assert warning.id == "roles.W001" and warning.level == checks.WARNING


def test_plain_text_strips_markdown_and_cuts_at_a_word():
    assert plain_text("The **Product Manager** works &amp; [decides](http://x)") == (
        "The Product Manager works & decides"
    )
    cut = plain_text("word " * 100, limit=40)
    assert len(cut) <= 40 and cut.endswith("word…")


def _meta(html: str, attr: str, name: str) -> str:
    return re.search(rf'<meta {attr}="{name}" content="([^"]*)"', html).group(1)


def test_meta_and_og_descriptions_are_plain_text(client):
    """A comparison's Markdown summary (its tldr) is said in its words alone; a
    role's summary is plain text already (tests/test_plain_summary.py), said
    as typed."""
    role = RoleFactory(summary="The Product Manager decides what next.")
    other = RoleFactory()
    comparison = make_comparison([role, other])
    for url in (role.get_absolute_url(), comparison.get_absolute_url()):
        html = client.get(url).content.decode()
        for attr, name in (("name", "description"), ("property", "og:description")):
            text = _meta(html, attr, name)
            assert "*" not in text and "_" not in text and "<" not in text, text
    html = client.get(role.get_absolute_url()).content.decode()
    assert (
        _meta(html, "name", "description") == "The Product Manager decides what next."
    )


def test_breadcrumbs_and_their_json_ld_come_from_one_list(client):
    role = RoleFactory(name="Product Owner")
    html = client.get(role.get_absolute_url()).content.decode()
    trail = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.S).group(0)
    visible = [
        re.sub(r"<[^>]+>", "", li).strip()
        for li in re.findall(r"<li>(.*?)</li>", trail, re.S)
    ]
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        ).group(1)
    )
    [crumbs] = [item for item in data["@graph"] if item["@type"] == "BreadcrumbList"]
    assert visible == [item["name"] for item in crumbs["itemListElement"]]
    assert visible == ["Home", "Roles", "Product Owner"]
    assert 'aria-current="page">Product Owner<' in trail


def test_picker_error_sits_with_the_choices_it_is_about(client):
    RoleFactory(slug="alpha", name="Alpha")
    RoleFactory(slug="bravo", name="Bravo")
    html = client.get("/compare/", {"roles": ["alpha"]}).content.decode()
    fieldset = re.search(r"<fieldset.*?</fieldset>", html, re.S).group(0)
    assert 'aria-describedby="roles-error"' in fieldset
    error = fieldset.index('id="roles-error"')
    assert fieldset.index("<legend>") < error < fieldset.index('type="checkbox"')
    assert "Choose at least two roles" in fieldset


def test_error_text_wraps_however_long_its_words():
    """Found by a tester: a long unbroken word in a picker error (a value
    echoed back) made the page wider than 320 px. .field-error is a flex row,
    so break-word alone does not shrink it; "anywhere" does."""
    scss = Path("assets/scss/_components.scss").read_text()
    rule = re.search(r"\.field-error\s*\{[^}]*overflow-wrap:\s*anywhere", scss)
    assert rule, ".field-error needs overflow-wrap: anywhere"
    summary = re.search(r"\.error-summary\s*\{[^}]*overflow-wrap:\s*anywhere", scss)
    assert summary, ".error-summary needs overflow-wrap: anywhere"


def test_the_stacked_comparison_layout_resets_every_row_header_width():
    """Found by a tester: on phones a comparison table stacks into cards, its
    row headers at full width; but `.theme-table.roles-4 tbody th { width:
    7.5rem }` outranked the stacked `.compare-table tbody th { width: 100% }`,
    so with four or five roles each shared responsibility's theme header was
    120 px wide at 320 px. Every row-header width set for wide screens is set
    back, by the same selector, in the stacked layout."""
    scss = Path("assets/scss/_components.scss").read_text()
    scss = re.sub(r"//[^\n]*", "", scss)
    stacked_at = scss.index("@media (max-width: 40rem)")
    opens = scss.index("{", stacked_at)
    depth, end = 0, opens
    for end in range(opens, len(scss)):
        depth += {"{": 1, "}": -1}.get(scss[end], 0)
        if depth == 0:
            break
    stacked = scss[opens + 1 : end]
    wide = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^}]*\})*\s*\}", "", scss)

    def widths(css: str) -> dict[str, str]:
        found = {}
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
            width = re.search(r"(?<![-\w])width:\s*([^;]+)", body)
            if width:
                for selector in selectors.split(","):
                    found[" ".join(selector.split())] = width.group(1).strip()
        return found

    row_headers = [s for s in widths(wide) if s.endswith("tbody th")]
    assert ".theme-table.roles-4 tbody th" in row_headers, "reads the wrong rules"
    stacked_widths = widths(stacked)
    for selector in row_headers:
        assert stacked_widths.get(selector) == "100%", selector


def test_home_says_most_read_only_once_comparisons_have_readers(client):
    cache.clear()
    a, b, c = RoleFactory(), RoleFactory(), RoleFactory()
    first = make_comparison([a, b], title="Alpha pair")
    second = make_comparison([b, c], title="Zulu pair")
    html = client.get("/").content.decode()
    assert "Most-read comparisons" not in html
    assert html.index("Alpha pair") < html.index("Zulu pair")
    count_read(second.key)
    from roles.publishing.signals import bump_content_version

    bump_content_version()
    html = client.get("/").content.decode()
    assert "Most-read comparisons" in html
    assert html.index("Zulu pair") < html.index("Alpha pair")
    assert first.key


def test_home_groups_roles_by_family_with_its_colour_class(client):
    RoleFactory(name="Designer One", family="design")
    html = client.get("/").content.decode()
    assert 'class="family-card fam-design"' in html


def test_differences_switch_appears_only_where_it_hides_a_row(client):
    alpha, bravo = RoleFactory(slug="alpha"), RoleFactory(slug="bravo")
    other = DimensionValueFactory(role=alpha, value="A only").dimension
    DimensionValueFactory(role=bravo, dimension=other, value="B only")
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "Show differences only" not in html
    same = DimensionValueFactory(role=alpha, value="Same").dimension
    DimensionValueFactory(role=bravo, dimension=same, value="Same")
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "Show differences only" in html


def test_no_style_rule_changes_between_320_and_375_px():
    """The browser sweeps (axe, control contrast) test phones at 320 px only:
    that stands for 375 px too as long as no media query of the stylesheet
    (or of a template's own) switches between the two widths. A breakpoint
    added there fails this: add view(375) back to those sweeps."""
    sources = [Path(finders.find("css/main.css")).read_text()]
    templates = Path(__file__).resolve().parents[1] / "templates"
    sources += [p.read_text() for p in templates.rglob("*.html")]
    widths = []
    for source in sources:
        for value, unit in re.findall(
            r"(?:min|max)-width:\s*([\d.]+)(px|rem|em)", source
        ):
            widths.append(float(value) * (16 if unit in ("rem", "em") else 1))
    assert widths, "no media query found: the check reads the wrong file"
    between = sorted(w for w in widths if 320 < w <= 375)
    assert between == [], between


def test_colours_come_from_the_tokens_so_dark_mode_reaches_them():
    """A colour written into a rule stays the same in dark mode: the quiz's
    error text (#8a1f2a) read at 2:1 on the dark background. Colours are
    set in _tokens.scss, for both schemes; elsewhere only var(--rg-*)
    (an inline SVG's own colours, in a data: address, are its drawing)."""
    import re
    from pathlib import Path

    literal = re.compile(
        r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|hsl)a?\(|(?<![-\w])(?:white|black)(?![-\w])"
    )
    found = []
    for path in sorted(Path("assets/scss").glob("*.scss")):
        if path.name == "_tokens.scss":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = re.sub(r'url\("data:[^"]*"\)|/\*.*?\*/', "", line.split("//")[0])
            if literal.search(code):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


HTML_PAGES = [
    "/roles/",
    "/roles/product-owner/",
    "/compare/",
    "/compare/product-manager-vs-product-owner/",
    "/quiz/",
    "/quiz/all/",
    "/quiz/how-scoring-works/",
    "/glossary/",
    "/search/",
    "/api/v1/docs/",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_page_is_shared_under_its_own_title(seeded, client, path):
    """A link shared from the role list, the scoring page or the API docs
    showed only "Role Guides" and the site's description."""
    import html as html_lib
    import re

    page = html_lib.unescape(client.get(path).content.decode())
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    for name in ('property="og:title"', 'name="twitter:title"'):
        shared = re.search(name + r' content="([^"]*)"', page).group(1)
        assert shared != "Role Guides", (path, name)
        first = title.split(" · ")[0].split(":")[0]
        assert first.casefold() in shared.casefold() or shared.split(":")[0] in title
