"""The seed content, loaded once per test database instead of once per test.

`seed_content` takes seconds; the suite used to run it for every test that
asked for ``seeded``. Now each test database (one per xdist worker) is seeded
once, right after it is created, and every test starts from one of two states:

* seeded - tests that request ``seeded`` see the seed as `make run` loads it;
* empty  - every other database test sees what it always saw: the migrated
  database with no content. The rows the seed wrote are deleted at the start
  of the test. In an ordinary test that happens inside the test's own
  transaction, so the rollback at its end brings the seed back for free.

Transactional tests (live_server, ``transaction=True``) commit, and Django
empties every table after each of them. So the seeded database is copied once
into tables of its own (``CREATE TABLE seedcopy_x AS SELECT * FROM x``) and,
after each transactional test, copied back with ``INSERT ... SELECT``: every
table, content types and permissions included, as it was once seeded, so the
next test, transactional or not, starts from the seeded database again. Plain
SQL that PostgreSQL and SQLite both run, and the rows never leave the server.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

COPY_PREFIX = "seedcopy_"


def _tables() -> list[str]:
    """Every table of an installed model, many-to-many tables included."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.managed and not opts.proxy and opts.db_table not in tables:
            tables.append(opts.db_table)
    existing = set(connection.introspection.table_names())
    return [table for table in tables if table in existing]


def _counts(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


class SeededDatabase:
    """Made once per test database by the session's django_db_setup."""

    def __init__(self) -> None:
        self.seed_tables: list[str] = []  # empty once migrated, filled by the seed
        self.copied: dict[str, int] = {}  # table -> rows, of every non-empty table

    def seed(self) -> None:
        tables = _tables()
        before = _counts(tables)
        call_command("seed_content", verbosity=0)
        after = _counts(tables)
        grown = [t for t in tables if before[t] and after[t] != before[t]]
        if grown:
            # Emptying by deleting whole tables would then remove rows the
            # migrations made: teach empty() which rows are the seed's first.
            raise RuntimeError(f"the seed adds rows to tables migrations fill: {grown}")
        self.seed_tables = [t for t in tables if after[t] and not before[t]]
        self.copied = {t: n for t, n in after.items() if n}
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.copied:
                copy = quote(COPY_PREFIX + table)
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {quote(table)}")

    def empty(self) -> None:
        """Delete what the seed wrote: the database as migrations leave it.
        In one transaction, so foreign keys (deferred) are checked at the end."""
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.seed_tables:
                cursor.execute(f"DELETE FROM {quote(table)}")

    def is_intact(self) -> bool:
        """A cheap check that the seed is there (one table's row count)."""
        table = self.seed_tables[-1]
        return _counts([table])[table] == self.copied[table]

    def restore(self) -> None:
        """Every table back to its seeded rows, whatever a test committed."""
        from django.contrib.contenttypes.models import ContentType

        quote = connection.ops.quote_name
        flush = connection.ops.sql_flush(
            no_style(), _tables(), reset_sequences=False, allow_cascade=True
        )
        with transaction.atomic():
            connection.ops.execute_sql_flush(flush)
            with connection.cursor() as cursor:
                for table in self.copied:
                    cursor.execute(
                        f"INSERT INTO {quote(table)} "
                        f"SELECT * FROM {quote(COPY_PREFIX + table)}"
                    )
                # PostgreSQL: identity sequences past the restored ids.
                models = apps.get_models(include_auto_created=True)
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        # Content types are back with their seeded ids: forget the ids the
        # flush's post_migrate gave them.
        ContentType.objects.clear_cache()
