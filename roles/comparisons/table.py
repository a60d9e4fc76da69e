"""Side-by-side comparison of roles: plain data in, plain data out.

The comparison table and the shared/distinct responsibilities are both computed
here from the same role data, so the page can never contradict itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThemeRef:
    slug: str
    name: str
    order: int = 0


@dataclass(frozen=True)
class DimensionRef:
    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class RoleData:
    slug: str
    name: str
    responsibilities: Sequence[tuple[ThemeRef, str]] = ()
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableRow:
    dimension: DimensionRef
    cells: tuple[str | None, ...]

    @property
    def differs(self) -> bool:
        """True when the roles do not all give the same value (a missing value
        counts as different from any given one)."""
        normalised = {(c or "").strip().casefold() for c in self.cells}
        return len(normalised) > 1


@dataclass(frozen=True)
class ThemeRow:
    theme: ThemeRef
    cells: tuple[tuple[str, ...], ...]  # one tuple of texts per role, in role order

    @property
    def holders(self) -> int:
        return sum(1 for texts in self.cells if texts)

    def held_by(self, index: int) -> bool:
        return bool(self.cells[index])


@dataclass(frozen=True)
class Comparison:
    roles: tuple[RoleData, ...]
    rows: tuple[TableRow, ...]
    shared: tuple[ThemeRow, ...]
    distinct: tuple[ThemeRow, ...]

    @property
    def differing_rows(self) -> tuple[TableRow, ...]:
        return tuple(row for row in self.rows if row.differs)

    @property
    def shared_has_gaps(self) -> bool:
        """Whether a shared theme leaves out one of the roles: a dash in the
        shared table, which the page then explains. Never with two roles (a
        theme both hold is the only kind they share)."""
        return any(row.holders < len(self.roles) for row in self.shared)

    def distinct_for(self, index: int) -> tuple[ThemeRow, ...]:
        return tuple(row for row in self.distinct if row.held_by(index))


def compare(
    roles: Sequence[RoleData], dimensions: Sequence[DimensionRef]
) -> Comparison:
    """Build the table (one row per dimension, one cell per role) and split the
    responsibility themes into shared (held by two or more of the roles) and
    distinct (held by exactly one)."""
    rows = tuple(
        TableRow(
            dimension,
            tuple((role.values.get(dimension.slug) or None) for role in roles),
        )
        for dimension in dimensions
    )
    themes: dict[str, ThemeRef] = {}
    texts: dict[str, list[list[str]]] = {}
    for index, role in enumerate(roles):
        for theme, text in role.responsibilities:
            themes.setdefault(theme.slug, theme)
            texts.setdefault(theme.slug, [[] for _ in roles])[index].append(text)
    ordered = sorted(themes.values(), key=lambda t: (t.order, t.name, t.slug))
    theme_rows = [
        ThemeRow(theme, tuple(tuple(cell) for cell in texts[theme.slug]))
        for theme in ordered
    ]
    return Comparison(
        roles=tuple(roles),
        rows=rows,
        shared=tuple(row for row in theme_rows if row.holders >= 2),
        distinct=tuple(row for row in theme_rows if row.holders == 1),
    )
