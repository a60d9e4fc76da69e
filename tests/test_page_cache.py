"""A cache hit is answered early (PageCacheMiddleware, before sessions, CSRF
and authentication) with one cache round trip and no query: the content
version is mirrored to the cache on commit and each page entry carries the
version it was rendered at. The database stays the source of truth; the
mirror is trusted for CONTENT_VERSION_MIRROR_SECONDS at most."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone

from roles.publishing import cache as page_cache
from roles.publishing.cache import current_version, reset_process_memory
from roles.publishing.version import VERSION_MIRROR_KEY

from .factories import RoleFactory
from .test_cache_reliability import local_memory_cache  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

CACHE_CALLS = ("get", "get_many", "set", "add", "delete", "incr", "set_many")


@pytest.fixture
def role(db):
    return RoleFactory(slug="product-owner", name="Product Owner")


@pytest.fixture
def visitor(settings):
    # Scheduled times checked once a minute, as in production (the test
    # settings check at every request).
    settings.DUE_CHECK_SECONDS = 3600
    return Client()


@pytest.fixture
def cache_calls(monkeypatch):
    """Every call this test makes to the cache, by name."""
    calls: list[str] = []
    depth = [0]  # the local-memory cache's get_many calls its own get
    backend = caches["default"]
    for name in CACHE_CALLS:
        method = getattr(backend, name)

        def counted(*args, _name=name, _method=method, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _method(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, counted)

    # The page cache's own read of (version mirror, page): one round trip on
    # Redis (redis-py's connection), get_many on the local-memory cache.
    lookup = page_cache.mirror_and_page

    def looked_up(*args, **kwargs):
        calls.append("mirror_and_page")
        depth[0] += 1
        try:
            return lookup(*args, **kwargs)
        finally:
            depth[0] -= 1

    monkeypatch.setattr(page_cache, "mirror_and_page", looked_up)
    return calls


def test_a_hit_costs_one_cache_round_trip_and_no_query(
    role, visitor, cache_calls, django_assert_num_queries
):
    url = role.get_absolute_url()
    assert visitor.get(url)["X-Cache"] == "miss"
    assert visitor.get(url)["X-Cache"] == "hit"
    cache_calls.clear()
    with django_assert_num_queries(0):
        response = visitor.get(url)
        head = visitor.head(url)
    assert response.status_code == 200 and response["X-Cache"] == "hit"
    assert head.status_code == 200 and head.content == b""
    assert cache_calls == ["mirror_and_page", "mirror_and_page"]


def test_a_hit_carries_every_security_header_and_can_be_a_304(role, visitor):
    url = role.get_absolute_url()
    rendered = visitor.get(url)
    hit = visitor.get(url)
    assert hit["X-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Resource-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Request-ID",
        "ETag",
    ):
        assert hit.get(header), header
        assert rendered.get(header), header
    assert hit.content == rendered.content
    not_modified = visitor.get(url, HTTP_IF_NONE_MATCH=hit["ETag"])
    assert not_modified.status_code == 304


def test_a_visitor_with_a_session_is_served_through_the_whole_stack(role, staff_client):
    url = role.get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Cache"] == "hit"
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "X-Cache" not in response  # an editor's page is never the cached one


def test_a_not_allowed_host_is_a_400_even_for_a_cached_page(role, visitor):
    url = role.get_absolute_url()
    visitor.get(url)
    assert visitor.get(url)["X-Cache"] == "hit"
    assert visitor.get(url, HTTP_HOST="evil.example").status_code == 400


def test_the_committed_version_is_mirrored_on_commit(
    django_capture_on_commit_callbacks,
):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        role = RoleFactory(slug="product-owner", name="Product Owner")
        role.summary = "Changed."
        role.save()
        assert cache.get(VERSION_MIRROR_KEY) is None, "cleared in the transaction"
    assert len(callbacks) == 1, "mirrored once per transaction"
    after = cache.get(VERSION_MIRROR_KEY)[0]
    assert after > before
    assert current_version() == after


def test_a_missing_mirror_is_put_back_from_the_database(
    role, django_assert_num_queries
):
    version = current_version()
    cache.delete(VERSION_MIRROR_KEY)
    reset_process_memory()
    with django_assert_num_queries(1):
        assert current_version() == version
    with django_assert_num_queries(0):
        assert current_version() == version


@pytest.mark.usefixtures("local_memory_cache")
def test_after_a_restore_from_an_older_snapshot_every_process_is_fresh_within_the_bound(
    role, settings
):
    """Redis restored from a snapshot holds an older mirror and older pages. The
    process that saw the newer version distrusts it at once; one that never
    did (another worker) trusts it for CONTENT_VERSION_MIRROR_SECONDS at most."""
    url = role.get_absolute_url()
    visitor = Client()
    assert visitor.get(url)["X-Cache"] == "miss"
    snapshot = dict(cache._cache), dict(cache._expire_info)
    role.summary = "A summary written after the snapshot."
    role.save()
    assert "after the snapshot" in visitor.get(url).content.decode()
    cache.clear()
    cache._cache.update(snapshot[0])
    cache._expire_info.update(snapshot[1])
    assert "after the snapshot" in visitor.get(url).content.decode()

    cache.clear()
    cache._cache.update(snapshot[0])
    cache._expire_info.update(snapshot[1])
    reset_process_memory()  # a worker that never saw the newer version
    later = timezone.now() + timedelta(seconds=settings.CONTENT_VERSION_MIRROR_SECONDS)
    with time_machine.travel(later):
        assert "after the snapshot" in Client().get(url).content.decode()


def test_a_writer_whose_mirror_lands_after_a_newer_ones_puts_the_newer_back(
    django_capture_on_commit_callbacks, monkeypatch
):
    """Two writers commit one after the other; the first one's set reaches the
    cache after the second's. The mirror must end at the second's number."""
    from django.db.models import F

    from roles.publishing import version as v

    real_set = cache.set
    raced = []

    def set_then_another_writer_commits(key, value, *args, **kwargs):
        real_set(key, value, *args, **kwargs)
        if key == VERSION_MIRROR_KEY and not raced:
            raced.append(value[0])
            # The other writer: committed, its mirror set before ours landed.
            v.ContentVersion.objects.update(value=F("value") + 1)

    monkeypatch.setattr(v.cache, "set", set_then_another_writer_commits)
    with django_capture_on_commit_callbacks(execute=True):
        RoleFactory(slug="product-owner", name="Product Owner")
    database = v.ContentVersion.objects.get().value
    assert raced and raced[0] == database - 1
    assert cache.get(VERSION_MIRROR_KEY)[0] == database


@pytest.mark.django_db(transaction=True)  # as a request runs: no transaction
def test_derived_data_is_served_from_the_last_known_version_while_the_database_is_down(
    role, monkeypatch
):
    """A questionnaire step needs only derived data: while the database cannot
    say the version, the data kept under the last one known is served (from
    this process, or the shared cache for a process that has seen none);
    with no version known anywhere, it still needs the database."""
    from django.db import OperationalError, transaction

    from roles.publishing import cache as page_cache

    built = page_cache.versioned("sample", lambda: "built")
    assert built == "built"

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(page_cache, "read_version_value", down)
    cache.delete(VERSION_MIRROR_KEY)  # the mirror's trust has run out
    assert page_cache.versioned("sample", lambda: "rebuilt") == "built"
    reset_process_memory()  # another worker, which has seen nothing
    assert page_cache.versioned("sample", lambda: "rebuilt") == "built"
    # In a transaction (an admin save) the failure has spoilt it: it stands.
    with pytest.raises(OperationalError), transaction.atomic():
        page_cache.versioned("sample", lambda: "rebuilt")
    cache.delete(page_cache.LAST_KNOWN_KEY)
    reset_process_memory()
    with pytest.raises(OperationalError):
        page_cache.versioned("sample", lambda: "rebuilt")


def test_a_page_stored_by_another_release_is_not_served(role, visitor, monkeypatch):
    """After a deploy the templates, code and stylesheet names differ: a page
    an earlier release stored (same content version) must not be served by
    the new one, and the new one's own copy is then a hit."""
    url = role.get_absolute_url()
    monkeypatch.setattr(page_cache, "release_id", lambda: "release-a")
    assert visitor.get(url)["X-Cache"] == "miss"
    assert visitor.get(url)["X-Cache"] == "hit"
    reset_process_memory()  # a new process
    monkeypatch.setattr(page_cache, "release_id", lambda: "release-b")
    assert visitor.get(url)["X-Cache"] == "miss"
    assert visitor.get(url)["X-Cache"] == "hit"


