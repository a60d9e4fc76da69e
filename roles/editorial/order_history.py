"""The history of a sortable list's order: every reorder (drag, typed order,
move to another page, restore) is recorded here, by one service, and an
earlier order is put back by one rule."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from roles.editorial.models import OrderChange, OrderHow


def restored_order(*, old: Sequence[int], current: Sequence[int]) -> list[int]:
    """``old`` put back over the rows there are now: the rows of ``old``
    that still exist in its order, then the rows added since in their
    current order (rows deleted since are left out)."""
    now = set(current)
    kept = [pk for pk in old if pk in now]
    known = set(kept)
    return kept + [pk for pk in current if pk not in known]


def order_fingerprint(rows: Sequence[tuple[int, object]]) -> str:
    """A short token of a list's order as a page draws it: each row's key
    and order number, in order. A page sends it back with a reorder, so a
    list changed in between (another publisher's move, a row added or
    removed) is told from the one the page showed."""
    text = ";".join(f"{pk}:{number}" for pk, number in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def order_change_record(
    *,
    model: type[models.Model],
    user: User | AnonymousUser | None,
    how: OrderHow,
    before: Sequence[int],
    after: Sequence[int],
    restored_from: OrderChange | None = None,
) -> OrderChange | None:
    """Record one change of ``model``'s list order; nothing when the order
    did not change (a typed order saved as it was, a drag back to its
    place)."""
    if list(before) == list(after):
        return None
    change = OrderChange(
        content_type=ContentType.objects.get_for_model(model),
        user=user if isinstance(user, User) else None,
        how=how,
        before=list(before),
        after=list(after),
        restored_from=restored_from,
    )
    change.full_clean()
    change.save()
    return change


@dataclass(frozen=True)
class NamedRow:
    """A row of an order as the history shows it: its name, or that it was
    deleted since."""

    pk: int
    name: str
    deleted: bool


@dataclass(frozen=True)
class OrderHistoryEntry:
    change: OrderChange
    before: list[NamedRow]
    after: list[NamedRow]
    moved: list[str]


#: How many changes a list's history page shows, the latest first.
HISTORY_LENGTH = 50


def moved_keys(*, before: Sequence[int], after: Sequence[int]) -> set[int]:
    """The rows that moved, as a reader would say it: the fewest rows whose
    moving turns ``before`` into ``after`` (the others keep their order
    relative to each other; they only shifted). One row dragged to the top
    is one row moved, not every row below it. Rows in only one of the two
    orders are left out."""
    was = {pk: n for n, pk in enumerate(before)}
    common = [pk for pk in after if pk in was]
    # The longest run of rows still in their old relative order (patience
    # sorting, O(n log n)); every row outside it moved.
    tails: list[int] = []  # the index in ``common`` ending each length's run
    previous: list[int | None] = [None] * len(common)
    for index, pk in enumerate(common):
        position = was[pk]
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if was[common[tails[middle]]] < position:
                low = middle + 1
            else:
                high = middle
        previous[index] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    stayed = set()
    cursor = tails[-1] if tails else None
    while cursor is not None:
        stayed.add(common[cursor])
        cursor = previous[cursor]
    return {pk for pk in common if pk not in stayed}


def _moved(before: list[NamedRow], after: list[NamedRow]) -> list[str]:
    """The rows that moved, where from and to, in the order after
    ("Leadership: 3 → 1")."""
    moved = moved_keys(
        before=[row.pk for row in before], after=[row.pk for row in after]
    )
    was = {row.pk: n for n, row in enumerate(before, start=1)}
    return [
        f"{row.name}: {was[row.pk]} → {n}"
        for n, row in enumerate(after, start=1)
        if row.pk in moved
    ]


def order_history(*, model: type[models.Model]) -> list[OrderHistoryEntry]:
    """The latest changes of ``model``'s order, each order in names (one
    query for the changes, one for the names)."""
    changes = list(
        OrderChange.objects.for_model(model).select_related("user", "restored_from")[
            :HISTORY_LENGTH
        ]
    )
    pks = {pk for change in changes for pk in (*change.before, *change.after)}
    names = {row.pk: str(row) for row in model._default_manager.filter(pk__in=pks)}

    def named(order: list[int]) -> list[NamedRow]:
        return [
            NamedRow(pk, names[pk], False)
            if pk in names
            else NamedRow(pk, f"(deleted since, id {pk})", True)
            for pk in order
        ]

    entries = []
    for change in changes:
        before, after = named(change.before), named(change.after)
        entries.append(OrderHistoryEntry(change, before, after, _moved(before, after)))
    return entries
