"""Long pages open with "On this page" (GOV.UK's contents pattern): a list of
links to each of the page's sections, in order, and to nothing that is not
there. Checked on every seeded role guide and on curated, two-role and
five-role comparisons, so a section added to a template without its entry (or
an entry whose section is not rendered) fails."""

import re

import pytest
from django.test import Client

from roles.catalogue.models import Role

pytestmark = pytest.mark.django_db

FIVE = (
    "business-analyst-vs-product-manager-vs-product-owner-vs-project-manager"
    "-vs-scrum-master"
)


def _contents_and_sections(html: str) -> tuple[list[str], list[str]]:
    nav = re.search(
        r'<nav class="contents" aria-labelledby="contents-heading">(.*?)</nav>',
        html,
        re.S,
    )
    assert nav, "no contents list"
    assert ">On this page</h2>" in nav.group(1)
    links = re.findall(r'<a href="#([^"]+)">', nav.group(1))
    body = html[nav.end() :]
    sections = re.findall(r'<h2 id="([^"]+)"', body)
    return links, sections


def _check(html: str) -> None:
    links, sections = _contents_and_sections(html)
    assert len(links) >= 4
    assert links == sections  # every section, in order, and nothing else


def test_every_role_guide_has_a_contents_list(seeded):
    slugs = list(Role.objects.published().values_list("slug", flat=True))
    assert len(slugs) > 5
    client = Client()
    for slug in slugs:
        response = client.get(f"/roles/{slug}/")
        assert response.status_code == 200
        _check(response.content.decode())


@pytest.mark.parametrize(
    "key",
    [
        "product-manager-vs-product-owner",  # curated
        "business-analyst-vs-scrum-master",
        FIVE,
    ],
)
def test_comparisons_have_a_contents_list(seeded, key):
    response = Client().get(f"/compare/{key}/")
    assert response.status_code == 200
    _check(response.content.decode())


def _visible_text(html: str) -> str:
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))


def test_no_sentence_ends_twice_on_any_public_reading_page(seeded):
    """A source whose publisher ends with a full stop ("Scaled Agile, Inc.")
    followed by its note read "Inc.. How …"."""
    client = Client()
    slugs = list(Role.objects.published().values_list("slug", flat=True))
    pages = ["/", "/roles/", "/glossary/", "/quiz/how-scoring-works/"]
    pages += [f"/roles/{s}/" for s in slugs] + [
        "/compare/product-manager-vs-product-owner/",
        "/compare/agile-coach-vs-release-train-engineer-vs-scrum-master/",
        f"/compare/{FIVE}/",
    ]
    for url in pages:
        text = _visible_text(client.get(url).content.decode())
        assert not re.search(r"(?<!\.)\.\.(?!\.)|[!?]\.", text), (
            url,
            re.findall(r".{30}(?<!\.)\.\.(?!\.).{20}", text),
        )


def test_every_page_says_the_content_licence_and_where_the_open_data_is(seeded):
    """The API states the content licence (CC BY 4.0) and serves the same
    content as data; no page said either. Every page's footer does now: the
    licence as a rel="license" link, and the API's documentation."""
    from roles.core.http import LICENCE_URL

    client = Client()
    slug = Role.objects.published().values_list("slug", flat=True).first()
    for path in [
        "/",
        "/roles/",
        f"/roles/{slug}/",
        "/compare/product-manager-vs-product-owner/",
        "/glossary/",
        "/quiz/",
        "/search/?q=backlog",
        "/no-such-page/",
    ]:
        html = client.get(path).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1].split("</footer>")[0]
        assert f'<a rel="license" href="{LICENCE_URL}">' in footer, path
        assert "CC BY 4.0" in footer, path
        assert 'href="/api/v1/docs/"' in footer, path


def _outline(html: str) -> tuple[list[tuple[int, str, int]], str]:
    """The headings of <main> after "On this page", as (level, text, offset
    in the text returned with them)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    start = main.index("</nav>")
    return [
        (int(m.group(1)), re.sub(r"<[^>]+>", "", m.group(2)).strip(), m.start())
        for m in re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", main[start:], re.S)
    ], main[start:]


def test_every_curated_comparisons_own_text_has_its_own_heading_and_entry(seeded):
    """Found by a tester: the editors' text (<div class="prose curated-body">)
    came straight after the last h4 of "Responsibilities only one of them
    has", so in the outline it sat under a theme such as "People and team
    growth", and "On this page" had no entry for it."""
    from roles.comparisons.models import Comparison

    client = Client()
    checked = 0
    for comparison in Comparison.objects.published():
        html = client.get(comparison.get_absolute_url()).content.decode()
        headings, main = _outline(html)
        if not comparison.body.strip():
            assert "curated-body" not in html and "In more detail" not in html
            continue
        body_at = main.index('<div class="prose curated-body">')
        (level, text, _) = [h for h in headings if h[2] < body_at][-1]
        assert (level, text) == (2, "In more detail"), comparison.key
        # The body's own headings are subsections of it, not its siblings
        # (the Product Manager / Product Owner text has three).
        body_end = main.index("</section>", body_at)
        inside = [h for h in headings if body_at < h[2] < body_end]
        assert all(level > 2 for level, _, _ in inside), (comparison.key, inside)
        links, sections = _contents_and_sections(html)
        assert "detail-heading" in links and links == sections, comparison.key
        checked += 1
    assert checked >= 15


def test_a_curated_comparison_without_its_own_text_has_no_empty_section(seeded):
    from roles.comparisons.models import Comparison

    comparison = Comparison.objects.published().first()
    Comparison.objects.filter(pk=comparison.pk).update(body="  \n")
    from roles.publishing.signals import bump_content_version

    bump_content_version()
    html = Client().get(comparison.get_absolute_url()).content.decode()
    assert "In more detail" not in html and "detail-heading" not in html
    _check(html)
