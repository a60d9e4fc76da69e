import pytest
from django.urls import reverse

from roles import models as m

from .conftest import count_queries
from .factories import (
    DimensionValueFactory,
    ResponsibilityFactory,
    RoleFactory,
    SourceFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_home_links_the_catalogue_comparisons_and_quiz(client, seeded):
    html = page(client, "/")
    assert html.count("<h1") == 1
    assert 'href="/roles/product-owner/"' in html
    assert 'href="/compare/product-manager-vs-product-owner/"' in html
    assert 'href="/quiz/"' in html


def test_role_list_shows_only_published_roles(client):
    RoleFactory(name="Visible Role")
    RoleFactory(name="Hidden Draft", status=m.Status.DRAFT)
    html = page(client, "/roles/")
    assert "Visible Role" in html
    assert "Hidden Draft" not in html


def test_product_owner_guide_holds_the_founding_facts(client, seeded):
    html = page(client, "/roles/product-owner/")
    assert "Scrum" in html
    assert (
        "maximising the value of the product resulting from the work of the Scrum Team"
        in html
    )
    assert "Backlog" in html
    assert "Reviewed" in html and "2026" in html
    assert "scrumguides.org" in html


def test_product_manager_guide_holds_the_founding_facts(client, seeded):
    html = page(client, "/roles/product-manager/")
    assert "mini-CEO" in html
    for theme in (
        "Discovery",
        "Strategy and vision",
        "Alignment",
        "Prioritisation",
        "Delivery",
        "Stakeholders",
    ):
        assert f"<h3>{theme}</h3>" in html


def test_unknown_role_is_a_friendly_404(client):
    html = page(client, "/roles/no-such-role/", status=404)
    assert "could not find" in html


def test_draft_role_is_404_for_the_public(client):
    RoleFactory(slug="secret", status=m.Status.DRAFT)
    page(client, "/roles/secret/", status=404)


def test_staff_preview_a_draft_with_a_banner_and_noindex(staff_client):
    RoleFactory(slug="secret", name="Secret Role", status=m.Status.DRAFT)
    response = staff_client.get("/roles/secret/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "draft-banner" in html and "Draft" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]


def test_script_in_an_overview_never_reaches_the_page(client):
    RoleFactory(
        slug="xss",
        overview='Hello <script>alert("x")</script> [link](javascript:alert(1)) '
        "<img src=x onerror=alert(1)> **bold**",
    )
    html = page(client, "/roles/xss/")
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html
    assert "<strong>bold</strong>" in html


def test_every_page_has_a_title_description_and_one_h1(client, seeded):
    for url in [
        "/",
        "/roles/",
        "/roles/scrum-master/",
        "/compare/",
        "/compare/product-manager-vs-product-owner/",
        "/quiz/",
    ]:
        html = page(client, url)
        assert html.count("<h1") == 1, url
        assert '<meta name="description" content="' in html, url
        assert 'rel="canonical"' in html, url
        assert 'href="#main"' in html, url


def test_favicon_is_linked(client):
    html = page(client, "/")
    assert "favicon" in html


def _catalogue(n_roles: int, per_role: int = 6):
    themes = [ThemeFactory() for _ in range(4)]
    roles = []
    for _ in range(n_roles):
        role = RoleFactory()
        for i in range(per_role):
            ResponsibilityFactory(role=role, theme=themes[i % len(themes)])
        SourceFactory(role=role)
        SourceFactory(role=role)
        DimensionValueFactory(role=role)
        roles.append(role)
    return roles


def _count_queries(client, django_assert_num_queries, url) -> int:
    return count_queries(client, url)


@pytest.mark.parametrize(
    ("url_for", "limit"),
    [
        (lambda roles: reverse("roles:home"), 8),
        (lambda roles: reverse("roles:role_list"), 8),
        # A guide also shows skills, ways in, a week, anti-patterns, related
        # roles, paths out and in (one query each) and the glossary terms.
        (lambda roles: roles[0].get_absolute_url(), 16),
        (lambda roles: reverse("roles:compare_index"), 8),
        (lambda roles: reverse("roles:quiz"), 8),
    ],
)
def test_query_count_does_not_grow_with_content(
    client, django_assert_num_queries, url_for, limit
):
    small = _catalogue(2)
    few = _count_queries(client, django_assert_num_queries, url_for(small))
    _catalogue(48)
    many = _count_queries(client, django_assert_num_queries, url_for(small))
    assert few == many
    assert few <= limit


def test_server_error_page_is_friendly_and_standalone(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html


def _title(html: str) -> str:
    import html as html_lib
    import re

    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found, "no <title>"
    return " ".join(html_lib.unescape(found.group(1)).split())


def test_the_full_questionnaire_has_its_own_title(client, seeded):
    start, full = _title(page(client, "/quiz/")), _title(page(client, "/quiz/all/"))
    assert start != full
    assert "all" in full.casefold() and "Which role am I?" in full
    html = page(client, "/quiz/all/")
    assert '<h1 id="quiz-heading">All questions on one page</h1>' in html
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert '<a href="/quiz/">Which role am I?</a>' in crumbs
    assert '<span aria-current="page">All questions on one page</span>' in crumbs


def test_no_two_public_pages_share_a_title(seeded):
    """Over every public page type (test_css_classes's list, which the
    URLconf keeps complete): a title names one page, so two tabs, bookmarks
    or search results never look alike. Two quiz results may: each is one
    visitor's, never indexed (robots.txt), and the same outcome is worded
    the same."""
    from django.test import Client

    from .test_css_classes import INVALID, PAGE_ROUTES, _pages

    client = Client()
    pages = _pages(client)
    assert set(pages) == PAGE_ROUTES
    seen: dict[str, tuple[str, str]] = {}  # title -> (route, url)
    shared = []
    for name, urls in pages.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == (400 if url in INVALID else 200), url
            title = _title(response.content.decode())
            first = seen.setdefault(title, (name, url))
            if first[1] != url and not first[0] == name == "roles:quiz_result":
                shared.append(f"{first[1]} and {url}: {title!r}")
    assert len(seen) > 20
    assert not shared, "\n".join(shared)


@pytest.mark.parametrize("page_cache_seconds", [0, 600])
def test_every_role_listing_shows_a_role_published_renamed_or_withdrawn_since(
    client, settings, page_cache_seconds
):
    """The home page, the role list and each role's "Compare with another
    role" share one list of the published roles, kept per content version:
    a role published, renamed or withdrawn after they were drawn shows (or
    goes) on the next view, with the page cache on or off."""
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    RoleFactory(name="Alpha Role", slug="alpha-role", summary="First.")
    links = {  # each page's link to the other role
        "/": 'href="/roles/beta-role/">{}</a>',
        "/roles/": 'href="/roles/beta-role/">{}</a>',
        "/roles/alpha-role/": 'href="/compare/alpha-role-vs-beta-role/">{}</a>',
    }
    for url in links:
        assert "beta-role" not in page(client, url), url

    beta = RoleFactory(name="Beta Role", slug="beta-role", summary="Second.")
    for url, link in links.items():
        assert link.format("Beta Role") in page(client, url), url

    beta.name = "Renamed Role"
    beta.save()
    for url, link in links.items():
        html = page(client, url)
        assert link.format("Renamed Role") in html, url
        assert "Beta Role" not in html, url

    beta.status = m.Status.DRAFT
    beta.save()
    for url in links:
        assert "beta-role" not in page(client, url), url
