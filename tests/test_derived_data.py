"""Derived data (the questionnaire's model, the role map, the search index)
is built once per content version: several workers missing it at once wait
for the one building it, and a write builds it after commit, in the writer's
process, so no visitor's request has to."""

import threading
import time

import pytest
from django.test import override_settings

from roles.publishing import cache as page_cache
from roles.publishing.cache import versioned, warm_derived

from .factories import RoleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _forget_process_memory():
    """Another worker: nothing of this process's memory, the shared cache only."""
    page_cache.reset_process_memory()


def test_workers_missing_derived_data_together_build_it_once():
    builds = []
    started = threading.Event()

    def build():
        builds.append(1)
        started.set()
        time.sleep(0.4)
        return {"built": len(builds)}

    results = []

    def worker():
        results.append(versioned("slow-thing", build))

    first = threading.Thread(target=worker)
    first.start()
    started.wait(5)
    _forget_process_memory()  # the second worker shares only the cache
    second = threading.Thread(target=worker)
    second.start()
    first.join()
    second.join()
    assert len(builds) == 1
    assert results == [{"built": 1}, {"built": 1}]


@override_settings(DERIVED_BUILD_WAIT_SECONDS=0.3)
def test_a_builder_that_never_finishes_holds_nobody_up_for_long():
    from django.core.cache import cache

    version = page_cache.current_version()
    cache.add(f"build:data:{version}:stuck", 1, 60)  # a builder that died
    began = time.monotonic()
    assert versioned("stuck", lambda: "mine") == "mine"
    assert time.monotonic() - began < 2


def test_warm_derived_builds_every_registered_kind_for_the_current_version():
    built = []
    page_cache.register_derived("probe", lambda: built.append(1) or "probe data")
    try:
        warm_derived()
        assert built == [1]
        _forget_process_memory()
        assert versioned("probe", lambda: "rebuilt") == "probe data"
    finally:
        page_cache.unregister_derived("probe")


@override_settings(DERIVED_PREBUILD=True)
def test_a_content_write_builds_derived_data_after_commit_in_the_writer():
    built = []
    page_cache.register_derived("probe", lambda: built.append(1) or len(built))
    try:
        RoleFactory()  # a write: the content version moves on commit
        assert built, "nothing was built after the commit"
        version = page_cache.current_version()
        _forget_process_memory()
        assert versioned("probe", lambda: "visitor built it") == len(built)
        assert page_cache.current_version() == version
    finally:
        page_cache.unregister_derived("probe")


def test_the_questionnaire_is_registered_as_derived_data():
    assert {"questionnaire", "role-map"} <= set(page_cache.derived_names())


def test_the_warm_cache_command_builds_the_questionnaire_before_any_visitor():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("warm_cache", stdout=out)
    assert "questionnaire" in out.getvalue()
    _forget_process_memory()
    assert versioned("questionnaire", lambda: "visitor built it") != (
        "visitor built it"
    )


def test_warm_cache_says_when_the_cache_is_only_its_own_memory(settings):
    """With the local-memory cache (the embedded default) what the command
    builds dies with it: it says so rather than "ready"."""
    from io import StringIO

    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    out = StringIO()
    call_command("warm_cache", stdout=out)
    said = out.getvalue()
    assert "ready" not in said
    assert "local-memory" in said and "first request" in said


@override_settings(DERIVED_BUILD_WAIT_SECONDS=30)
def test_a_build_that_fails_lets_the_workers_waiting_for_it_go_at_once():
    """The database went away mid-build: the builder's error stands, and the
    workers waiting for its result stop waiting (they used to wait out the
    whole DERIVED_BUILD_WAIT_SECONDS, holding their threads, then fail)."""
    from django.db import OperationalError

    started = threading.Event()

    def failing():
        started.set()
        time.sleep(0.3)
        raise OperationalError("the database went away")

    errors, results = [], []

    def first():
        try:
            versioned("fragile", failing)
        except OperationalError as exc:
            errors.append(exc)

    builder = threading.Thread(target=first)
    builder.start()
    started.wait(5)
    _forget_process_memory()
    began = time.monotonic()
    results.append(versioned("fragile", lambda: "built by the next"))
    waited = time.monotonic() - began
    builder.join()
    assert len(errors) == 1
    assert results == ["built by the next"]
    assert waited < 10  # not the 30 s the claim would have held it


def test_derived_data_a_worker_kept_is_shared_again_once_the_cache_lost_it(settings):
    """Redis restarted (its data gone) while the workers kept the data in
    memory: they put it back, so a worker started since (during a database
    outage, say) finds it there instead of having to build it."""
    from django.core.cache import cache

    settings.DERIVED_SHARE_AGAIN_SECONDS = 0
    assert versioned("kept-thing", lambda: "first build") == "first build"
    cache.clear()  # Redis restarted
    assert versioned("kept-thing", lambda: "built again") == "first build"
    _forget_process_memory()  # a worker started since
    assert versioned("kept-thing", lambda: "built again") == "first build"
