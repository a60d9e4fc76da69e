"""The role map's label placement: labels overlap neither each other nor
another role's dot, and stay on the map; on a phone, the numbered discs
overlap no other disc and stay in the plot."""

import itertools

import pytest

from roles.questionnaire import role_map as rm
from roles.questionnaire.results import MapPoint
from roles.questionnaire.selectors import role_map_roles


def _boxes(role_map):
    labels = [
        rm._label_box(p.label, p.cx, p.cy, p.anchor, p.label_y - 5 - p.cy)
        for p in role_map.pins
    ]
    dots = [
        (
            p.cx - rm.DOT_RADIUS,
            p.cy - rm.DOT_RADIUS,
            p.cx + rm.DOT_RADIUS,
            p.cy + rm.DOT_RADIUS,
        )
        for p in role_map.pins
    ]
    return labels, dots


def assert_discs_apart(role_map):
    """Every phone disc clear of every other, and inside the plot."""
    reach = 2 * rm.DISC_RADIUS + rm.DISC_GAP
    for a, b in itertools.combinations(role_map.pins, 2):
        gap = ((a.disc_x - b.disc_x) ** 2 + (a.disc_y - b.disc_y) ** 2) ** 0.5
        assert gap >= reach - 0.2, (a.label, b.label, gap)
    for pin in role_map.pins:
        assert (
            rm.PAD + rm.DISC_RADIUS - 0.1
            <= pin.disc_x
            <= rm.WIDTH - rm.PAD - rm.DISC_RADIUS + 0.1
        )
        assert (
            rm.PAD + rm.DISC_RADIUS - 0.1
            <= pin.disc_y
            <= rm.HEIGHT - rm.PAD - rm.DISC_RADIUS + 0.1
        )


def assert_readable(role_map):
    labels, dots = _boxes(role_map)
    for (i, a), (j, b) in itertools.combinations(enumerate(labels), 2):
        assert rm._overlap(a, b) == 0, (role_map.pins[i].label, role_map.pins[j].label)
    for i, label in enumerate(labels):
        assert rm._outside(label) == 0, role_map.pins[i].label
        for j, dot in enumerate(dots):
            if i != j:
                assert rm._overlap(label, dot) == 0, (
                    role_map.pins[i].label,
                    role_map.pins[j].label,
                )


def test_crowded_neighbours_get_labels_that_do_not_overlap():
    roles = [
        rm.MapRole("a", "Technical Lead", 30, 30),
        rm.MapRole("b", "Project Manager", 50, 30),
        rm.MapRole("c", "Delivery Manager", 35, 20),
        rm.MapRole("d", "Release Train Engineer", 55, 20),
        rm.MapRole("e", "Agile Coach", 55, 15),
    ]
    role_map = rm.role_map_for(roles)
    assert_readable(role_map)
    # The table keeps its left-to-right order whatever the labels do.
    assert [p.slug for p in role_map.pins] == ["a", "c", "b", "e", "d"]


def test_a_lone_role_is_labelled_on_the_right_near_the_left_edge_and_left_near_the_right():
    left, right = rm.role_map_for(
        [rm.MapRole("l", "Left", 5, 50), rm.MapRole("r", "Right", 95, 50)]
    ).pins
    assert (left.anchor, left.label_y) == ("start", left.cy + 5)
    assert (right.anchor, right.label_y) == ("end", right.cy + 5)


def test_you_is_labelled_clear_of_the_roles():
    roles = [
        rm.MapRole("a", "Product Owner", 40, 50),
        rm.MapRole("b", "Scrum Master", 44, 47),
    ]
    role_map = rm.role_map_for(roles, you=MapPoint(x=44, y=50))
    you = role_map.you
    mine = rm._label_box("You", you.cx, you.cy, you.anchor, you.label_y - 5 - you.cy)
    labels, dots = _boxes(role_map)
    assert all(rm._overlap(mine, other) == 0 for other in labels + dots)
    # The roles' labels are the same with or without a "you".
    assert rm.role_map_for(roles).pins == role_map.pins


