"""The page cache cannot be wrong: the content version lives in the database,
every write path moves it on, and what the cache holds (or loses) never
brings an old page back. Several visitors in a row, as the world uses it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from roles import models as m
from roles.publishing import registry
from roles.publishing.cache import current_version

from .factories import RoleFactory, make_scenario, make_statement

pytestmark = pytest.mark.django_db

CONTENT_MODELS = registry.content_models()
NOT_CONTENT_MODELS = registry.not_content_models()


def test_every_model_is_either_content_or_declared_not_to_be():
    app_models = set(apps.get_app_config("roles").get_models())
    assert app_models == set(CONTENT_MODELS) | set(NOT_CONTENT_MODELS), (
        "Add the new model to CONTENT_MODELS (its writes bump the content "
        "version) (declare it with @content_model or @not_content in its models.py, see roles/publishing/registry.py)."
    )
    assert not set(CONTENT_MODELS) & set(NOT_CONTENT_MODELS)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model.__name__)
def test_bulk_writes_on_every_content_model_bump_the_version(model):
    assert isinstance(model._default_manager.all(), m.ContentQuerySet), (
        f"{model.__name__}'s manager must come from ContentQuerySet so "
        "update()/bulk_update() bump the content version"
    )


def _sample_role():
    return RoleFactory(slug="product-owner", name="Product Owner")


def test_update_bulk_update_and_save_each_move_the_version_on():
    role = _sample_role()
    seen = [current_version()]
    m.Role.objects.filter(pk=role.pk).update(summary="Changed by update().")
    seen.append(current_version())
    role.summary = "Changed by bulk_update()."
    m.Role.objects.bulk_update([role], ["summary"])
    seen.append(current_version())
    role.save()
    seen.append(current_version())
    m.Role.objects.filter(pk=-1).update(summary="No row: no change.")
    seen.append(current_version())
    assert seen[0] < seen[1] < seen[2] < seen[3] == seen[4]


def test_bulk_actions_of_content_admins_are_known_and_covered():
    """A new admin action on a content model must be added here, with a test
    showing the change on the next anonymous request."""
    covered = {"delete_selected", "publish_selected", "unpublish_selected"}
    for model, model_admin in admin.site._registry.items():
        if model not in CONTENT_MODELS:
            continue
        actions = set(model_admin.get_actions(_FakeRequest()))
        assert actions <= covered, (model.__name__, actions - covered)


class _FakeRequest:
    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args, **kwargs):
            return True

    GET: dict = {}


@pytest.fixture
def local_memory_cache(settings):
    """These tests reach into the cache's own storage to copy and restore it,
    so they use the local-memory backend whatever the suite runs on (the same
    faults on a real Redis: test_faults.py)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cache-reliability",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("local_memory_cache")
def test_a_cache_restored_from_an_older_snapshot_serves_no_stale_page(client):
    """Redis restarting from a snapshot used to roll the version back (13 → 11)
    and serve old pages as hits."""
    role = _sample_role()
    url = role.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    snapshot = dict(cache._cache), dict(cache._expire_info)
    role.summary = "A summary written after the snapshot."
    role.save()
    assert "after the snapshot" in client.get(url).content.decode()
    cache.clear()
    cache._cache.update(snapshot[0])
    cache._expire_info.update(snapshot[1])
    response = client.get(url)
    assert "after the snapshot" in response.content.decode()


