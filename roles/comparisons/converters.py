"""URL path converters."""

from __future__ import annotations

import re
from collections.abc import Sequence

from roles.catalogue.models import ROLE_SLUG_PATTERN
from roles.comparisons.models import (
    MAX_COMPARED_ROLES,
    SEPARATOR,
    TWO_TO_FIVE_ROLES,
    comparison_key,
)

_SLUG = re.compile(ROLE_SLUG_PATTERN)


class RoleSet(str):
    """The roles a comparison address names: the address part as written (it
    is a ``str``), its slugs, their canonical key, and what is wrong with it
    (``error``), if anything. A malformed address still parses, so the page
    can say what is wrong (400) rather than a bare 404."""

    parts: tuple[str, ...]
    key: str
    error: str

    @classmethod
    def parse(cls, value: str) -> RoleSet:
        role_set = cls(value)
        role_set.parts = tuple(value.split(SEPARATOR))
        role_set.key = comparison_key(role_set.parts)
        role_set.error = role_set_error(role_set.parts)
        return role_set

    @property
    def is_canonical(self) -> bool:
        return str(self) == self.key


def role_set_error(parts: Sequence[str]) -> str:
    """Why these slugs cannot be compared, or "" if they can."""
    if not 2 <= len(parts) <= MAX_COMPARED_ROLES:
        names = "only one" if len(parts) < 2 else str(len(parts))
        return (
            f"A comparison shows {TWO_TO_FIVE_ROLES} side by side; "
            f"this address names {names}."
        )
    if any(not _SLUG.fullmatch(part) for part in parts):
        return "This address does not name roles in a form we recognise."
    if len(set(parts)) != len(parts):
        return "A role cannot be compared with itself."
    return ""


class RoleSetConverter:
    """``<roles:slugs>``: any path segment, parsed into a RoleSet. Reversing
    takes a key string or any sequence of slugs (put in canonical order)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> RoleSet:
        return RoleSet.parse(value)

    def to_url(self, value: str | Sequence[str]) -> str:
        if isinstance(value, str):
            return str(value)
        return comparison_key(list(value))
