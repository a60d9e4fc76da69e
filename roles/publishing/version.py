"""The content version: one database row that every content change bumps in the
same transaction as the change itself.

Cached pages and data are keyed by it. Because it lives in the database, not
the cache, nothing that happens to the cache (a flush, a restart, a restore from
an older snapshot, a second process with its own local-memory cache) can bring
an older page back: every process reads the one committed number.

So that a cache hit needs no query, the committed number is mirrored to the
cache (``VERSION_MIRROR_KEY``): cleared in the writing transaction and set
from the database once it commits (``mirror_after_commit``). A reader that
finds the key missing reads the database and puts it back with ``add``, which
never overwrites what a writer set meanwhile. The mirror is trusted for
``CONTENT_VERSION_MIRROR_SECONDS`` only (its expiry, and the time stamped in
it), which bounds the one fault the cache cannot see: Redis restored from an
older snapshot (see ``roles.publishing.cache``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from roles.publishing.registry import not_content

SINGLETON = 1


@not_content(reason="The version itself: bumping it must not bump it again.")
class ContentVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    value = models.PositiveBigIntegerField(default=1)
    # When the next scheduled change (a publish or expiry time) falls due; it
    # is worked out lazily after each bump (schedule_known False until then).
    next_change_at = models.DateTimeField(null=True, blank=True)
    schedule_known = models.BooleanField(default=False)
    # Since when the schedule has been unknown: a scheduled time that passed
    # after this, before the schedule was worked out again, is still due (a
    # page may have been cached before it). Set with schedule_known False.
    schedule_unknown_since = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"Content version {self.value}"


def _schedule_unknown() -> dict[str, object]:
    """The fields that mark the schedule as to be worked out again, from now."""
    return {
        "schedule_known": False,
        "next_change_at": None,
        "schedule_unknown_since": timezone.now(),
    }


def bump_content_version() -> None:
    """Move the content version on, inside the caller's transaction, so the new
    number becomes visible exactly when the change it stands for does."""
    updated = ContentVersion.objects.filter(pk=SINGLETON).update(
        value=F("value") + 1, **_schedule_unknown()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=SINGLETON, defaults={"value": 2})
    mirror_after_commit()


VERSION_MIRROR_KEY = "content-version"
# The version last read from the database by any process, kept without expiry
# (unlike the mirror, and never trusted while the database answers): what is
# left to go by while the database is down (roles.publishing.cache).
LAST_KNOWN_KEY = "content-version-last-known"


def mirror_after_commit() -> None:
    """The version moved on in the current transaction: clear the mirror now
    (a reader then goes to the database, which shows it the committed number)
    and set it from the database once the transaction commits. Once per
    transaction, however many rows it writes (a seed or an import); cleared
    at each, as a read in the transaction itself may have put it back."""
    cache.delete(VERSION_MIRROR_KEY)
    connection = transaction.get_connection()
    if connection.in_atomic_block and _pending_mirrors(connection):
        return
    transaction.on_commit(_mirror_committed)


def _pending_mirrors(connection) -> list[set]:
    """The savepoints that were open when this transaction's pending
    ``_mirror_committed`` callback was registered (at most one: see above)."""
    return [
        sids for sids, func, _ in connection.run_on_commit if func is _mirror_committed
    ]


def uncommitted_change() -> bool:
    """Whether the current transaction has moved the version on and not yet
    committed: what it reads is its own, nobody else's yet, so it must not be
    shared (mirrored, or cached under a version). A savepoint rolled back
    takes its on-commit callback, and so its change, with it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    pending = _pending_mirrors(connection)
    blocks = connection.atomic_blocks
    if not pending or not getattr(blocks[0], "_from_testcase", False):
        return bool(pending)
    # Under a test case (Django's TestCase, pytest-django's ``db``) the
    # outermost transactions are the test's own and stand for autocommit, as
    # Django's durable check treats them: a change is uncommitted only inside
    # a transaction that the code under test opened. (savepoint_ids[i] is the
    # savepoint of atomic_blocks[i + 1]; an on-commit callback carries the
    # savepoints open when it was registered.)
    opened = {
        sid
        for block, sid in zip(blocks[1:], connection.savepoint_ids, strict=False)
        if sid and not getattr(block, "_from_testcase", False)
    }
    return any(sids & opened for sids in pending)


