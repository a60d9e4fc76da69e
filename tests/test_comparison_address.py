"""The comparison address: the path converter, its pure checks and reverse()."""

import pytest
from django.urls import resolve, reverse

from roles.comparisons.converters import RoleSet, RoleSetConverter, role_set_error


def test_converter_parses_any_segment_and_keeps_the_text():
    role_set = RoleSetConverter().to_python("bravo-vs-alpha")
    assert role_set == "bravo-vs-alpha"
    assert role_set.parts == ("bravo", "alpha")
    assert role_set.key == "alpha-vs-bravo"
    assert not role_set.is_canonical
    assert role_set.error == ""


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("alpha",), "two to five roles side by side; this address names only one"),
        (
            ("a", "b", "c", "d", "e", "f"),
            "two to five roles side by side; this address names 6",
        ),
        (("alpha", "BRAVO"), "form we recognise"),
        (("alpha", ""), "form we recognise"),
        (("alpha", "alpha"), "compared with itself"),
    ],
)
def test_role_set_error_says_what_is_wrong(parts, message):
    assert message in role_set_error(parts)


@pytest.mark.parametrize("parts", [("alpha",), ("a", "b", "c", "d", "e", "f")])
def test_a_wrong_number_of_roles_is_told_in_the_house_wording(parts):
    """The rule is "two to five roles" everywhere (picker, home, index); the
    address's message said "at most 5"."""
    message = role_set_error(parts)
    assert message.startswith("A comparison shows two to five roles side by side;")
    assert "at most" not in message and "at least" not in message


def test_reverse_puts_a_list_of_slugs_in_canonical_order():
    assert reverse("roles:compare", kwargs={"slugs": ["echo", "alpha"]}) == (
        "/compare/alpha-vs-echo/"
    )
    assert reverse("roles:compare", kwargs={"slugs": "alpha-vs-echo"}) == (
        "/compare/alpha-vs-echo/"
    )


def test_the_view_receives_a_role_set():
    match = resolve("/compare/alpha-vs-bravo/")
    assert match.url_name == "compare"
    assert isinstance(match.kwargs["slugs"], RoleSet)
