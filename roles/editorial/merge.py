"""Three versions of one record's content document, field by field: the
version an edit started from (``base``), the version saved since by someone
else (``theirs``) and the edit (``yours``). Used for the side-by-side of a
refused save and for rebasing a stale draft on the live record. Pure: plain
data in, plain data out."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal

from roles.editorial.docdiff import (
    LIST_GROUPS,
    field_label,
    rewritten_rows,
    row_identity,
    row_name,
    show_value,
)

Doc = dict[str, Any]
Side = Literal["theirs", "yours"]


@dataclass(frozen=True)
class FieldMerge:
    """One top-level field that at least one side changed."""

    field: str
    label: str
    base: Any
    theirs: Any
    yours: Any

    @property
    def theirs_changed(self) -> bool:
        return bool(self.theirs != self.base)

    @property
    def yours_changed(self) -> bool:
        return bool(self.yours != self.base)

    @property
    def conflict(self) -> bool:
        """Both sides changed the field, to different values, and not in
        different rows of a list or different fields of a row
        (``merge_rows``): a row field both changed differently is one."""
        return (
            self.theirs_changed
            and self.yours_changed
            and self.theirs != self.yours
            and (self.merged is None or bool(self.clashes))
        )

    @property
    def clashes(self) -> dict[int, tuple[str, ...]]:
        """The fields of each row of a list of rows (by its place in
        ``base``) both sides changed, differently."""
        if not (self.theirs_changed and self.yours_changed):
            return {}
        return row_clashes(self.field, self.base, self.theirs, self.yours)

    def merged_as(self, prefer: Side) -> Any:
        """``merged``, with ``prefer``'s value in each row field both sides
        changed differently (``merged`` itself takes yours there)."""
        if not (self.theirs_changed and self.yours_changed):
            return None
        if _rows_of(self.field, self.base, self.theirs, self.yours) is not None:
            return merge_rows(self.field, self.base, self.theirs, self.yours, prefer)
        return merge_values(self.base, self.theirs, self.yours)

    @property
    def merged(self) -> Any:
        """Both sides' changes taken together: to a list of rows row by row
        and a row field by field, yours where both changed a row's field
        (``merge_rows``), to a plain list as a set and to a mapping key by
        key (``merge_values``); None where they cannot be (a conflict), or
        for a single value."""
        return self.merged_as("yours")

    @property
    def rows(self) -> list[RowMerge]:
        """What differs, as the side-by-side lists it: the rows of a list of
        rows that differ on either side (and its order, if a side moved
        rows), or the whole field as one row."""
        rows = _differing_rows(
            self.field, self.label, self.base, self.theirs, self.yours
        )
        if rows is not None:
            return rows
        return [
            RowMerge(
                self.label,
                self.base_text,
                self.theirs_text,
                self.yours_text,
                self.theirs_changed,
                self.yours_changed,
                self.conflict,
            )
        ]

    @property
    def theirs_text(self) -> str:
        return show_value(self.theirs)

    @property
    def yours_text(self) -> str:
        return show_value(self.yours)

    @property
    def base_text(self) -> str:
        return show_value(self.base)


@dataclass(frozen=True)
class RowMerge:
    """One row of a side-by-side: a row of a list that differs on either
    side (or the list's order), or a whole field."""

    label: str
    base_text: str
    theirs_text: str
    yours_text: str
    theirs_changed: bool
    yours_changed: bool
    conflict: bool
    #: The fields of the row both sides changed, differently, as labelled.
    clashing: tuple[str, ...] = ()


def merge_row(
    base: Doc, theirs: Doc, yours: Doc, prefer: Side = "yours"
) -> tuple[Doc, tuple[str, ...]]:
    """One row both sides changed, taken together field by field: a field
    only one side changed takes that side; a plain list or mapping both
    changed is merged (``merge_values``); a field both changed differently
    otherwise takes ``prefer``'s value and is named among the clashes."""
    out: Doc = {}
    clashes: list[str] = []
    for name in dict.fromkeys([*base, *theirs, *yours]):
        b = base.get(name, _MISSING)
        t, y = theirs.get(name, _MISSING), yours.get(name, _MISSING)
        if t in (b, y):
            value = y
        elif y == b:
            value = t
        elif (merged := merge_values(b, t, y)) is not None:
            value = merged
        else:
            clashes.append(name)
            value = y if prefer == "yours" else t
        if value is not _MISSING:
            out[name] = value
    return out, tuple(clashes)


def merge_rows(
    field: str, base: Any, theirs: Any, yours: Any, prefer: Side = "yours"
) -> list[Doc] | None:
    """Two edits of one list of rows taken together, row by row: a row only
    one side changed, added or removed takes that side; a row both changed
    is taken together field by field (``merge_row``: ``prefer``'s value
    where both changed a field differently); the order is the one side that
    reordered (theirs when you did not). Rows are matched as the
    side-by-side matches them (``_aligned``): by their key, or in their
    place where a side rewrote the key itself (a responsibility's text).
    None where the rows cannot be told apart, or one side removed a row the
    other changed, or both reordered the list: that is a conflict for the
    editor to settle."""
    identity = _rows_of(field, base, theirs, yours)
    lists = (base, theirs, yours)
    if identity is None or any(
        len({identity(r) for r in rows}) != len(rows) for rows in lists
    ):
        return None
    t_rows, t_new = _aligned(field, identity, base, theirs)
    y_rows, y_new = _aligned(field, identity, base, yours)
    # Each row by its slot: a row of base by its place there (whatever a
    # side rewrote it to), a new row by its key.
    kept: dict[Hashable, Doc] = {}
    for i, row in enumerate(base):
        t, y = t_rows[i], y_rows[i]
        if t != row and y != row and t != y:
            if t is None or y is None:
                return None  # one removed the row the other changed
            merged: Doc | None = merge_row(row, t, y, prefer)[0]
        else:
            merged = y if y != row else t
        if merged is not None:
            kept[("base", i)] = merged
    t_added = {identity(r): r for r in t_new}
    y_added = {identity(r): r for r in y_new}
    for key in dict.fromkeys([*t_added, *y_added]):
        if key in t_added and key in y_added and t_added[key] != y_added[key]:
            return None  # added by both, not alike
        kept[("new", key)] = y_added.get(key) or t_added[key]

    def slots(side: list[Doc], matched: dict[int, Doc | None]) -> list[Hashable]:
        place = {id(r): ("base", i) for i, r in matched.items() if r is not None}
        return [place.get(id(r), ("new", identity(r))) for r in side]

    ids: list[list[Hashable]] = [[("base", i) for i in range(len(base))]]
    ids += [slots(theirs, t_rows), slots(yours, y_rows)]
    b, t_ids, y_ids = (set(i) for i in ids)

    def order(side: list[Hashable]) -> list[Hashable]:
        return [n for n in side if n in b]

    base_order = order(ids[0])
    t_moved = [n for n in order(ids[1]) if n in y_ids] != [
        n for n in base_order if n in t_ids and n in y_ids
    ]
    y_moved = [n for n in order(ids[2]) if n in t_ids] != [
        n for n in base_order if n in t_ids and n in y_ids
    ]
    if t_moved and y_moved:
        return None
    leading = ids[1] if t_moved else ids[2]
    trailing = ids[2] if t_moved else ids[1]
    sequence = [n for n in leading if n in kept]
    for n in trailing:  # what only the other side added, after its neighbour
        if n in kept and n not in sequence:
            before = trailing[: trailing.index(n)]
            at = max(
                (sequence.index(p) + 1 for p in before if p in sequence), default=0
            )
            sequence.insert(at, n)
    merged_rows = [kept[n] for n in sequence]
    if len({identity(r) for r in merged_rows}) != len(merged_rows):
        return None  # two rows now alike (one rewritten as the other added)
    return merged_rows


def merge_values(base: Any, theirs: Any, yours: Any) -> Any:
    """Two edits of a list without row identity (a comparison's roles, a
    role's related roles) or of a mapping (who each role suits, points per
    role), taken together so neither side's edit is lost; None where they
    clash, or for anything else.

    A list is merged as a set: what either side added or removed is added
    or removed. Its order is theirs, with your additions after it - or
    yours, with theirs after it, where only you moved values; both moved
    them differently is a clash. Lists with a value twice, or of values
    that cannot be told apart (rows without a key), are a clash. A mapping
    is merged key by key: a key only one side changed takes that side; both
    changed it differently is a clash."""
    if isinstance(base, dict) and isinstance(theirs, dict) and isinstance(yours, dict):
        return _merge_mapping(base, theirs, yours)
    lists = (base, theirs, yours)
    if not all(
        isinstance(values, list)
        and all(isinstance(v, str | int | float | bool) for v in values)
        and len(set(values)) == len(values)
        for values in lists
    ):
        return None
    removed = (set(base) - set(theirs)) | (set(base) - set(yours))
    everywhere = set(base) & set(theirs) & set(yours)

    def moved(side: list[Any]) -> bool:
        return [v for v in side if v in everywhere] != [
            v for v in base if v in everywhere
        ]

    t_moved, y_moved = moved(theirs), moved(yours)
    if (
        t_moved
        and y_moved
        and [v for v in theirs if v in everywhere]
        != [v for v in yours if v in everywhere]
    ):
        return None
    leading, trailing = (yours, theirs) if y_moved and not t_moved else (theirs, yours)
    out = [v for v in leading if v not in removed]
    return out + [v for v in trailing if v not in base and v not in out]


_MISSING = object()


def _merge_mapping(base: Doc, theirs: Doc, yours: Doc) -> Doc | None:
    """Key by key, as a row's fields (``merge_row``); None where both sides
    changed (or one removed) the same key differently."""
    merged, clashes = merge_row(base, theirs, yours)
    return None if clashes else merged


def _aligned(
    field: str, identity: Callable[[Doc], Hashable], base: list[Doc], side: list[Doc]
) -> tuple[dict[int, Doc | None], list[Doc]]:
    """``side``'s version of each row of ``base`` (by its place there; None
    where the side deleted it) - the row of the same key or, where the side
    changed the key itself (a responsibility is told apart by its text), the
    new row it has in its place on the page (``rewritten_rows``: under the
    same heading, between the same rows, wherever the document's order put
    it) - and the side's other new rows."""
    by_key = {identity(row): row for row in side}
    rewrites = rewritten_rows(identity, LIST_GROUPS.get(field), base, side)
    by_old_key = {old: by_key[new] for new, old in rewrites.items()}
    matched: dict[int, Doc | None] = {}
    used: set[int] = set()
    for i, row in enumerate(base):
        key = identity(row)
        mine = by_key.get(key)
        if mine is None:
            mine = by_old_key.get(key)  # rewritten in its place
        if mine is not None:
            used.add(id(mine))
        matched[i] = mine
    return matched, [row for row in side if id(row) not in used]


def _rows_of(field: str, *lists: Any) -> Callable[[Doc], Hashable] | None:
    """How the rows of ``field`` are told apart, if all ``lists`` are lists
    of rows (None: not a list of rows)."""
    identity = row_identity(field)
    if identity is None or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        for rows in lists
    ):
        return None
    return identity


