"""The static files storage (roles.core.storage) keeps each name's address
once worked out, and forgets it when collectstatic hashes the files again or
when DEBUG decides between hashed and plain names."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

from roles.core.storage import StaticFilesStorage


def _settings(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    return source, override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "roles.core.storage.StaticFilesStorage"},
        },
        STATIC_ROOT=tmp_path / "root",
        STATICFILES_DIRS=[source],
        # Only these files, not every app's (the admin's, ...): quick.
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATIC_URL="/static/",
        DEBUG=False,
    )


def test_an_address_follows_the_files_after_collectstatic_runs_again(tmp_path):
    source, settings = _settings(tmp_path)
    (source / "site.css").write_text("body { color: red }")
    with settings:
        call_command("collectstatic", interactive=False, verbosity=0)
        first = staticfiles_storage.url("site.css")
        assert first.startswith("/static/site.") and first.endswith(".css")
        assert first != "/static/site.css"  # hashed
        assert staticfiles_storage.url("site.css") == first  # kept
        (source / "site.css").write_text("body { color: blue }")
        call_command("collectstatic", interactive=False, verbosity=0)
        second = staticfiles_storage.url("site.css")
        assert second != first
        assert second.startswith("/static/site.") and second.endswith(".css")
        # What a fresh process (a new storage reading the manifest) gives.
        assert StaticFilesStorage().url("site.css") == second


def test_debug_decides_between_hashed_and_plain_names(tmp_path):
    source, settings = _settings(tmp_path)
    (source / "site.js").write_text("1;")
    with settings:
        call_command("collectstatic", interactive=False, verbosity=0)
        storage = StaticFilesStorage()
        hashed = storage.url("site.js")
        assert hashed != "/static/site.js"
        with override_settings(DEBUG=True):
            assert storage.url("site.js") == "/static/site.js"
        assert storage.url("site.js") == hashed


def test_production_settings_use_it():
    from config.settings import base

    assert (
        base.STORAGES["staticfiles"]["BACKEND"]
        == "roles.core.storage.StaticFilesStorage"
    )
