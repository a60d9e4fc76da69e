"""The pure comparison function: no database."""

from roles.comparisons.table import (
    Comparison,
    DimensionRef,
    RoleData,
    ThemeRef,
    compare,
)

DISCOVERY = ThemeRef("discovery", "Discovery", 0)
STRATEGY = ThemeRef("strategy", "Strategy", 1)
BACKLOG = ThemeRef("backlog", "Backlog", 2)
FOCUS = DimensionRef("focus", "Focus")
HORIZON = DimensionRef("horizon", "Time horizon")


def pm_po() -> Comparison:
    pm = RoleData(
        "product-manager",
        "Product Manager",
        [(DISCOVERY, "Research users."), (STRATEGY, "Set the vision.")],
        {"focus": "Market", "horizon": "Years"},
    )
    po = RoleData(
        "product-owner",
        "Product Owner",
        [(DISCOVERY, "Hear customers."), (BACKLOG, "Order the backlog.")],
        {"focus": "Team", "horizon": "Years"},
    )
    return compare([pm, po], [FOCUS, HORIZON])


def test_shared_themes_hold_each_roles_responsibilities_side_by_side():
    result = pm_po()
    assert [row.theme.slug for row in result.shared] == ["discovery"]
    assert result.shared[0].cells == (("Research users.",), ("Hear customers.",))


def test_distinct_themes_belong_to_one_role_alone():
    result = pm_po()
    assert [row.theme.slug for row in result.distinct] == ["strategy", "backlog"]
    assert [row.theme.slug for row in result.distinct_for(0)] == ["strategy"]
    assert [row.theme.slug for row in result.distinct_for(1)] == ["backlog"]


def test_table_has_a_row_per_dimension_and_a_cell_per_role():
    result = pm_po()
    assert [row.dimension.slug for row in result.rows] == ["focus", "horizon"]
    assert result.rows[0].cells == ("Market", "Team")


def test_differences_only_drops_rows_where_all_roles_agree():
    result = pm_po()
    assert [row.dimension.slug for row in result.differing_rows] == ["focus"]


def test_missing_value_is_none_and_counts_as_a_difference():
    a = RoleData("a", "A", values={"focus": "X"})
    b = RoleData("b", "B", values={})
    result = compare([a, b], [FOCUS])
    assert result.rows[0].cells == ("X", None)
    assert result.rows[0].differs


def test_a_theme_shared_by_two_of_three_roles_is_shared():
    a = RoleData("a", "A", [(DISCOVERY, "a1")])
    b = RoleData("b", "B", [(DISCOVERY, "b1")])
    c = RoleData("c", "C", [(BACKLOG, "c1")])
    result = compare([a, b, c], [])
    assert result.shared[0].cells == (("a1",), ("b1",), ())
    assert result.shared[0].holders == 2
    assert [r.theme.slug for r in result.distinct_for(2)] == ["backlog"]


def test_no_shared_themes_when_roles_do_not_overlap():
    a = RoleData("a", "A", [(DISCOVERY, "a1")])
    b = RoleData("b", "B", [(BACKLOG, "b1")])
    result = compare([a, b], [])
    assert result.shared == ()
    assert len(result.distinct) == 2


def test_themes_follow_the_theme_order_not_the_role_order():
    a = RoleData("a", "A", [(BACKLOG, "a2"), (DISCOVERY, "a1")])
    b = RoleData("b", "B", [(BACKLOG, "b2"), (DISCOVERY, "b1")])
    result = compare([a, b], [])
    assert [r.theme.slug for r in result.shared] == ["discovery", "backlog"]


def test_a_shared_table_of_two_roles_has_no_gaps():
    """Every shared theme is held by both of two roles: no dash to explain."""
    assert pm_po().shared
    assert not pm_po().shared_has_gaps


def test_a_theme_shared_by_two_of_three_roles_leaves_a_gap():
    a = RoleData("a", "A", [(DISCOVERY, "a1"), (BACKLOG, "a2")])
    b = RoleData("b", "B", [(DISCOVERY, "b1"), (BACKLOG, "b2")])
    c = RoleData("c", "C", [(DISCOVERY, "c1")])
    assert compare([a, b, c], []).shared_has_gaps
    assert not compare([a, b, c][:2], []).shared_has_gaps
    everyone = RoleData("c", "C", [(DISCOVERY, "c1"), (BACKLOG, "c2")])
    assert not compare([a, b, everyone], []).shared_has_gaps
