"""The roles app's migrations as the previous release shipped them (13 files,
before the squash), kept as test data: tests/test_migrations_upgrade.py builds
a database at that release's schema with them. Their RunPython code imports
the frozen copy of roles.permissions beside them, not the live module."""
