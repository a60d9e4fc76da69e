"""The one list of what is content.

Each model of the app says what it is where it is declared, with
``@content_model(...)`` or ``@not_content(...)``; everything that needs a list
of models reads it from here:

- content models' writes move the content version on (so cached pages and data
  are never stale); with ``history`` they are kept in django-reversion's
  history, with the children named in ``follow`` stored in the parent's
  revision;
- editors are granted add/change/delete/view on the models registered with
  ``editors="edit"`` (content models by default), view only with ``"view"``;
- ``draft_kind`` names the models edited through drafts (see
  ``roles.editorial.workflow.KIND_SPECS``, which a test checks against this);
- ``scheduled`` names the fields whose future times change what the public
  sees (a Publishable's publish and unpublish times, a scheduled draft's time).

A test fails when a model of the app is in neither list, so a new model is one
decorator in its own ``models.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from django.db.models import Model, Q

Access = Literal["edit", "view", "none"]
M = TypeVar("M", bound=type[Model])


@dataclass(frozen=True)
class Entry:
    model: type[Model]
    content: bool
    editors: Access
    history: bool = False
    follow: tuple[str, ...] = ()
    draft_kind: str | None = None
    #: (field, filter) pairs: future times in ``field`` of the rows matching
    #: ``filter`` change what the public sees.
    scheduled: tuple[tuple[str, Q], ...] = ()
    reason: str = ""


_entries: dict[type[Model], Entry] = {}


def _register(entry: Entry) -> None:
    if entry.model in _entries and _entries[entry.model] != entry:
        raise ValueError(f"{entry.model.__name__} is registered twice")
    _entries[entry.model] = entry


def content_model(
    *,
    follow: tuple[str, ...] = (),
    draft_kind: str | None = None,
    scheduled: tuple[str, ...] = (),
    history: bool = True,
    editors: Access = "edit",
) -> Callable[[M], M]:
    """Declare a model public content: its writes move the content version on;
    with ``history`` it is kept in the revision history."""

    def register(model: M) -> M:
        _register(
            Entry(
                model=model,
                content=True,
                editors=editors,
                history=history,
                follow=follow,
                draft_kind=draft_kind,
                scheduled=tuple((field, Q()) for field in scheduled),
            )
        )
        return model

    return register


def not_content(
    *,
    reason: str,
    editors: Access = "none",
    scheduled: tuple[tuple[str, Q], ...] = (),
) -> Callable[[M], M]:
    """Declare a model that holds no public content: its writes leave the page
    cache alone. ``reason`` says why, for the next reader."""

    def register(model: M) -> M:
        _register(
            Entry(
                model=model,
                content=False,
                editors=editors,
                scheduled=scheduled,
                reason=reason,
            )
        )
        return model

    return register


def entries() -> list[Entry]:
    return list(_entries.values())


def content_models() -> tuple[type[Model], ...]:
    return tuple(e.model for e in _entries.values() if e.content)


def not_content_models() -> tuple[type[Model], ...]:
    return tuple(e.model for e in _entries.values() if not e.content)


def history_models() -> list[Entry]:
    return [e for e in _entries.values() if e.history]


def entry_for(model: type[Model]) -> Entry | None:
    return _entries.get(model)


def draftable() -> dict[str, type[Model]]:
    return {e.draft_kind: e.model for e in _entries.values() if e.draft_kind}


def editor_models(access: Access) -> list[type[Model]]:
    return [e.model for e in _entries.values() if e.editors == access]


def scheduled_fields() -> list[tuple[type[Model], str, Q]]:
    return [(e.model, field, q) for e in _entries.values() for field, q in e.scheduled]
