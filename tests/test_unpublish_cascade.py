"""When a role goes offline (unpublished, or its unpublish-at passes), links
to it and to the curated comparisons that include it disappear from every
public page, the sitemap, search and the API at the same moment (issue 21
item 4, issue 20 item 5); the editors' dashboard says which comparisons went
dark with it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from roles import models as m
from roles.editorial.workflow import dashboard

from .factories import RoleFactory, make_comparison, make_complete_guide

pytestmark = pytest.mark.django_db

GONE_ROLE = "/roles/delivery-manager/"
GONE_COMPARISON = "/compare/delivery-manager-vs-scrum-master/"
PAGES = ["/", "/roles/", "/roles/scrum-master/", "/compare/", "/glossary/"]


@pytest.fixture
def roles():
    dm = RoleFactory(
        name="Delivery Manager", slug="delivery-manager", summary="Keeps delivery."
    )
    sm = RoleFactory(name="Scrum Master", slug="scrum-master", summary="Coaches.")
    po = RoleFactory(name="Product Owner", slug="product-owner", summary="Owns.")
    for role in (dm, sm, po):
        make_complete_guide(role)
    # Scrum Master's guide links to Delivery Manager (related role, career
    # paths both ways).
    m.RelatedRole.objects.create(role=sm, related=dm, order=9)
    m.CareerPath.objects.create(
        from_role=sm,
        to_role=dm,
        summary="From Scrum Master to Delivery Manager.",
        new_responsibilities="Owning delivery\nReporting",
        skills_to_build="Forecasting\nRisk",
        order=9,
    )
    make_comparison([dm, sm], title="Delivery Manager vs Scrum Master")
    make_comparison([po, sm], title="Product Owner vs Scrum Master")
    return dm, sm, po


def public_surface(client) -> str:
    """Everything the public can read that might point at the role: pages,
    the sitemap, search results and the API's lists."""
    texts = [client.get(path).content.decode() for path in PAGES]
    texts.append(client.get("/sitemap.xml").content.decode())
    for query in ("delivery", "delivery manager scrum master", "scrum"):
        texts.append(client.get("/search/", {"q": query}).content.decode())
    texts.append(client.get("/api/v1/roles/").content.decode())
    texts.append(client.get("/api/v1/comparisons/").content.decode())
    texts.append(client.get("/api/v1/roles/scrum-master/").content.decode())
    texts.append(client.get("/api/v1/glossary/").content.decode())
    return "\n".join(texts)


def assert_gone(text: str) -> None:
    # (make_complete_guide's neighbour roles are "… of Delivery Manager".)
    assert GONE_ROLE not in text
    assert "delivery-manager-vs-scrum-master" not in text  # pages, API keys
    assert '"delivery-manager"' not in text  # the API's slugs
    assert "Delivery Manager vs Scrum Master" not in text
    assert ">Delivery Manager<" not in text


def test_a_roles_expiry_takes_it_and_its_comparisons_off_every_public_surface(
    client, roles
):
    dm, _sm, _po = roles
    expiry = timezone.now() + dt.timedelta(hours=1)
    m.Role.objects.filter(pk=dm.pk).update(unpublish_at=expiry)

    before = public_surface(client)
    assert GONE_COMPARISON in before
    assert GONE_ROLE in before
    assert "delivery-manager-vs-scrum-master" in before  # the API's key

    with time_machine.travel(expiry + dt.timedelta(seconds=1)):
        after = public_surface(client)
        assert client.get(GONE_ROLE).status_code == 404
        assert client.get(GONE_COMPARISON).status_code == 404
        assert (
            client.get(
                "/api/v1/comparisons/delivery-manager-vs-scrum-master/"
            ).status_code
            == 404
        )
    assert_gone(after)
    # The rest is still there.
    assert "/compare/product-owner-vs-scrum-master/" in after
    assert "/roles/product-owner/" in after


def test_unpublishing_a_role_takes_its_comparisons_offline_at_once(client, roles):
    dm, _sm, _po = roles
    assert GONE_COMPARISON in client.get("/roles/scrum-master/").content.decode()
    dm.status = m.Status.DRAFT
    dm.save()
    assert_gone(public_surface(client))


def test_published_comparisons_require_every_role_public_now(roles):
    dm, _sm, _po = roles
    expiry = timezone.now() + dt.timedelta(hours=1)
    m.Role.objects.filter(pk=dm.pk).update(unpublish_at=expiry)
    keys = set(m.Comparison.objects.published().values_list("key", flat=True))
    assert "delivery-manager-vs-scrum-master" in keys
    later = expiry + dt.timedelta(seconds=1)
    keys = set(m.Comparison.objects.published(later).values_list("key", flat=True))
    assert keys == {"product-owner-vs-scrum-master"}


def test_the_dashboard_names_the_comparisons_that_went_dark(
    roles, admin_client, django_user_model
):
    dm, _sm, _po = roles
    m.Role.objects.filter(pk=dm.pk).update(
        unpublish_at=timezone.now() - dt.timedelta(minutes=5)
    )
    user = django_user_model.objects.get(username="admin")
    (item,) = dashboard(user=user).dark_comparisons
    assert item.label == "Delivery Manager vs Scrum Master"
    assert "Delivery Manager" in item.note
    html = admin_client.get("/admin/").content.decode()
    assert "Comparisons offline with a role" in html
    assert "Delivery Manager vs Scrum Master" in html


def test_the_dashboard_says_which_comparisons_an_expiring_role_will_take(
    roles, django_user_model
):
    dm, _sm, _po = roles
    m.Role.objects.filter(pk=dm.pk).update(
        unpublish_at=timezone.now() + dt.timedelta(days=3)
    )
    user = django_user_model.objects.create_user("ed", is_staff=True)
    (item,) = dashboard(user=user).expiring
    assert item.label == "Role: Delivery Manager"
    # A time to come, said as one (it read "unpublished 10 Dec", as if done).
    assert item.note.startswith("goes offline ")
    assert item.note.endswith(
        "; takes offline with it Delivery Manager vs Scrum Master"
    )
