"""'Where is this used' on a role's change form: comparisons, questions with
points for it, and other roles' career paths and related roles pointing at it,
in a fixed number of queries."""

import pytest
from django.urls import reverse

from roles import models as m
from roles.editorial.usage import role_usage

from .factories import (
    RoleFactory,
    make_comparison,
    make_guide,
    make_scenario,
    make_statement,
)

pytestmark = pytest.mark.django_db


def _uses(role, n: int):
    """``n`` of every kind of use of ``role``."""
    for i in range(n):
        other = RoleFactory(
            slug=f"user-{role.slug}-{i}", name=f"User {i} of {role.slug}"
        )
        make_guide(other, others=[role])  # related role and career paths
        make_comparison([role, other], title=f"{role.name} vs User {i}")
        make_scenario([{role: 3, other: 1}, {other: 2}], key=f"q-{role.slug}-{i}")
        make_statement({role: 2}, key=f"s-{role.slug}-{i}")


def test_every_kind_of_use_is_listed_with_a_link():
    role = RoleFactory(slug="used", name="Used Role")
    _uses(role, 1)
    usage = role_usage(role_id=role.pk)
    assert [u.how for u in usage.comparisons] == ["compares it"]
    assert sorted(u.how for u in usage.questions) == sorted(
        [
            "option “"
            + str(m.OptionPoints.objects.get(role=role).option)
            + "” gives it 3 points",
            "agreeing gives it 2 points",
        ]
    )
    assert sorted(u.how for u in usage.roles) == [
        "a career path leads to it",
        "lists it as a related role",
    ]
    comparison = m.Comparison.objects.get()
    assert usage.comparisons[0].url == reverse(
        "admin:roles_comparison_change", args=[comparison.pk]
    )
    # An option that gives it no points is not a use.
    assert len(usage.questions) == 2


def test_the_queries_do_not_grow_with_the_uses(django_assert_num_queries):
    small, large = RoleFactory(slug="small"), RoleFactory(slug="large")
    _uses(small, 1)
    _uses(large, 4)
    with django_assert_num_queries(5):
        usage = role_usage(role_id=small.pk)
    assert len(usage) == 5, usage
    with django_assert_num_queries(5):
        assert len(role_usage(role_id=large.pk)) == 20


def test_the_change_form_shows_where_the_role_is_used(staff_client):
    role = RoleFactory(slug="shown", name="Shown Role")
    _uses(role, 1)
    page = staff_client.get(reverse("admin:roles_role_change", args=[role.pk]))
    html = page.content.decode()
    assert "Where is this used" in html
    assert "Shown Role vs User 0" in html
    assert "lists it as a related role" in html


def test_one_point_is_said_in_the_singular():
    role = RoleFactory(slug="single", name="Single Role")
    make_statement({role: 1}, key="s-single")
    (use,) = role_usage(role_id=role.pk).questions
    assert use.how == "agreeing gives it 1 point"
