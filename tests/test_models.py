import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from roles import models as m

from .factories import (
    OptionFactory,
    QuestionFactory,
    ResponsibilityFactory,
    RoleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_role_str_and_url():
    role = RoleFactory(name="Product Owner", slug="product-owner")
    assert str(role) == "Product Owner"
    assert role.get_absolute_url() == "/roles/product-owner/"


def test_role_slug_must_be_unique():
    RoleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(slug="same")


@pytest.mark.parametrize(
    "slug", ["a-vs-b", "vs-a", "a-vs", "vs", "Upper", "a--b", "a_b"]
)
def test_role_slug_that_would_break_comparison_addresses_is_invalid(slug):
    role = RoleFactory.build(slug=slug)
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_database_refuses_vs_in_a_slug_even_without_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(slug="product-vs-project")


def test_responsibility_text_unique_within_a_role():
    item = ResponsibilityFactory(text="Order the backlog.")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityFactory(role=item.role, text="Order the backlog.")
    ResponsibilityFactory(text="Order the backlog.")  # another role may say the same


def test_source_url_unique_within_a_role():
    source = SourceFactory(url="https://scrumguides.org/")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(role=source.role, url="https://scrumguides.org/")


@pytest.mark.parametrize("points", [-1, 6])
def test_points_out_of_range_are_refused_by_the_database(points):
    option = OptionFactory()
    role = RoleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.OptionPoints.objects.create(option=option, role=role, points=points)
    question = QuestionFactory(kind=m.QuestionKind.AGREEMENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.StatementPoints.objects.create(question=question, role=role, points=points)


def test_points_out_of_range_fail_validation_with_a_message():
    points = m.OptionPoints(option=OptionFactory(), role=RoleFactory(), points=9)
    with pytest.raises(ValidationError) as excinfo:
        points.full_clean()
    assert "points" in excinfo.value.message_dict


def test_a_role_cannot_appear_twice_in_a_comparison():
    a, b = RoleFactory(), RoleFactory()
    comparison = m.Comparison.objects.create(
        key=m.comparison_key([a.slug, b.slug]), title="x", tldr="y"
    )
    m.ComparisonRole.objects.create(comparison=comparison, role=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.ComparisonRole.objects.create(comparison=comparison, role=a)


def test_comparison_key_is_alphabetical():
    assert m.comparison_key(["product-owner", "product-manager"]) == (
        "product-manager-vs-product-owner"
    )


def test_published_excludes_drafts_and_future_schedules():
    now = timezone.now()
    live = RoleFactory(status=m.Status.PUBLISHED)
    RoleFactory(status=m.Status.DRAFT)
    RoleFactory(status=m.Status.PUBLISHED, publish_at=now + dt.timedelta(hours=1))
    past = RoleFactory(
        status=m.Status.PUBLISHED, publish_at=now - dt.timedelta(hours=1)
    )
    assert set(m.Role.objects.published()) == {live, past}


def test_scheduled_role_goes_live_at_its_time_without_any_job():
    start = timezone.now()
    role = RoleFactory(publish_at=start + dt.timedelta(days=1))
    assert role.state == "Scheduled"
    assert role not in m.Role.objects.published()
    with time_machine.travel(start + dt.timedelta(days=1, seconds=1)):
        assert role in m.Role.objects.published()
        assert role.state == "Published"


def test_aliases_are_one_per_line():
    role = RoleFactory.build(also_known_as="PO\n\n  Product lead \n")
    assert role.aliases == ["PO", "Product lead"]
