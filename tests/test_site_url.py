"""``{% site_url %}`` (roles_tags, through roles.core.urls) draws the header's links on every page from
a per-process cache of reversed URLs: it must give what ``{% url %}`` gives,
under any script prefix or URLconf the request runs with."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.urls.base import get_script_prefix

ROOT = Path(__file__).resolve().parent.parent
USES = sorted(
    set(
        re.findall(
            r'{% site_url "([^"]+)" %}',
            "".join(p.read_text() for p in (ROOT / "templates").rglob("*.html")),
        )
    )
)


def _drawn(name: str) -> str:
    return Template('{% load roles_tags %}{% site_url "' + name + '" %}').render(
        Context()
    )


def test_the_base_template_draws_its_header_links_with_it():
    assert {"roles:home", "roles:quiz", "roles:search"} <= set(USES)


@pytest.mark.parametrize("name", USES)
def test_it_gives_what_url_gives(name):
    assert _drawn(name) == reverse(name)


@pytest.mark.parametrize("name", USES)
def test_it_follows_the_script_prefix_of_the_request(name):
    unprefixed = reverse(name)
    before = get_script_prefix()
    try:
        set_script_prefix("/mounted/")
        assert _drawn(name) == reverse(name) == "/mounted" + unprefixed
    finally:
        set_script_prefix(before)


def test_it_follows_a_changed_urlconf(settings, tmp_path, monkeypatch):
    _drawn("roles:home")  # cached for the default URLconf first
    (tmp_path / "mounted_urls.py").write_text(
        "from django.urls import include, path\n"
        "urlpatterns = [path('elsewhere/', include('config.urls'))]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.ROOT_URLCONF = "mounted_urls"
    assert _drawn("roles:home") == reverse("roles:home") == "/elsewhere/"


def test_urls_with_arguments_are_kept_per_argument_and_prefix():
    """The questionnaire's step links share the cache (roles.core.urls)."""
    from roles.core.urls import cached_reverse

    one, two = (cached_reverse("roles:quiz_step", k) for k in ("first", "second"))
    assert (one, two) == ("/quiz/q/first/", "/quiz/q/second/")
    before = get_script_prefix()
    try:
        set_script_prefix("/mounted/")
        assert cached_reverse("roles:quiz_step", "first") == "/mounted/quiz/q/first/"
    finally:
        set_script_prefix(before)
    assert cached_reverse("roles:quiz_step", "first") == one


# --- slug_url: an address with one slug, from a template reversed once ---------------

SLUG_ROUTES = [
    ("roles:role_detail", "product-owner"),
    ("roles:compare", "product-manager-vs-product-owner"),
]


@pytest.mark.parametrize(("name", "slug"), SLUG_ROUTES)
def test_slug_url_gives_what_reverse_gives(name, slug):
    from roles.core.urls import slug_url

    assert slug_url(name, slug) == reverse(name, args=[slug])


@pytest.mark.parametrize(("name", "slug"), SLUG_ROUTES)
def test_slug_url_follows_the_script_prefix_of_the_request(name, slug):
    from roles.core.urls import slug_url

    unprefixed = slug_url(name, slug)
    before = get_script_prefix()
    try:
        set_script_prefix("/mounted/")
        assert slug_url(name, slug) == "/mounted" + unprefixed
    finally:
        set_script_prefix(before)


@pytest.mark.parametrize("value", ["Bad Slug", "a/b", "ünïcode", "x?y", ""])
def test_slug_url_leaves_anything_but_a_plain_slug_to_reverse(value):
    """A value that is not lower-case words joined by hyphens is reversed as
    ever: quoted, or refused when the route does not take it."""
    from django.urls import NoReverseMatch

    from roles.core.urls import slug_url

    try:
        expected = reverse("roles:compare", args=[value])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            slug_url("roles:compare", value)
    else:
        assert slug_url("roles:compare", value) == expected


def test_the_role_url_filter_draws_what_the_url_tag_draws():
    template = Template(
        "{% load roles_tags %}{% url 'roles:role_detail' slug=slug %}|{{ slug|role_url }}"
    )
    tag, filtered = template.render(Context({"slug": "product-owner"})).split("|")
    assert filtered == tag == "/roles/product-owner/"