def row_clashes(
    field: str, base: Any, theirs: Any, yours: Any
) -> dict[int, tuple[str, ...]]:
    """The fields of each row of a list of rows (by its place in ``base``)
    both sides changed differently (``merge_row``); empty for a list whose
    rows cannot be told apart."""
    identity = _rows_of(field, base, theirs, yours)
    if identity is None:
        return {}
    t_rows, _ = _aligned(field, identity, base, theirs)
    y_rows, _ = _aligned(field, identity, base, yours)
    out: dict[int, tuple[str, ...]] = {}
    for i, row in enumerate(base):
        t, y = t_rows[i], y_rows[i]
        if t is None or y is None or t in (row, y) or y == row:
            continue
        if clashes := merge_row(row, t, y)[1]:
            out[i] = clashes
    return out


def untouched_rows_theirs(
    field: str, base: Any, theirs: Any, yours: Any
) -> dict[int, Doc]:
    """The rows of a list (by their place in ``base``) that ``yours`` left as
    they were and ``theirs`` changed, each with their version of it
    (``_aligned``): what a refused form shows in those rows, as it shows
    their text in a plain field you left alone. Rows either side deleted,
    and lists whose rows cannot be told apart, are left out."""
    identity = _rows_of(field, base, theirs, yours)
    if identity is None:
        return {}
    mine, _ = _aligned(field, identity, base, theirs)
    out: dict[int, Doc] = {}
    for i, row in enumerate(base):
        if row in yours and (theirs_row := mine[i]) is not None and theirs_row != row:
            out[i] = theirs_row
    return out


