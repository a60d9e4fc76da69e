import pytest
from django.core.cache import cache
from django.core.management import call_command

from .pg_cluster import pg_cluster  # noqa: F401 - fixture
from .redis_server import redis_cache, redis_server  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The real seed content, as `make run` loads it."""
    call_command("seed_content", verbosity=0)


@pytest.fixture
def staff_client(django_user_model):
    """A separate logged-in client, so ``client`` stays anonymous."""
    from django.test import Client

    client = Client()
    user = django_user_model.objects.create_user(
        "staff", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def count_queries(client, url: str, method: str = "get", data=None) -> int:
    """Queries to render ``url`` from scratch: the page cache is emptied and
    the next scheduled change worked out first (as the first request after
    a change does),
    so the count is the page's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roles.editorial.due import publications_due_run

    cache.clear()
    publications_due_run()
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)
