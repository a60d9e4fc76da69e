"""The role map's label placement: labels overlap neither each other nor
another role's dot, and stay on the map."""

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