def _row_text(row: Doc | None) -> str:
    return "removed" if row is None else show_value(row)


def _differing_rows(
    field: str, label: str, base: Any, theirs: Any, yours: Any
) -> list[RowMerge] | None:
    """The rows of a list of rows that differ on either side; None when the
    field is not a list of rows on all three."""
    identity = _rows_of(field, base, theirs, yours)
    if identity is None:
        return None
    t_rows, t_new = _aligned(field, identity, base, theirs)
    y_rows, y_new = _aligned(field, identity, base, yours)
    out: list[RowMerge] = []
    clashes = row_clashes(field, base, theirs, yours)
    for i, row in enumerate(base):
        t, y = t_rows[i], y_rows[i]
        if t != row or y != row:
            # Both changed it: a clash where one removed it or they changed
            # one of its fields differently, not where they changed others.
            removed = t != row and y != row and t != y and (t is None or y is None)
            out.append(
                RowMerge(
                    f"{label}: {row_name(field, row)}",
                    show_value(row),
                    _row_text(t),
                    _row_text(y),
                    t != row,
                    y != row,
                    removed or i in clashes,
                    tuple(field_label(n) for n in clashes.get(i, ())),
                )
            )
    added_y = {identity(row): row for row in y_new}
    for row in t_new:
        mine = added_y.pop(identity(row), None)
        out.append(
            RowMerge(
                f"{label}, added: {row_name(field, row)}",
                show_value(None),
                show_value(row),
                show_value(mine) if mine is not None else "",
                True,
                mine is not None,
                mine is not None and mine != row,
            )
        )
    for row in added_y.values():
        out.append(
            RowMerge(
                f"{label}, added: {row_name(field, row)}",
                show_value(None),
                "",
                show_value(row),
                False,
                True,
                False,
            )
        )

    def order(rows: list[Doc]) -> list[Hashable]:
        return [identity(row) for row in rows]

    def moved(side: list[Doc], matched: dict[int, Doc | None]) -> bool:
        # Rows the side kept, in its order, against the base's.
        kept = [id(row) for row in matched.values() if row is not None]
        return [id(row) for row in side if id(row) in kept] != kept

    t_moved, y_moved = moved(theirs, t_rows), moved(yours, y_rows)
    if t_moved or y_moved:
        out.append(
            RowMerge(
                f"{label}: order",
                "\n".join(str(k) for k in order(base)),
                "\n".join(str(k) for k in order(theirs)) if t_moved else "",
                "\n".join(str(k) for k in order(yours)) if y_moved else "",
                t_moved,
                y_moved,
                t_moved and y_moved and order(theirs) != order(yours),
            )
        )
    return out