def test_derived_data_of_another_release_is_rebuilt(db, monkeypatch):
    built: list[str] = []

    def build(release: str):
        def compute():
            built.append(release)
            return release

        return compute

    monkeypatch.setattr(page_cache, "release_id", lambda: "release-a")
    assert page_cache.versioned("example", build("release-a")) == "release-a"
    reset_process_memory()
    monkeypatch.setattr(page_cache, "release_id", lambda: "release-b")
    assert page_cache.versioned("example", build("release-b")) == "release-b"
    assert built == ["release-a", "release-b"]


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_writing_transaction_shows_no_other_process_its_version():
    """Until a write commits, its new version is the writer's alone: a read in
    the same transaction (a save that then renders something keyed by the
    version) must not mirror that number to the shared cache, where another
    process would take it as committed and cache the old content under it,
    to be served as current once the write commits."""
    from django.db import transaction

    from roles.publishing.version import LAST_KNOWN_KEY

    before = current_version()
    with transaction.atomic():
        RoleFactory(slug="product-owner", name="Product Owner")
        inside = current_version()  # the writer sees its own change
        assert inside > before
        assert cache.get(VERSION_MIRROR_KEY) is None
        assert cache.get(LAST_KNOWN_KEY) in (None, before)
    assert cache.get(VERSION_MIRROR_KEY)[0] == inside  # mirrored on commit
    assert current_version() == inside