@pytest.mark.django_db
def test_the_seeded_roles_are_all_readable(seeded):
    role_map = rm.role_map_for(role_map_roles())
    assert len(role_map.pins) >= 15
    assert_readable(role_map)


def test_phone_discs_of_close_or_identical_positions_are_spread_apart():
    roles = [
        rm.MapRole("a", "Product Owner", 40, 50),
        rm.MapRole("b", "UX Researcher", 40, 53),
        rm.MapRole("c", "Same Place", 40, 53),
        rm.MapRole("d", "Corner", 0, 0),
        rm.MapRole("e", "Corner Too", 1, 1),
        rm.MapRole("f", "Far Away", 90, 90),  # its disc fits the plot there
    ]
    role_map = rm.role_map_for(roles)
    assert_discs_apart(role_map)
    # A disc with room stays on its dot; the wide drawing never moves.
    far = next(p for p in role_map.pins if p.slug == "f")
    assert (far.disc_x, far.disc_y) == (far.cx, far.cy)
    assert [(p.cx, p.cy) for p in role_map.pins] == [
        rm._centre(r.x, r.y) for r in sorted(roles, key=lambda r: (r.x, r.y, r.name))
    ]
    # The same roles, the same drawing.
    assert rm.role_map_for(list(reversed(roles))).pins == role_map.pins


def test_a_phone_disc_moves_no_further_than_its_crowd_needs():
    pins = rm.role_map_for(
        [rm.MapRole("a", "A", 50, 50), rm.MapRole("b", "B", 52, 50)]
    ).pins
    a, b = pins
    reach = 2 * rm.DISC_RADIUS + rm.DISC_GAP
    # Pushed apart along the line between them, each by half of what was missing.
    assert a.disc_y == a.cy and b.disc_y == b.cy
    assert abs((b.disc_x - a.disc_x) - reach) < 0.2
    assert abs((a.cx - a.disc_x) - (b.disc_x - b.cx)) < 0.2


@pytest.mark.django_db
def test_the_seeded_roles_discs_are_all_apart(seeded):
    assert_discs_apart(rm.role_map_for(role_map_roles()))


def _you_clear_of_the_discs(role_map) -> float:
    """The smallest gap between the edge of "you"'s phone disc and a role's."""
    you = role_map.you
    return min(
        ((you.disc_x - p.disc_x) ** 2 + (you.disc_y - p.disc_y) ** 2) ** 0.5
        - rm.DISC_RADIUS
        - rm.YOU_DISC_RADIUS
        for p in role_map.pins
    )


@pytest.mark.django_db
def test_you_on_a_phone_covers_no_numbered_disc_wherever_the_answers_place_it(seeded):
    """On a phone "you" is a larger disc: it is moved just clear of the
    roles' numbered discs (the table gives its exact position), so it neither
    hides a number nor hides under one - at every place answers can put it."""
    roles = role_map_roles()
    for x, y in itertools.product(range(0, 101, 5), repeat=2):
        role_map = rm.role_map_for(roles, you=MapPoint(x=x, y=y))
        you = role_map.you
        assert _you_clear_of_the_discs(role_map) >= rm.DISC_GAP - 0.2, (x, y)
        low = rm.PAD + rm.YOU_DISC_RADIUS - 0.1
        assert low <= you.disc_x <= rm.WIDTH - low, (x, y)
        assert low <= you.disc_y <= rm.HEIGHT - low, (x, y)


def test_you_with_room_around_it_stays_on_its_place():
    roles = [rm.MapRole("a", "A", 10, 10), rm.MapRole("b", "B", 90, 90)]
    you = rm.role_map_for(roles, you=MapPoint(x=50, y=50)).you
    assert (you.disc_x, you.disc_y) == (you.cx, you.cy)


def test_you_on_a_role_moves_just_clear_of_it():
    roles = [rm.MapRole("a", "A", 50, 50)]
    role_map = rm.role_map_for(roles, you=MapPoint(x=50, y=50))
    gap = _you_clear_of_the_discs(role_map)
    assert rm.DISC_GAP - 0.2 <= gap <= rm.DISC_GAP + 4
