"""Three versions of one record's content document, field by field: the
version an edit started from (``base``), the version saved since by someone
else (``theirs``) and the edit (``yours``). Used for the side-by-side of a
refused save and for rebasing a stale draft on the live record. Pure: plain
data in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from roles.editorial.docdiff import field_label, show_value

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
        """Both sides changed the field, to different values."""
        return self.theirs_changed and self.yours_changed and self.theirs != self.yours

    @property
    def theirs_text(self) -> str:
        return show_value(self.theirs)

    @property
    def yours_text(self) -> str:
        return show_value(self.yours)

    @property
    def base_text(self) -> str:
        return show_value(self.base)


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
        if merge.yours is None and merge.field not in yours:
            out.pop(merge.field, None)
        else:
            out[merge.field] = merge.yours
    return out