@pytest.mark.django_db(transaction=True)
def test_derived_data_read_inside_a_writing_transaction_is_not_shared():
    """Data built from content that is not committed yet (it may still roll
    back) is computed for the writer and kept nowhere another process reads."""
    from django.db import transaction

    from roles.publishing.cache import versioned

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with transaction.atomic():
        RoleFactory(slug="product-owner", name="Product Owner")
        assert versioned("test-derived", compute) == 1
        assert versioned("test-derived", compute) == 2  # not kept
    # Committed, the same version: nothing was kept under it (in Redis, or
    # the local-memory cache, for other processes), so it is built now, once.
    reset_process_memory()
    assert versioned("test-derived", compute) == 3
    assert versioned("test-derived", compute) == 3


def test_with_page_cache_seconds_zero_no_page_is_looked_up_or_stored(
    role, visitor, settings, django_assert_max_num_queries
):
    """PAGE_CACHE_SECONDS=0 turns the page cache off: a page another process
    stored while it was on (same release, same version) is not served, and
    nothing is stored - each request renders the page (make bench's
    "uncached" rows had measured the first server's stored pages)."""
    url = role.get_absolute_url()
    assert visitor.get(url)["X-Cache"] == "miss"
    assert visitor.get(url)["X-Cache"] == "hit"
    settings.PAGE_CACHE_SECONDS = 0
    reset_process_memory()  # another process, started with the setting
    for _ in range(2):
        response = visitor.get(url)
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert "Product Owner" in response.content.decode()
    settings.PAGE_CACHE_SECONDS = 600
    assert visitor.get(url)["X-Cache"] == "hit"  # the first copy, still there
