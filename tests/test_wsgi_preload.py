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
from roles.core.release import release_id
print("config.urls" in sys.modules, "roles.catalogue.views" in sys.modules,
      release_id.cache_info().currsize)
"""


def _load_application(probe: str, **env: str) -> str:
    """What ``probe`` prints after importing config.wsgi in a process of its
    own, with the tests' settings and ``env``."""
    result = subprocess.run(
        [sys.executable, "-c", f"import config.wsgi\n{probe}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_loading_the_application_loads_the_urlconf_and_the_release():
    assert _load_application(PROBE).split() == ["True", "True", "1"]


def test_loading_the_application_survives_a_database_that_is_not_there(tmp_path):
    """Warming at start needs the database; without one (not migrated yet)
    the application still loads, says why, and leaves the build to the first
    request."""
    printed = _load_application(
        "from roles.publishing import cache; print(sorted(cache._memory.data))",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        DJANGO_DERIVED_WARM_AT_START="1",
    )
    assert "derived data not built at start" in printed
    assert printed.splitlines()[-1] == "[]"


def test_loading_the_application_warms_it_when_asked(tmp_path):
    """With a migrated database, the process that loads the application
    holds the derived data (the forked workers inherit it)."""
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database,
        },
        check=True,
        timeout=300,
    )
    printed = _load_application(
        "from roles.publishing import cache; print(sorted(cache._memory.data))",
        DATABASE_URL=database,
        DJANGO_DERIVED_WARM_AT_START="1",
    )
    assert printed.splitlines()[-1] == "['questionnaire', 'quiz-length', 'role-map']"


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
