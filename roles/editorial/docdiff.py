"""Field-by-field differences between two content documents of one record.

Children are matched by identity (a responsibility by its text, a source by
its URL, a dimension value by its dimension, an option by its text, points by
role), so an unchanged child never shows as removed and added again, and a
moved one shows as moved. Pure: plain data in, plain data out."""

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


def _list_changes(field: str, before: list[Doc], after: list[Doc]) -> list[Change]:
    identity = LIST_IDENTITY[field]
    label = _label(field)
    old = {identity(item): (i, item) for i, item in enumerate(before)}
    new = {identity(item): (i, item) for i, item in enumerate(after)}
    out: list[Change] = []
    # A child gone from one place and a new one in the same place: the editor
    # rewrote it. Show it as changed, word by word, not removed and added.
    gone = {i: item for key, (i, item) in old.items() if key not in new}
    came = {i: item for key, (i, item) in new.items() if key not in old}
    rewritten = set(gone) & set(came)
    for i in sorted(rewritten):
        out.extend(_rewritten(field, f"{label} {i + 1}", gone[i], came[i]))
    for key, (i, item) in old.items():
        if key not in new and i not in rewritten:
            out.append(Change(field, label, "removed", before=_show(item)))
    kept_old = [k for k in old if k in new]
    kept_new = [k for k in new if k in old]
    for key, (i, item) in new.items():
        if key not in old:
            if i not in rewritten:
                out.append(Change(field, label, "added", after=_show(item)))
            continue
        previous = old[key][1]
        for name in item:
            if name in LIST_IDENTITY:
                out.extend(
                    _list_changes(name, previous.get(name) or [], item[name] or [])
                )
            elif previous.get(name) != item.get(name):
                out.append(
                    _changed(
                        field,
                        f"{label}: {_show(key)} — {_label(name)}",
                        previous.get(name),
                        item.get(name),
                    )
                )
        if kept_old.index(key) != kept_new.index(key):
            out.append(
                Change(
                    field,
                    label,
                    "moved",
                    before=f"{_show(key)} (was {kept_old.index(key) + 1})",
                    after=f"now {kept_new.index(key) + 1}",
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
        if name in LIST_IDENTITY:
            out.extend(_list_changes(name, old or [], new or []))
        elif isinstance(old, dict) or isinstance(new, dict):
            out.extend(_dict_changes(name, old or {}, new or {}))
        else:
            out.append(_changed(name, _label(name), old, new))
    return out
