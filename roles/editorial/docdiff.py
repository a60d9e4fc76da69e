"""Field-by-field differences between two content documents of one record.

Children are matched by identity (a responsibility by its text, a source by
its URL, a dimension value by its dimension, an option by its text, points by
role), so an unchanged child never shows as removed and added again, and a
moved one shows as moved - moved on the page: responsibilities are shown under
their themes, so their order across themes (the stored order numbers) is not
a move. A child rewritten in its place on the page shows as changed. Pure:
plain data in, plain data out."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

Doc = dict[str, Any]

# List fields whose items are matched by identity, and how.
LIST_IDENTITY: dict[str, Callable[[Doc], Hashable]] = {
    "responsibilities": lambda item: item.get("text"),
    "sources": lambda item: item.get("url"),
    "contexts": lambda item: (item.get("context"), item.get("label")),
    "options": lambda item: item.get("text"),
}
#: The rows of these lists are told apart by this key (the one import and
#: publishing match them by, so a row keeps its identity across versions);
#: a diff matches them by it where no two rows of a list share one.
ROW_KEYS = {
    "skills": "name",
    "ways_in": "title",
    "typical_week": "activity",
    "anti_patterns": "name",
    "sources": "url",
    "career_paths": "to",  # one path to a role (``role_guide_problems``)
}
LABELS = {
    "also_known_as": "Also known as",
    "tldr": "Difference at a glance",
    "help_text": "Help text",
    "publish_at": "Publish from",
    "unpublish_at": "Unpublish at",
    "last_reviewed": "Last reviewed",
    "suits": "Who it suits",
    "points": "Points",
    "dimensions": "Comparison values",
}


@dataclass(frozen=True)
class Segment:
    text: str
    op: str  # "same", "added" or "removed"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    action: str  # "changed", "added", "removed" or "moved"
    before: str = ""
    after: str = ""
    segments: tuple[Segment, ...] = ()


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "\n".join(_show(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def field_label(name: str) -> str:
    """A document field's name as editors read it."""
    return _label(name)


def show_value(value: Any) -> str:
    """A document value as text, for a side-by-side."""
    return _show(value)


def row_identity(field: str) -> Callable[[Doc], Hashable] | None:
    """How the rows of ``field`` are told apart (None: a plain list)."""
    key = ROW_KEYS.get(field)
    if key is not None:
        return lambda row: row.get(key)
    return LIST_IDENTITY.get(field)


#: How many of a row's first words name it.
NAME_WORDS = 6


def row_name(field: str, row: Doc) -> str:
    """A row as editors tell it from the others: its first words (its key,
    or its first text), quoted - the form numbers rows in the page's order
    (responsibilities under their themes), not the document's, so a
    number would name another row there. The name the refused save's
    side-by-side, the draft's review and "Compare versions" all give it."""
    identity = row_identity(field)
    key = identity(row) if identity is not None else None
    parts = key if isinstance(key, tuple) else (key,)
    text = ": ".join(p for p in parts if isinstance(p, str) and p)
    if not text:
        text = next((v for v in row.values() if isinstance(v, str) and v), "")
    words = text.split()
    short = " ".join(words[:NAME_WORDS]) + ("…" if len(words) > NAME_WORDS else "")
    return f"“{short}”"


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """Words kept, removed and added, in order."""
    a, b = before.split(" "), after.split(" ")
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            out.append(Segment(" ".join(a[i1:i2]), "same"))
            continue
        if i2 > i1:
            out.append(Segment(" ".join(a[i1:i2]), "removed"))
        if j2 > j1:
            out.append(Segment(" ".join(b[j1:j2]), "added"))
    return tuple(out)


def _changed(field: str, label: str, before: Any, after: Any) -> Change:
    b, a = _show(before), _show(after)
    return Change(field, label, "changed", b, a, word_diff(b, a))


