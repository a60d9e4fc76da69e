"""A database outage, end to end: the production settings under gunicorn
(tests/browser/production_server.py, with its own Redis) against a PostgreSQL
cluster of the test's own (tests/pg_cluster.py), which the test stops and
starts while the site runs. Skipped, with the reason, where PostgreSQL's
server binaries or redis-server are missing."""

from __future__ import annotations

import json
import time

import pytest

from .browser.production_server import ProductionServer

# The test database of pytest-django is not used: the site runs in gunicorn.
QUICK = 5.0  # seconds: an answer, not a hang (gunicorn's timeout is 30)


def test_the_cluster_stops_starts_and_is_killed_and_removed_at_teardown(tmp_path):
    import psycopg

    from .pg_cluster import PostgresCluster

    def query() -> int:
        with psycopg.connect(cluster.url, connect_timeout=3) as conn:
            return conn.execute("SELECT 1").fetchone()[0]

    cluster = PostgresCluster(tmp_path)
    try:
        cluster.init()
        cluster.start()
        cluster.create_database()
        assert query() == 1
        cluster.stop()
        with pytest.raises(psycopg.OperationalError):
            query()
        cluster.start()
        assert query() == 1
        pid, root = cluster.pid, cluster.root
    finally:
        cluster.destroy()  # what the fixture's teardown does
    cluster.pid = pid
    assert not cluster.running(), f"postgres {pid} outlived the teardown"
    assert not root.exists()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collected once for this module's servers (this worker's own folder)."""
    return tmp_path_factory.mktemp("outage-static")


@pytest.fixture
def site(pg_cluster, tmp_path, static_root):
    """Migrated and seeded by the production image's own commands."""
    web = tmp_path / "web"
    web.mkdir()
    server = ProductionServer(web, database_url=pg_cluster.url, static_root=static_root)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _timed_get(site: ProductionServer, path: str) -> tuple[int, str, float]:
    started = time.monotonic()
    status, body = site.get(path)
    return status, body, time.monotonic() - started


def _health(site: ProductionServer) -> tuple[int, dict, float]:
    status, body, seconds = _timed_get(site, "/healthz/")
    return status, json.loads(body), seconds


def test_healthz_is_503_while_postgres_is_down_and_200_once_it_is_back(
    site, pg_cluster
):
    status, body, _ = _health(site)
    assert (status, body["database"], body["status"]) == (200, "ok", "ok")
    assert site.get("/roles/")[0] == 200

    pg_cluster.stop()
    # Each of gunicorn's workers (2) and threads: every one notices, none hangs.
    for _ in range(6):
        status, body, seconds = _health(site)
        assert seconds < QUICK, f"/healthz/ took {seconds:.1f} s with the database down"
        assert status == 503, body
        assert body == {"status": "error", "database": "error", "cache": "ok"}

    pg_cluster.start()
    deadline = time.monotonic() + 10
    while (status := _health(site)[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200
    for _ in range(6):  # every worker reconnected
        status, body, _ = _health(site)
        assert (status, body["database"]) == (200, "ok")
    assert site.get("/roles/")[0] == 200


# Served from the shared page cache for anonymous GETs (README, "Caching").
CACHED_PAGES = [
    "/",
    "/roles/",
    "/roles/product-owner/",
    "/compare/product-manager-vs-product-owner/",
]


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason=(
        "known, another issue's: with PostgreSQL down every page answers 500, "
        "cached ones too, because the page cache's key carries the content "
        "version, which is read from the database before the cache is asked "
        "(roles/publishing/cache.py). Remove this mark when they answer the "
        "cached copy or a 503."
    ),
)
def test_cached_pages_answer_without_a_500_while_postgres_is_down(site, pg_cluster):
    for path in CACHED_PAGES:
        assert site.get(path)[0] == 200  # rendered and cached
        assert site.get(path)[0] == 200  # from the cache
    pg_cluster.stop()
    answers = {}
    for path in CACHED_PAGES:
        status, _, seconds = _timed_get(site, path)
        assert seconds < QUICK, (path, seconds)
        answers[path] = status
    assert set(answers.values()) <= {200, 503}, answers
