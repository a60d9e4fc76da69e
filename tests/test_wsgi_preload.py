"""gunicorn's master loads the WSGI application before forking its workers:
what a worker's first request would load is loaded with it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .factories import RoleFactory, make_scenario

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import config.wsgi
from roles.core.release import release_id
print("config.urls" in sys.modules, "roles.catalogue.views" in sys.modules,
      release_id.cache_info().currsize)
"""


def test_loading_the_application_loads_the_urlconf_and_the_release():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "1"]


def test_loading_the_application_survives_a_database_that_is_not_there(tmp_path):
    """Warming at start needs the database; without one (not migrated yet)
    the application still loads, says why, and leaves the build to the
    first request."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_DERIVED_WARM_AT_START": "1",
    }
    probe = "import config.wsgi; from roles.publishing import cache; print(sorted(cache._memory.data))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_database_error_at_start_is_logged_and_builds_nothing(monkeypatch, caplog):
    from django.db import OperationalError

    from roles.publishing import cache as page_cache

    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(page_cache, "warm_derived", refused)
    assert page_cache.warm_process() == []
    assert "derived data not built at start: connection refused" in caplog.text


@pytest.mark.django_db
def test_warming_the_process_keeps_the_derived_data_and_closes_the_database(
    monkeypatch,
):
    """What the forked workers inherit: every registered kind of derived data
    at the current version, and no open database connection (closed after
    the warm-up; the test database itself ignores a close, so the call is
    what is checked)."""
    from roles.publishing import cache as page_cache

    closed: list[bool] = []
    monkeypatch.setattr(
        page_cache.connections, "close_all", lambda: closed.append(True)
    )
    make_scenario([{RoleFactory(): 3}, {RoleFactory(): 3}], key="first")
    page_cache.reset_process_memory()
    names = page_cache.warm_process()
    assert names == page_cache.derived_names() and names
    version = page_cache.current_version()
    kept = {name: v for name, (v, _) in page_cache._memory.data.items()}
    assert kept == dict.fromkeys(names, version)
    assert closed == [True]
