"""Content version: any change to content bumps one database row in the same
transaction (see ``models.version``). Cached pages and data are keyed by it, so
the next request after a change never sees the old page, whatever the cache
holds. Bulk writes bump it through ``ContentQuerySet``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.db.models.signals import post_delete, post_save

from roles.publishing import registry
from roles.publishing.version import bump_content_version

__all__ = ["bump_content_version", "connect", "is_staging", "staging"]


# Set while a draft is applied in a transaction that is rolled back (form,
# preview): nothing changes for the public, so nothing is invalidated.
_staging: ContextVar[bool] = ContextVar("content_staging", default=False)


@contextmanager
def staging() -> Iterator[None]:
    token = _staging.set(True)
    try:
        yield
    finally:
        _staging.reset(token)


def is_staging() -> bool:
    return _staging.get()


def _on_change(sender, **kwargs) -> None:
    if _staging.get():
        return
    bump_content_version()


def connect() -> None:
    """Wire every registered model (see ``registry``): content writes move the
    version on; content with history is kept in django-reversion, a parent's
    revision holding the children it follows. Called once from AppConfig.ready,
    after every models module has registered its models."""
    for entry in registry.entries():
        if not entry.content:
            continue
        name = entry.model.__name__
        post_save.connect(
            _on_change, sender=entry.model, dispatch_uid=f"cv-save-{name}"
        )
        post_delete.connect(
            _on_change, sender=entry.model, dispatch_uid=f"cv-delete-{name}"
        )
        if entry.history:
            # The registry says what a revision holds. The admin's
            # VersionAdmin registers each model it shows, with only the
            # children it shows as inlines, before this runs (admin is
            # ready first): an option's points, two levels below a
            # question, were then never kept, and reverting a question
            # kept today's.
            if reversion.is_registered(entry.model):
                reversion.unregister(entry.model)
            reversion.register(entry.model, follow=entry.follow)