def three_way(base: Doc, theirs: Doc, yours: Doc) -> list[FieldMerge]:
    """Every field that ``theirs`` or ``yours`` changed from ``base``, in the
    document's order."""
    out = []
    for name in dict.fromkeys([*base, *theirs, *yours]):
        b, t, y = base.get(name), theirs.get(name), yours.get(name)
        if t == b and y == b:
            continue
        out.append(FieldMerge(name, field_label(name), b, t, y))
    return out


def rebase(
    base: Doc, theirs: Doc, yours: Doc, choices: dict[str, Side] | None = None
) -> Doc:
    """``yours`` moved onto ``theirs``: the fields ``yours`` did not change take
    ``theirs``; the ones only ``yours`` changed keep it; where both changed,
    ``choices[field]`` says which wins (``yours`` when not chosen)."""
    choices = choices or {}
    out = dict(theirs)
    for merge in three_way(base, theirs, yours):
        if not merge.yours_changed:
            continue
        if merge.conflict and choices.get(merge.field) == "theirs":
            # Theirs where both changed it; in a list of rows, only the
            # row fields both changed.
            if (preferred := merge.merged_as("theirs")) is not None:
                out[merge.field] = preferred
            continue
        if (merged := merge.merged) is not None:
            out[merge.field] = merged  # both sides' rows, each kept
            continue
        if merge.yours is None and merge.field not in yours:
            out.pop(merge.field, None)
        else:
            out[merge.field] = merge.yours
    return out