# Called once a transaction that moved the version has committed, after the
# mirror is set (the page cache registers its rebuild of derived data here,
# which this module cannot import).
after_commit_hooks: list[Callable[[], None]] = []


def _mirror_committed() -> None:
    """Set the mirror to the committed number, then read it again: if another
    writer committed meanwhile (and its own set may have landed before ours),
    set the newer one, until the two agree. Then run the after-commit hooks."""
    _set_mirror()
    for hook in after_commit_hooks:
        hook()


def _set_mirror() -> None:
    mirrored = None
    for _ in range(5):
        row = ContentVersion.objects.filter(pk=SINGLETON).values_list("value").first()
        if row is None or row[0] == mirrored:
            return
        mirrored = row[0]
        cache.set(VERSION_MIRROR_KEY, (mirrored, time.time()), _mirror_seconds())
        cache.set(LAST_KNOWN_KEY, mirrored, None)
    cache.delete(VERSION_MIRROR_KEY)  # still moving: let readers ask the database


def mirror_prime(version: int) -> None:
    """A reader found no mirror and read ``version`` from the database: put it
    back, unless a writer has set a (newer) one meanwhile."""
    cache.add(VERSION_MIRROR_KEY, (version, time.time()), _mirror_seconds())
    # A set, not an add: it must follow the database. A reader racing a
    # writer may leave the older number for a moment; the writer's own set
    # (_set_mirror) and the next reader put it right.
    cache.set(LAST_KNOWN_KEY, version, None)


def mirrored_version(value: object) -> int | None:
    """The version a mirror entry holds, or None when there is none or it is
    older than ``CONTENT_VERSION_MIRROR_SECONDS`` (stamped in the entry as
    well as its expiry, so a restored snapshot is not trusted either way)."""
    if not (isinstance(value, tuple) and len(value) == 2):
        return None
    version, stamped_at = value
    age = time.time() - stamped_at
    if not isinstance(version, int) or not 0 <= age < _mirror_seconds():
        return None
    return version


def _mirror_seconds() -> float:
    return settings.CONTENT_VERSION_MIRROR_SECONDS


def read_content_version() -> tuple[int, bool, datetime | None, datetime | None]:
    """(version, schedule known, next scheduled change, since when the
    schedule has been unknown) in one query."""
    row = (
        ContentVersion.objects.filter(pk=SINGLETON)
        .values_list(
            "value", "schedule_known", "next_change_at", "schedule_unknown_since"
        )
        .first()
    )
    if row is None:
        ContentVersion.objects.get_or_create(pk=SINGLETON)
        return 1, False, None, None
    return row


def read_version_value() -> int:
    """The version alone, as cheaply as the database allows: one prepared
    statement's worth of SQL, no ORM query to build (this runs for every page
    while Redis is down)."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = %s", [SINGLETON])
        row = cursor.fetchone()
    return row[0] if row is not None else read_content_version()[0]


def record_schedule(version: int, next_change_at: datetime | None) -> None:
    """Remember the next scheduled change for ``version``; a no-op if content
    changed meanwhile (the newer version works out its own)."""
    ContentVersion.objects.filter(pk=SINGLETON, value=version).update(
        schedule_known=True, next_change_at=next_change_at
    )


def bump_if_due(version: int) -> bool:
    """Bump once when a scheduled time has passed: only the first process to
    see it moves the version on (the update is conditional on the number)."""
    moved = bool(
        ContentVersion.objects.filter(pk=SINGLETON, value=version).update(
            value=F("value") + 1, **_schedule_unknown()
        )
    )
    if moved:
        mirror_after_commit()
    return moved


def schedule_changed() -> None:
    """A scheduled time was set or cleared without a content change (a draft
    scheduled or withdrawn): work the next scheduled change out again."""
    ContentVersion.objects.filter(pk=SINGLETON).update(**_schedule_unknown())
