"""The role map: every published role placed on two axes that editors set
(time horizon, focus), as plain data for an inline SVG and its table."""

from __future__ import annotations

from dataclasses import dataclass

from .quiz import MapPoint

X_AXIS = ("Time horizon", "This week's work", "Years ahead")
Y_AXIS = ("Focus", "The team and how it delivers", "The market and the product")
#: Short forms drawn on the map itself (the caption and table use the long ones).
X_SHORT = ("This week", "Years ahead")
Y_SHORT = ("Team and delivery", "Market and product")
WIDTH, HEIGHT, PAD = 640, 440, 48


@dataclass(frozen=True)
class MapRole:
    slug: str
    name: str
    x: int | None
    y: int | None

    @property
    def placed(self) -> bool:
        return self.x is not None and self.y is not None


@dataclass(frozen=True)
class MapPin:
    label: str
    slug: str  # empty for "you"
    x: float
    y: float
    cx: float
    cy: float
    anchor: str  # text-anchor for the label, so labels stay inside the map

    @property
    def label_x(self) -> float:
        return self.cx + (-10 if self.anchor == "end" else 10)


@dataclass(frozen=True)
class RoleMap:
    pins: tuple[MapPin, ...]
    you: MapPin | None
    unplaced: tuple[MapRole, ...]
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD
    x_axis: tuple[str, str, str] = X_AXIS
    y_axis: tuple[str, str, str] = Y_AXIS
    x_short: tuple[str, str] = X_SHORT
    y_short: tuple[str, str] = Y_SHORT

    @property
    def right(self) -> int:
        return self.width - self.pad

    @property
    def bottom(self) -> int:
        return self.height - self.pad

    @property
    def middle_x(self) -> float:
        return self.width / 2

    @property
    def middle_y(self) -> float:
        return self.height / 2


def _pin(label: str, slug: str, x: float, y: float) -> MapPin:
    cx = PAD + x / 100 * (WIDTH - 2 * PAD)
    cy = HEIGHT - PAD - y / 100 * (HEIGHT - 2 * PAD)
    return MapPin(
        label, slug, x, y, round(cx, 1), round(cy, 1), "end" if x > 60 else "start"
    )


def role_map_for(roles: list[MapRole], you: MapPoint | None = None) -> RoleMap:
    placed = sorted((r for r in roles if r.placed), key=lambda r: (r.x, r.y, r.name))
    return RoleMap(
        pins=tuple(_pin(r.name, r.slug, r.x, r.y) for r in placed),
        you=_pin("You", "", you.x, you.y) if you else None,
        unplaced=tuple(r for r in roles if not r.placed),
    )


def role_map_roles() -> list[MapRole]:
    """Every published role with its map position, cached with the content."""
    from .caching import versioned
    from .models import Role

    def load() -> list[MapRole]:
        return [
            MapRole(slug, name, x, y)
            for slug, name, x, y in Role.objects.published()
            .order_by("name")
            .values_list("slug", "name", "map_x", "map_y")
        ]

    return versioned("role-map", load)
