import copy
import functools
import hashlib
import importlib
import os
import pickle
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from .pg_cluster import pg_cluster, seeded_pg_cluster  # noqa: F401 - fixtures
from .redis_server import redis_cache, redis_server  # noqa: F401 - fixtures
from .seed_once import SeededDatabase
from .xdist_groups import xdist_groups

_SEEDED = SeededDatabase()
# Set on a transactional test's item: the database to put back after it.
_RESTORE_AFTER = pytest.StashKey[object]()


# What the pure, deterministic and slow questionnaire functions returned, by
# their pickled arguments: within one run of the suite, each fit and each
# adaptive-flow simulation of the same questionnaire is computed once, by the
# first worker to need it, and read from the run's temporary folder by the
# others (the seeded questionnaire is fitted and simulated by the health page,
# `quiz_audit` and several tests; one simulation takes 20-40 s on a busy
# machine). That first call runs the code under test, so a broken function
# still fails the tests; other arguments are computed as before.
_REMEMBERED = [
    ("roles.questionnaire.scoring", "build_model"),
    ("roles.questionnaire.adaptive", "agreement"),
]
_pure_results: dict[str, object] = {}
_pure_folder: list[Path] = []  # the run's folder, once the session has one


def _remembered(function):
    @functools.wraps(function)
    def remembered(*args, **kwargs):
        try:
            arguments = pickle.dumps((args, sorted(kwargs.items())), protocol=5)
        except (pickle.PicklingError, TypeError, AttributeError):
            return function(*args, **kwargs)
        key = hashlib.sha256(function.__qualname__.encode() + arguments).hexdigest()
        if key not in _pure_results:
            _pure_results[key] = _computed_once(key, function, args, kwargs)
        # A copy: a caller may cache things on the result (cached_property).
        return copy.deepcopy(_pure_results[key])

    return remembered


def _computed_once(key: str, function, args, kwargs):
    stored = _pure_folder[0] / f"{key}.pickle" if _pure_folder else None
    if stored is not None and stored.exists():
        return pickle.loads(stored.read_bytes())
    result = function(*args, **kwargs)
    if stored is not None:
        writing = stored.with_suffix(f".{os.getpid()}")
        writing.write_bytes(pickle.dumps(result, protocol=5))
        writing.replace(stored)  # whole or not at all, for the other worker
    return result