def _rewritten(field: str, label: str, before: Any, after: Any) -> list[Change]:
    """A row rewritten in place: each of its fields that changed, named
    ("Options 2 — Text"), or the whole row where it is not a mapping."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return [_changed(field, label, before, after)]
    return [
        _changed(field, f"{label} — {_label(name)}", before.get(name), after.get(name))
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    ]


#: List fields whose rows the pages show under a heading per value of this
#: field (responsibilities under their theme, the headings in an order of
#: their own): a row's place is its place under its heading, whatever the
#: document's order (the stored order numbers) says across headings.
LIST_GROUPS: dict[str, str] = {"responsibilities": "theme"}


def _slots(
    identity: Callable[[Doc], Hashable],
    group: str | None,
    items: list[Doc],
    kept: set[Hashable],
) -> dict[Hashable, tuple[Hashable, ...]]:
    """Where each row not in ``kept`` stands on the page: under its heading,
    after the last kept row there (None: first), and how many other such
    rows precede it in that gap."""
    last: dict[Hashable, Hashable] = {}
    counts: dict[tuple[Hashable, ...], int] = {}
    out: dict[Hashable, tuple[Hashable, ...]] = {}
    for item in items:
        key, heading = identity(item), item.get(group) if group else None
        if key in kept:
            last[heading] = key
            continue
        gap = (heading, last.get(heading))
        out[key] = (*gap, counts.get(gap, 0))
        counts[gap] = counts.get(gap, 0) + 1
    return out


def rewritten_rows(
    identity: Callable[[Doc], Hashable],
    group: str | None,
    before: list[Doc],
    after: list[Doc],
) -> dict[Hashable, Hashable]:
    """The rows of ``after`` that rewrite a row of ``before`` (new key ->
    old key): a row gone from one place on the page and a new one in that
    place (under the same heading, between the same rows, as many gone as
    come there) - wherever the document's order put it. A row told apart
    by what the editor rewrote (a responsibility by its text) is the same
    row there."""
    old = {identity(item) for item in before}
    kept = {identity(item) for item in after if identity(item) in old}
    gone_at = _slots(identity, group, before, kept)
    came_at = _slots(identity, group, after, kept)
    gone_sizes, came_sizes = _gap_sizes(gone_at), _gap_sizes(came_at)
    slot_gone = {
        slot: key
        for key, slot in gone_at.items()
        if gone_sizes[slot[:2]] == came_sizes.get(slot[:2])
    }
    return {key: slot_gone[slot] for key, slot in came_at.items() if slot in slot_gone}


def _gap_sizes(slots: dict[Hashable, tuple[Hashable, ...]]) -> dict[Hashable, int]:
    sizes: dict[Hashable, int] = {}
    for slot in slots.values():
        sizes[slot[:2]] = sizes.get(slot[:2], 0) + 1
    return sizes


def _places(
    field: str,
    identity: Callable[[Doc], Hashable],
    items: list[Doc],
    keys: set[Hashable],
) -> dict[Hashable, Any]:
    """Each row's place among the rows ``keys`` as the page shows them:
    (its heading, its number under it) for grouped lists."""
    group = LIST_GROUPS.get(field)
    counts: dict[Hashable, int] = {}
    out: dict[Hashable, Any] = {}
    for item in items:
        key = identity(item)
        if key not in keys:
            continue
        heading = item.get(group) if group else None
        out[key] = (heading, counts.get(heading, 0))
        counts[heading] = counts.get(heading, 0) + 1
    return out


def _matched_rows(field: str, *lists: Any) -> Callable[[Doc], Hashable] | None:
    """How to match the rows of ``field`` across ``lists``: by its identity
    where each is a list of rows (or absent) and no two rows of one list
    share a key; None otherwise (the field is shown changed as a whole)."""
    identity = row_identity(field)
    if identity is None:
        return None
    for rows in lists:
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            return None
        if len({identity(r) for r in rows}) != len(rows):
            return None
    return identity


def _list_changes(
    field: str,
    identity: Callable[[Doc], Hashable],
    before: list[Doc],
    after: list[Doc],
) -> list[Change]:
    group = LIST_GROUPS.get(field)
    label = _label(field)
    old = {identity(item): (i, item) for i, item in enumerate(before)}
    new = {identity(item): (i, item) for i, item in enumerate(after)}
    out: list[Change] = []
    # Shown as changed, word by word, not removed and added.
    rewritten = rewritten_rows(identity, group, before, after)
    kept = {key for key in old if key in new}
    replaced = set(rewritten.values())

    def named(row: Doc) -> str:
        return f"{label}: {row_name(field, row)}"

    for key, (_, item) in old.items():
        if key not in new and key not in replaced:
            out.append(Change(field, named(item), "removed", before=_show(item)))
    # The page's order of the rows kept under the same heading.
    same_heading = {
        key
        for key in kept
        if not group or old[key][1].get(group) == new[key][1].get(group)
    }
    was = _places(field, identity, before, same_heading)
    now = _places(field, identity, after, same_heading)
    for key, (_, item) in new.items():
        if key in rewritten:
            # Named as it was: the row the editor rewrote.
            previous = old[rewritten[key]][1]
            out.extend(_rewritten(field, named(previous), previous, item))
            continue
        if key not in old:
            out.append(Change(field, named(item), "added", after=_show(item)))
            continue
        previous = old[key][1]
        for name in dict.fromkeys([*previous, *item]):
            if previous.get(name) == item.get(name):
                continue
            inner = _matched_rows(name, previous.get(name), item.get(name))
            if inner is not None:
                out.extend(
                    _list_changes(
                        name, inner, previous.get(name) or [], item.get(name) or []
                    )
                )
            else:
                out.append(
                    _changed(
                        field,
                        f"{named(item)} — {_label(name)}",
                        previous.get(name),
                        item.get(name),
                    )
                )
        if key in same_heading and was[key] != now[key]:
            under = f" under {_show(was[key][0])}" if group else ""
            out.append(
                Change(
                    field,
                    named(item),
                    "moved",
                    before=f"was {was[key][1] + 1}{under}",
                    after=f"now {now[key][1] + 1}",
                )
            )
    return out


def _dict_changes(field: str, before: Doc, after: Doc) -> list[Change]:
    label = _label(field)
    out: list[Change] = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        if key not in after:
            out.append(Change(field, f"{label}: {key}", "removed", _show(before[key])))
        elif key not in before:
            out.append(
                Change(field, f"{label}: {key}", "added", after=_show(after[key]))
            )
        else:
            out.append(_changed(field, f"{label}: {key}", before[key], after[key]))
    return out


def doc_diff(before: Doc, after: Doc) -> list[Change]:
    """What changes if ``after`` replaces ``before``; empty when nothing does."""
    out: list[Change] = []
    for name in list(dict.fromkeys([*before, *after])):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        identity = _matched_rows(name, old, new)
        if identity is not None:
            out.extend(_list_changes(name, identity, old or [], new or []))
        elif isinstance(old, dict) or isinstance(new, dict):
            out.extend(_dict_changes(name, old or {}, new or {}))
        else:
            out.append(_changed(name, _label(name), old, new))
    return out