def test_a_flushed_cache_changes_nothing_but_speed(client):
    role = _sample_role()
    before = client.get(role.get_absolute_url()).content
    cache.clear()
    response = client.get(role.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assert response.content == before


def test_a_scheduled_time_passing_moves_the_version_on_once(client):
    role = _sample_role()
    role.publish_at = timezone.now() + timedelta(hours=1)
    role.save()
    assert client.get(role.get_absolute_url()).status_code == 404
    version = current_version()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(role.get_absolute_url()).status_code == 200
        assert current_version() == version + 1
        assert current_version() == version + 1


@pytest.mark.usefixtures("local_memory_cache")
def test_query_strings_neither_key_nor_fill_the_cache(client):
    role = _sample_role()
    url = role.get_absolute_url()
    client.get(url)
    keys_before = set(cache._cache)
    for n in range(20):
        response = client.get(url, {"utm": n})
        assert response.status_code == 200
        assert "X-Cache" not in response
    assert set(cache._cache) == keys_before
    assert client.get(url)["X-Cache"] == "hit"


def test_a_foreign_host_or_scheme_cannot_poison_canonical_links(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    role = _sample_role()
    url = role.get_absolute_url()
    first = client.get(url, HTTP_HOST="localhost:31337")
    assert first["X-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Cache"] == "hit"
    for response in (first, second):
        html = response.content.decode()
        assert "31337" not in html
        assert f'<link rel="canonical" href="http://testserver{url}">' in html
        assert f'<meta property="og:url" content="http://testserver{url}">' in html


def test_head_is_answered_wherever_get_is(client, seeded):
    for url in [
        "/",
        "/roles/",
        "/roles/product-owner/",
        "/compare/",
        "/compare/product-manager-vs-product-owner/",
        "/compare/business-analyst-vs-product-owner-vs-scrum-master/",
        "/quiz/all/",
        "/robots.txt",
        "/sitemap.xml",
    ]:
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b"", url


def _csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


@pytest.fixture
def small_quiz():
    pm = RoleFactory(slug="product-manager", name="Product Manager")
    po = RoleFactory(slug="product-owner", name="Product Owner")
    make_scenario([{pm: 3}, {po: 3}], key="horizon")
    make_statement({pm: 4}, key="customers")


def test_three_visitors_in_a_row_can_each_submit_the_questionnaire(small_quiz):
    """The first visitor's CSRF token used to be cached with the form and handed
    to everyone after, who then got 403."""
    results = set()
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/quiz/all/").content.decode()
        tokens = _csrf_tokens(html)
        assert len(tokens) == 1, "one CSRF token per form"
        response = visitor.post(
            "/quiz/all/",
            {"csrfmiddlewaretoken": tokens[0], "q-horizon": "0", "q-customers": "2"},
        )
        assert response.status_code == 302, response.status_code
        results.add(response["Location"])
    assert len(results) == 3
    assert m.Submission.objects.count() == 3


def test_visitors_never_share_a_csrf_secret(small_quiz):
    from django.middleware.csrf import _unmask_cipher_token

    secrets = []
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/quiz/all/").content.decode()
        secrets.append(_unmask_cipher_token(_csrf_tokens(html)[0]))
    assert len(set(secrets)) == 3


def test_an_editor_opening_the_quiz_first_changes_nothing_for_visitors(
    small_quiz, staff_client
):
    staff_client.get("/quiz/all/")
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/quiz/all/").content.decode()
    response = visitor.post(
        "/quiz/all/",
        {"csrfmiddlewaretoken": _csrf_tokens(html)[0], "q-horizon": "1"},
    )
    # Incomplete, so 400 with the form again - but not a CSRF failure (403).
    assert response.status_code == 400


def test_no_template_caches_a_fragment_that_holds_a_form():
    from pathlib import Path

    for template in Path("templates").rglob("*.html"):
        html = template.read_text()
        for fragment in re.findall(r"{% cache .*?{% endcache %}", html, re.S):
            assert "crispy" not in fragment and "<form" not in fragment, template


def test_two_visitors_can_each_send_feedback_on_their_own_result(small_quiz):
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/quiz/all/").content.decode()
        result = visitor.post(
            "/quiz/all/",
            {
                "csrfmiddlewaretoken": _csrf_tokens(html)[0],
                "q-horizon": "0",
                "q-customers": "2",
            },
        )["Location"]
        page = visitor.get(result).content.decode()
        tokens = _csrf_tokens(page)
        assert len(tokens) == 1
        response = visitor.post(
            result + "feedback/", {"csrfmiddlewaretoken": tokens[0], "fit": "yes"}
        )
        assert response.status_code == 302, response.status_code
