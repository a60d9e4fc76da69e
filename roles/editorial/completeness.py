"""What a role guide still needs before it can be published, in the words
editors see on the change form.

The counts are the import's (``schema.GUIDE_COUNTS`` and ``schema.PHRASES``),
the same rules publishing applies, so the two cannot drift apart. Checked on
"Save draft" (which still saves, listing the gaps) and on "Submit for review"
(refused until there are none)."""

from __future__ import annotations

from typing import Any, NamedTuple

from roles.content_io import schema as cd

Doc = dict[str, Any]


class Part(NamedTuple):
    label: str  # the heading of its section on the change form
    singular: str
    plural: str
    anchor: str  # the id of that section (Django's inline "<prefix>-group")


# The role's parts under GUIDE_COUNTS, named as the change form names them.
PARTS: dict[str, Part] = {
    "skills": Part("Skills", "skill", "skills", "skills-group"),
    "ways_in": Part("Ways into the role", "way in", "ways in", "ways_in-group"),
    "typical_week": Part(
        "Typical week", "activity", "activities", "typical_week-group"
    ),
    "anti_patterns": Part(
        "Anti-patterns", "anti-pattern", "anti-patterns", "anti_patterns-group"
    ),
    "related_roles": Part(
        "Related roles", "related role", "related roles", "related_links-group"
    ),
    "career_paths": Part(
        "Career paths out of this role",
        "career path",
        "career paths",
        "paths_out-group",
    ),
    "sources": Part("Sources", "source", "sources", "sources-group"),
}
PHRASE_FIELDS = {
    "new_responsibilities": "New responsibilities",
    "skills_to_build": "Skills to build",
}


class Gap(NamedTuple):
    label: str  # where, as the editor sees it
    message: str  # what is missing, in words
    anchor: str  # the id to link to on the change form
    #: For a gap in one field of one row: the form field's name
    #: ("paths_out-1-new_responsibilities") and what it needs, said beside it.
    field: str = ""
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


def _needs(count: int, low: int, high: int, noun: str) -> str:
    """What a field needs, said beside it: "2 to 4 short phrases, one per
    line (1 so far)"."""
    return f"{low} to {high} {noun} ({count} so far)."


def _count_message(count: int, low: int, high: int, singular: str, plural: str) -> str:
    if count < low:
        missing = low - count
        noun = singular if missing == 1 else plural
        return f"add {missing} more {noun} ({low} to {high} needed, {count} so far)."
    return f"remove {count - high} ({low} to {high} allowed, {count} now)."


def guide_gaps(record: Doc, names: dict[str, str] | None = None) -> list[Gap]:
    """What ``record`` (a role's content document) lacks to be published.
    ``names``: roles' names by address, to name a career path by the role it
    leads to as editors know it ("to Product Manager"), not by its address."""
    names = names or {}
    gaps: list[Gap] = []
    for name, (low, high) in cd.GUIDE_COUNTS.items():
        part = PARTS[name]
        count = len(record.get(name) or [])
        if not low <= count <= high:
            gaps.append(
                Gap(
                    part.label,
                    _count_message(count, low, high, part.singular, part.plural),
                    part.anchor,
                )
            )
    low, high = cd.PHRASES
    part = PARTS["career_paths"]
    prefix = part.anchor.removesuffix("-group")  # the inline's form prefix
    for i, path in enumerate(record.get("career_paths") or []):
        to = path.get("to") or ""
        target = names.get(to, to) or f"number {i + 1}"
        for field, label in PHRASE_FIELDS.items():
            value = path.get(field) or []
            count = len(value if isinstance(value, list) else str(value).splitlines())
            if not low <= count <= high:
                name = f"{prefix}-{i}-{field}"
                gaps.append(
                    Gap(
                        f"{part.label}, to {target}: {label}",
                        _count_message(count, low, high, "phrase", "phrases")
                        + " One short phrase per line.",
                        f"id_{name}",
                        field=name,
                        hint=_needs(count, low, high, "short phrases, one per line"),
                    )
                )
    return gaps