@pytest.fixture(scope="session", autouse=True)
def _remember_pure_results(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "pure-results"
    folder.mkdir(exist_ok=True)
    _pure_folder[:] = [folder]
    with pytest.MonkeyPatch.context() as patch:
        for module_name, name in _REMEMBERED:
            module = importlib.import_module(module_name)
            patch.setattr(module, name, _remembered(getattr(module, name)))
        yield
    _pure_folder.clear()


@pytest.fixture(scope="session")
def production_shared(tmp_path_factory):
    """A folder every xdist worker of this run shares (the run's base
    temporary folder): what tests/browser/production_server.py makes once
    for all the production servers of a run (collected static files, a
    migrated and seeded SQLite database)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "production-shared"


# The slowest tests (and modules), longest first: collected first, so xdist
# hands them out first and the workers finish together instead of one
# running a minute-long test alone at the end. The rest keep their order.
# From `pytest --durations` of the whole suite; a missing name only loses
# the head start.
SLOW_FIRST = [
    "tests/browser/test_production_journeys.py",
    "tests/browser/test_admin_pages_browser.py::test_every_admin_page_passes_axe_and_fits_375_px[quiz_health]",
    "tests/browser/test_admin_pages_browser.py::test_every_admin_page_passes_axe_and_fits_375_px[model:roles.Role]",
    "tests/browser/test_editor_browser.py::test_every_editing_page_has_named_inputs_and_passes_axe",
    "tests/test_database_outage.py",
    "tests/test_quiz_faults.py",
    "tests/browser/test_public_pages.py::test_every_role_guide_and_curated_comparison_is_accessible",
    "tests/browser/test_two_editors_browser.py::test_two_editors_conflict_copy_lock_and_rebase",
    "tests/browser/test_three_editors_browser.py::test_three_editors_lapsed_lock_take_over_refusal_copy_and_rebase",
    "tests/test_quiz.py::test_quiz_audit_command_prints_json_figures_for_the_seed",
    "tests/test_proxy_stack.py",
    "tests/browser/test_design.py::test_every_page_type_in_both_schemes_at_phone_and_desktop_widths",
    "tests/test_quiz_flow.py::test_a_step_page_takes_the_same_queries_at_two_sizes",
    "tests/browser/test_admin_pages_browser.py::test_every_admin_page_passes_axe_and_fits_375_px[model:roles.Comparison]",
    "tests/browser/test_axe_everywhere.py::test_axe_finds_nothing_on_any_page",
    "tests/browser/test_quiz_browser.py::test_phone_flow_question_and_next_in_view_enter_moves_on_start_over",
    "tests/browser/test_quiz_flow_browser.py::test_three_visitors_at_once_each_reach_their_result",
    "tests/browser/test_admin_pages_browser.py::test_every_admin_page_passes_axe_and_fits_375_px[model:roles.Question]",
    "tests/browser/test_editor_browser.py::test_editor_stages_previews_submits_publisher_rejects_then_publishes",
    "tests/test_production.py::test_pages_with_a_csrf_token_are_never_cached",
    "tests/test_quiz_model.py::test_seeded_audit_figures_stay_on_target",
    "tests/test_quiz.py::test_seeded_questionnaire_passes_its_own_audit",
    "tests/browser/test_three_editors_browser.py",
    "tests/browser/test_control_contrast.py",
    "tests/test_crafted_requests.py::test_head_is_answered_like_get_without_a_body_on_every_get_route",
    "tests/test_import_safety.py::test_every_refusal_names_the_record_and_the_field",
]


def _slow_rank(nodeid: str) -> int:
    for rank, prefix in enumerate(SLOW_FIRST):
        if nodeid == prefix or nodeid.startswith((prefix + "[", prefix + "::")):
            return rank
    return len(SLOW_FIRST)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: _slow_rank(item.nodeid))
    xdist_groups(config, items)


@pytest.fixture(autouse=True)
def _clear_cache():
    _forget_process_state()
    cache.clear()
    yield
    cache.clear()
    _forget_process_state()


class RateClock:
    """The clock django-ratelimit reads, held still for one test.

    Its windows are fixed and each client's ends at its own second of the
    minute, so a real clock lets a window end between a test's requests and
    start the count again (a CI run failed on exactly that). Tests move it on
    explicitly with :meth:`advance`; nothing else's time is touched."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def rate_clock(monkeypatch) -> RateClock:
    import django_ratelimit.core

    clock = RateClock()
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    return clock


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
    yield
    # Live-server threads and servers started on the test database may still
    # hold sessions; PostgreSQL refuses to drop a database in use, which
    # leaves it behind with a teardown warning. Close them first.
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


def _one_request_thread_class():
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    class OneRequestHandler(QuietWSGIRequestHandler):
        def handle(self):
            # Django's handler loops while the client keeps the connection
            # alive; this one answers once and lets the thread end.
            self.close_connection = True
            self.handle_one_request()

    class OneRequestServerThread(LiveServerThread):
        def _create_server(self, connections_override=None):
            return self.server_class(
                (self.host, self.port),
                OneRequestHandler,
                allow_reuse_address=False,
                connections_override=connections_override,
            )

    return OneRequestServerThread


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, whose request threads end with their
    request: a thread left waiting on a browser's kept-alive connection
    outlived the server and, once the browser closed it, used the test
    database's connection after the server had stopped sharing it."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    made = server.thread
    server.thread = _one_request_thread_class()(
        made.host,
        made.static_handler,
        connections_override=made.connections_override,
        port=made.port,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


class _InFlight:
    """The live server's application, counting the requests it is serving.
    A request still running when a transactional test's tables are emptied
    made the flush fail ("database table is locked": on SQLite in memory the
    server's threads share the test's connection)."""

    def __init__(self, app):
        self.app = app
        self.active = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.active += 1
        try:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()  # request_finished: connections given back
            return [body]
        finally:
            with self.lock:
                self.active -= 1

    def wait(self, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while self.active and time.monotonic() < deadline:
            time.sleep(0.02)


def _requests_counted(live_server) -> _InFlight:
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _InFlight):
        app = _InFlight(app)
        httpd.set_app(app)
    return app


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
    if "live_server" in request.fixturenames:
        # Torn down before the database is: a request the browser started
        # (a lock keep-alive, say) finishes before the tables are emptied.
        idle = _requests_counted(request.getfixturevalue("live_server"))
        request.addfinalizer(idle.wait)
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


@pytest.fixture
def publisher(db):
    """An editor who may publish (user "pub")."""
    from .factories import make_publisher

    return make_publisher()


@pytest.fixture
def publisher_client(publisher):
    """A client logged in as ``publisher``."""
    from django.test import Client

    client = Client()
    client.force_login(publisher)
    return client


@pytest.fixture
def editor_client(db):
    """A client logged in as an editor who may not publish (user "editor")."""
    from django.test import Client

    from .factories import make_editor

    client = Client()
    client.force_login(make_editor())
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
