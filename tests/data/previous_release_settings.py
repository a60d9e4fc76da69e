"""The test settings, with the roles app's migrations as the previous release
shipped them (before the squash): tests/test_migrations_upgrade.py builds a
database with these, then upgrades it with the real migrations."""

from config.settings.test import *  # noqa: F403

MIGRATION_MODULES = {"roles": "tests.data.previous_release_migrations"}
