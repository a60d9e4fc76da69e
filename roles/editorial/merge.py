"""Three versions of one record's content document, field by field: the
version an edit started from (``base``), the version saved since by someone
else (``theirs``) and the edit (``yours``). Used for the side-by-side of a
refused save and for rebasing a stale draft on the live record. Pure: plain
data in, plain data out."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal

from roles.editorial.docdiff import LIST_IDENTITY, field_label, show_value

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
        different rows of a list (``merged_rows``)."""
        return (
            self.theirs_changed
            and self.yours_changed
            and self.theirs != self.yours
            and self.merged is None
        )

    @property
    def merged(self) -> list[Doc] | None:
        """Both sides' changes to a list of rows, taken together where they
        touch different rows (``merge_rows``); None if not a list of rows."""
        if not (self.theirs_changed and self.yours_changed):
            return None
        return merge_rows(self.field, self.base, self.theirs, self.yours)

    @property
    def theirs_text(self) -> str:
        return show_value(self.theirs)

    @property
    def yours_text(self) -> str:
        return show_value(self.yours)

    @property
    def base_text(self) -> str:
        return show_value(self.base)


#: The rows of these lists are told apart by this key (the one import and
#: publishing match them by, so a row keeps its identity across versions).
ROW_KEYS = {
    "skills": "name",
    "ways_in": "title",
    "typical_week": "activity",
    "anti_patterns": "name",
    "sources": "url",
}


def merge_rows(field: str, base: Any, theirs: Any, yours: Any) -> list[Doc] | None:
    """Two edits of one list of rows taken together, row by row: a row only
    one side changed, added or removed takes that side; the order is the one
    side that reordered (theirs when you did not). None where the rows
    cannot be told apart, or both sides changed one row differently or both
    reordered the list: that is a conflict for the editor to settle."""
    key = ROW_KEYS.get(field)
    lists = (base, theirs, yours)
    if key is None or not all(
        isinstance(rows, list) and all(isinstance(r, dict) and key in r for r in rows)
        for rows in lists
    ):
        return None
    ids = [[r[key] for r in rows] for rows in lists]
    if any(len(set(i)) != len(i) for i in ids):
        return None
    b, t, y = ({r[key]: r for r in rows} for rows in lists)
    kept: dict[Any, Doc] = {}
    for name in dict.fromkeys([*ids[1], *ids[2]]):
        in_t, in_y = name in t, name in y
        if name in b:
            t_changed = not in_t or t[name] != b[name]
            y_changed = not in_y or y[name] != b[name]
            if t_changed and y_changed and t.get(name) != y.get(name):
                return None  # both changed (or one removed) the same row
            row = y.get(name) if y_changed else t.get(name)
        else:  # added by one side (or by both, alike or not)
            if in_t and in_y and t[name] != y[name]:
                return None
            row = y.get(name) or t.get(name)
        if row is not None:
            kept[name] = row

    def order(side: list[Any]) -> list[Any]:
        return [n for n in side if n in b]

    base_order = order(ids[0])
    t_moved = [n for n in order(ids[1]) if n in y] != [
        n for n in base_order if n in t and n in y
    ]
    y_moved = [n for n in order(ids[2]) if n in t] != [
        n for n in base_order if n in t and n in y
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
    return [kept[n] for n in sequence]


def _row_identity(field: str) -> Callable[[Doc], Hashable] | None:
    """How the rows of ``field`` are told apart (None: a plain list)."""
    key = ROW_KEYS.get(field)
    if key is not None:
        return lambda row: row.get(key)
    return LIST_IDENTITY.get(field)


def untouched_rows_theirs(
    field: str, base: Any, theirs: Any, yours: Any
) -> dict[int, Doc]:
    """The rows of a list (by their place in ``base``) that ``yours`` left as
    they were and ``theirs`` changed, each with their version of it: what a
    refused form shows in those rows, as it shows their text in a plain
    field you left alone. A row is theirs' row of the same key, or - where
    they changed the key itself (a responsibility is told apart by its
    text) - the new row they have in its place. Rows either side deleted,
    and lists whose rows cannot be told apart, are left out."""
    identity = _row_identity(field)
    lists = (base, theirs, yours)
    if identity is None or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        for rows in lists
    ):
        return {}
    base_keys = {identity(row) for row in base}
    by_key = {identity(row): row for row in theirs}
    out: dict[int, Doc] = {}
    for i, row in enumerate(base):
        if row not in yours:
            continue  # yours changed or deleted it: your text stays
        mine = by_key.get(identity(row))
        if mine is None and i < len(theirs) and identity(theirs[i]) not in base_keys:
            mine = theirs[i]  # rewritten in its place
        if mine is not None and mine != row:
            out[i] = mine
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
            continue
        if (merged := merge.merged) is not None:
            out[merge.field] = merged  # both sides' rows, each kept
            continue
        if merge.yours is None and merge.field not in yours:
            out.pop(merge.field, None)
        else:
            out[merge.field] = merge.yours
    return out
