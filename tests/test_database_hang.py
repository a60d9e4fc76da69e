"""A database that stops answering on a connection already open (a lock held
elsewhere, an overloaded server) does not hold a worker until gunicorn's
timeout: the server cancels the statement (statement_timeout) and the visitor
gets the site's 503 page with Retry-After. A host that stops acknowledging is
given up by the client's TCP timeouts (config/settings/base.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def _options(env: dict[str, str]) -> dict:
    """The database OPTIONS the settings build from the environment."""
    code = (
        "import json, django; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_DATA")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_time_out_statements_and_dead_hosts():
    url = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}
    options = _options(url)
    assert options["options"] == "-c statement_timeout=10000"
    assert options["connect_timeout"] == 3
    assert options["keepalives"] == 1 and options["tcp_user_timeout"] == 10_000
    tuned = _options({**url, "DJANGO_DATABASE_STATEMENT_TIMEOUT_MS": "2500"})
    assert tuned["options"] == "-c statement_timeout=2500"
    # SQLite has no server to cancel anything: nothing of this is passed.
    assert "options" not in _options({"DATABASE_URL": "sqlite:///:memory:"})


@pytest.mark.django_db(transaction=True)
def test_a_statement_stuck_behind_a_lock_gets_the_503_page_quickly(seeded):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): row and table locks"
        )
    import psycopg

    # The configured timeout is 10 s; this test's connection gets 1 s, so the
    # test is quick (the wiring of the setting is checked above).
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 1000")
    try:
        status, retry_after, seconds = _get_behind_a_table_lock(psycopg)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    assert status == 503, status
    assert retry_after
    assert seconds < 5, seconds


def _get_behind_a_table_lock(psycopg) -> tuple[int, str, float]:
    params = connection.get_connection_params()
    for own in ("options", "cursor_factory", "context"):
        params.pop(own, None)
    with psycopg.connect(**params) as other:
        other.execute("LOCK TABLE roles_role IN ACCESS EXCLUSIVE MODE")
        # Should the page not give up, the lock goes after 8 s (and the test
        # fails on the time) rather than the test hanging for ever.
        release = threading.Timer(8, other.rollback)
        release.start()
        started = time.monotonic()
        # An address no cache holds: the page must be rendered from the database.
        response = Client(raise_request_exception=False).get(
            "/roles/product-owner/", {"fresh": str(time.time_ns())}
        )
        seconds = time.monotonic() - started
        release.cancel()
        other.rollback()
    return response.status_code, response.get("Retry-After", ""), seconds
