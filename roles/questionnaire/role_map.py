"""The role map: every published role placed on two axes that editors set
(time horizon, focus), as plain data for an inline SVG and its table."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from roles.questionnaire.results import MapPoint

X_AXIS = ("Time horizon", "This week's work", "Years ahead")
Y_AXIS = ("Focus", "The team and how it delivers", "The market and the product")
#: Short forms drawn on the map itself (the caption and table use the long ones).
X_SHORT = ("This week", "Years ahead")
Y_SHORT = ("Team and delivery", "Market and product")
#: On a phone the vertical axis is too short for the short forms side by side.
Y_NARROW = ("Team", "Product")
WIDTH, HEIGHT, PAD = 640, 440, 48
#: A phone's numbered disc (drawn on narrow screens only), and the space
#: spread_discs keeps between two discs.
DISC_RADIUS = 21
DISC_GAP = 2
#: "You" on a phone: a larger disc without a number, moved just clear of the
#: roles' discs (you_disc).
YOU_DISC_RADIUS = 26


@dataclass(frozen=True)
class MapRole:
    slug: str
    name: str
    x: int | None
    y: int | None
    #: False for a role an old result names that is no longer published: on
    #: the map (the result was placed among it) but without a link.
    linked: bool = True

    @property
    def placed(self) -> bool:
        return self.x is not None and self.y is not None


@dataclass(frozen=True)
class _Placed:
    """A role that has both coordinates (a MapRole whose x and y are known)."""

    slug: str
    name: str
    x: int
    y: int
    linked: bool = True


@dataclass(frozen=True)
class MapPin:
    label: str
    slug: str  # empty for "you"
    x: float
    y: float
    cx: float
    cy: float
    anchor: str  # text-anchor for the label: "start" (right of the dot) or "end"
    label_x: float
    label_y: float  # the label's baseline
    # On a phone the dot is a numbered disc, moved just clear of its
    # neighbours' (spread_discs); on a wide screen it is at (cx, cy).
    disc_x: float
    disc_y: float
    linked: bool = True

    @property
    def boxes(self) -> tuple[Box, Box]:
        """Its dot and its label, as the label placement sees them."""
        dy = self.label_y - BASELINE_DROP - self.cy
        return (
            _dot_box(self.cx, self.cy),
            _label_box(self.label, self.cx, self.cy, self.anchor, dy),
        )


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
    y_narrow: tuple[str, str] = Y_NARROW
    disc_radius: int = DISC_RADIUS
    you_disc_radius: int = YOU_DISC_RADIUS

    @property
    def right(self) -> int:
        return self.width - self.pad

    @property
    def bottom(self) -> int:
        return self.height - self.pad


# Label geometry in the map's own units (its labels are 15 units high).
CHAR_WIDTH = 8.4  # a generous average for the site's sans-serif
LABEL_HEIGHT = 16
LABEL_GAP = 10  # from the dot's centre to the label
DOT_RADIUS = 7
BASELINE_DROP = 5  # a label's baseline, below its centre line

Box = tuple[float, float, float, float]  # left, top, right, bottom


def _centre(x: float, y: float) -> tuple[float, float]:
    cx = PAD + x / 100 * (WIDTH - 2 * PAD)
    cy = HEIGHT - PAD - y / 100 * (HEIGHT - 2 * PAD)
    return round(cx, 1), round(cy, 1)


def _dot_box(cx: float, cy: float) -> Box:
    return (cx - DOT_RADIUS, cy - DOT_RADIUS, cx + DOT_RADIUS, cy + DOT_RADIUS)


def _label_box(label: str, cx: float, cy: float, anchor: str, dy: float) -> Box:
    width = len(label) * CHAR_WIDTH
    left = cx + LABEL_GAP if anchor == "start" else cx - LABEL_GAP - width
    top = cy + dy - LABEL_HEIGHT / 2
    return (left, top, left + width, top + LABEL_HEIGHT)


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(box: Box) -> float:
    """How far a label sticks out of the drawing area (the axis labels
    below and left of the plot are kept clear)."""
    left, top, right, bottom = box
    return (
        max(0.0, PAD + 2 - left)
        + max(0.0, right - (WIDTH - 2))
        + max(0.0, 2 - top)
        + max(0.0, bottom - (HEIGHT - 28))
    )


class _Grid:
    """Boxes filed by the cells they cover, so a label is only compared with
    its neighbours: placing n labels stays near-linear however many roles
    the map holds."""

    CELL = 48

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                yield (i, j)

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)

    def overlap(self, box: Box) -> float:
        seen: set[int] = set()
        total = 0.0
        for key in self._keys(box):
            for other in self._cells.get(key, ()):
                if id(other) not in seen:
                    seen.add(id(other))
                    total += _overlap(box, other)
        return total


def _best_spot(label: str, cx: float, cy: float, grid: _Grid) -> tuple[str, float]:
    """The first free spot among right, left (left first near the right
    edge), then a little above or below either; else the least covered."""
    far_right = cx > PAD + 0.6 * (WIDTH - 2 * PAD)
    sides = ("end", "start") if far_right else ("start", "end")
    best, best_cost = (sides[0], 0.0), float("inf")
    for dy in (0, -12, 12, -22, 22):
        for side in sides:
            box = _label_box(label, cx, cy, side, dy)
            cost = grid.overlap(box) + 50 * _outside(box)
            if cost == 0:
                return (side, dy)
            if cost < best_cost:
                best, best_cost = (side, dy), cost
    return best


SPREAD_ROUNDS = 60


def spread_discs(centres: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Where each phone disc goes: at its dot, unless it would overlap
    another disc, in which case overlapping pairs are pushed apart along the
    line between them (equal shares; coincident dots side by side, in the
    order given) and kept inside the plot, round after round until none
    overlap or the rounds run out (a catalogue too crowded for the map keeps
    some overlap). The table gives every exact position. Pure and
    deterministic; each round compares a disc only with its grid neighbours."""
    reach = 2 * DISC_RADIUS + DISC_GAP
    low_x, high_x = PAD + DISC_RADIUS, WIDTH - PAD - DISC_RADIUS
    low_y, high_y = PAD + DISC_RADIUS, HEIGHT - PAD - DISC_RADIUS
    spots = [[float(x), float(y)] for x, y in centres]
    for _ in range(SPREAD_ROUNDS):
        cells: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(spots):
            cells.setdefault((int(x // reach), int(y // reach)), []).append(i)
        moved = False
        for i, spot in enumerate(spots):
            cx, cy = int(spot[0] // reach), int(spot[1] // reach)
            for gx in (cx - 1, cx, cx + 1):
                for gy in (cy - 1, cy, cy + 1):
                    for j in cells.get((gx, gy), ()):
                        if j <= i:
                            continue
                        other = spots[j]
                        dx, dy = other[0] - spot[0], other[1] - spot[1]
                        distance = (dx * dx + dy * dy) ** 0.5
                        if distance >= reach - 1e-6:
                            continue
                        if distance < 1e-6:
                            dx, dy, distance = 1.0, 0.0, 1.0
                        push = (reach - distance) / 2 + 0.01
                        ux, uy = dx / distance, dy / distance
                        spot[0] -= ux * push
                        spot[1] -= uy * push
                        other[0] += ux * push
                        other[1] += uy * push
                        moved = True
        for spot in spots:
            spot[0] = min(max(spot[0], low_x), high_x)
            spot[1] = min(max(spot[1], low_y), high_y)
        if not moved:
            break
    return [(round(x, 1), round(y, 1)) for x, y in spots]


def you_disc(
    centre: tuple[float, float], discs: list[tuple[float, float]]
) -> tuple[float, float]:
    """Where "you"'s phone disc goes: at its place if it touches no role's
    disc, else at the nearest free spot inside the plot (tried on rings
    4 units apart, 32 directions each, the nearest first); on a map too
    crowded to have one, at its place, under the roles' discs."""
    reach = DISC_RADIUS + YOU_DISC_RADIUS + DISC_GAP
    low_x, high_x = PAD + YOU_DISC_RADIUS, WIDTH - PAD - YOU_DISC_RADIUS
    low_y, high_y = PAD + YOU_DISC_RADIUS, HEIGHT - PAD - YOU_DISC_RADIUS
    x0 = min(max(centre[0], low_x), high_x)
    y0 = min(max(centre[1], low_y), high_y)

    def free(x: float, y: float) -> bool:
        return all((x - dx) ** 2 + (y - dy) ** 2 >= reach * reach for dx, dy in discs)

    if free(x0, y0):
        return (round(x0, 1), round(y0, 1))
    for ring in range(1, 80):
        distance = 4.0 * ring
        for step in range(32):
            angle = 2 * math.pi * step / 32
            x = round(x0 + distance * math.cos(angle), 1)
            y = round(y0 + distance * math.sin(angle), 1)
            if low_x <= x <= high_x and low_y <= y <= high_y and free(x, y):
                return (x, y)
    return (round(x0, 1), round(y0, 1))


def place_labels(points: list[tuple[str, float, float]]) -> list[tuple[str, float]]:
    """Where each label goes, so that labels overlap neither each other nor
    another role's dot and stay on the map, placed in the order given.
    Returns (anchor, dy) per point, dy being the label's offset from the
    dot's centre line."""
    grid = _Grid()
    for _, cx, cy in points:
        grid.add(_dot_box(cx, cy))
    chosen: list[tuple[str, float]] = []
    for label, cx, cy in points:
        spot = _best_spot(label, cx, cy, grid)
        grid.add(_label_box(label, cx, cy, *spot))
        chosen.append(spot)
    return chosen


def _pin(
    label: str,
    slug: str,
    x: float,
    y: float,
    anchor: str,
    dy: float,
    disc: tuple[float, float] | None = None,
    linked: bool = True,
) -> MapPin:
    cx, cy = _centre(x, y)
    label_x = cx + (LABEL_GAP if anchor == "start" else -LABEL_GAP)
    baseline = round(cy + dy + BASELINE_DROP, 1)
    disc_x, disc_y = disc or (cx, cy)
    return MapPin(
        label, slug, x, y, cx, cy, anchor, label_x, baseline, disc_x, disc_y, linked
    )


@lru_cache(maxsize=4)
def _role_pins(placed: tuple[_Placed, ...]) -> tuple[MapPin, ...]:
    """The roles' pins, labels placed from the top of the map down; in the
    table's order (left to right). The same for every visitor of a content
    version, so computed once per process and version."""
    top_down = sorted(placed, key=lambda r: (-r.y, r.x, r.name))
    spots = place_labels([(r.name, *_centre(r.x, r.y)) for r in top_down])
    labels = {r.slug: spot for r, spot in zip(top_down, spots, strict=True)}
    discs = spread_discs([_centre(r.x, r.y) for r in placed])
    return tuple(
        _pin(r.name, r.slug, r.x, r.y, *labels[r.slug], disc=disc, linked=r.linked)
        for r, disc in zip(placed, discs, strict=True)
    )


def _you_pin(you: MapPoint, pins: tuple[MapPin, ...]) -> MapPin:
    """ "You" is labelled where it covers no role's label or dot."""
    grid = _Grid()
    for pin in pins:
        for box in pin.boxes:
            grid.add(box)
    centre = _centre(you.x, you.y)
    disc = you_disc(centre, [(p.disc_x, p.disc_y) for p in pins])
    return _pin("You", "", you.x, you.y, *_best_spot("You", *centre, grid), disc=disc)


def role_map_for(roles: list[MapRole], you: MapPoint | None = None) -> RoleMap:
    placed = tuple(
        sorted(
            (
                _Placed(r.slug, r.name, r.x, r.y, r.linked)
                for r in roles
                if r.x is not None and r.y is not None
            ),
            key=lambda r: (r.x, r.y, r.name),
        )
    )
    pins = _role_pins(placed)
    return RoleMap(
        pins=pins,
        you=_you_pin(you, pins) if you else None,
        unplaced=tuple(r for r in roles if not r.placed),
    )
