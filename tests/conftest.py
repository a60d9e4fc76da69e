import pytest
from django.core.cache import cache

from .pg_cluster import pg_cluster  # noqa: F401 - fixture
from .redis_server import redis_cache, redis_server  # noqa: F401 - fixtures
from .seed_once import SeededDatabase

_SEEDED = SeededDatabase()
# Set on a transactional test's item: the database to put back after it.
_RESTORE_AFTER = pytest.StashKey[object]()


@pytest.fixture(autouse=True)
def _clear_cache():
    _forget_process_state()
    cache.clear()
    yield
    cache.clear()
    _forget_process_state()


def _forget_process_state():
    """What a process remembers between requests (the content versions it has
    seen, data memoised per version, the "Redis is down" switch) is part of
    the cache: each test starts without it, as a fresh worker would."""
    from roles.core import cache_client
    from roles.publishing.cache import reset_process_memory

    reset_process_memory()
    cache_client.reset()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, seeded once (see tests/seed_once.py)."""
    with django_db_blocker.unblock():
        _SEEDED.seed()


@pytest.fixture(autouse=True)
def _content_state(request):
    """A database test starts from the seeded database if it asks for
    ``seeded``, else from the migrated one with no content, as before."""
    item = request.node
    if not (
        item.get_closest_marker("django_db")
        or "_django_db_helper" in request.fixturenames
        or "live_server" in request.fixturenames
    ):
        return
    # The test's database (and, for an ordinary test, its transaction) first.
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    transactional = not connection.in_atomic_block
    if transactional:
        item.stash[_RESTORE_AFTER] = request.getfixturevalue("django_db_blocker")
    if "seeded" not in request.fixturenames:
        _SEEDED.empty()
    elif transactional and not _SEEDED.is_intact():
        _SEEDED.restore()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test Django has emptied every table: put the
    seeded database back, so whatever runs next finds it as every test does."""
    try:
        return (yield)
    finally:
        blocker = item.stash.get(_RESTORE_AFTER, None)
        if blocker is not None and nextitem is not None:
            with blocker.unblock():
                _SEEDED.restore()


@pytest.fixture
def seeded(db):
    """The real seed content, as `make run` loads it: loaded once per test
    database, see django_db_setup and _content_state."""


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
    """Queries to render ``url`` from scratch: the page cache (and what this
    process memoised) is emptied and
    the next scheduled change worked out first (as the first request after
    a change does),
    so the count is the page's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roles.editorial.due import publications_due_run

    cache.clear()
    _forget_process_state()
    publications_due_run()
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)
