"""Field-by-field diffs of content documents (pure: no database)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from roles.editorial.docdiff import doc_diff, word_diff

BASE = {
    "slug": "po",
    "name": "Product Owner",
    "summary": "Owns the backlog for one product team.",
    "responsibilities": [
        {"theme": "backlog", "text": "Orders the backlog."},
        {"theme": "stakeholders", "text": "Talks to stakeholders."},
        {"theme": "delivery", "text": "Accepts finished work."},
    ],
    "dimensions": {"horizon": "Sprints", "focus": "Team"},
}


def _copy(doc):
    import copy

    return copy.deepcopy(doc)


def test_identical_documents_have_no_changes():
    assert doc_diff(BASE, _copy(BASE)) == []


def test_a_changed_field_shows_only_the_words_that_changed():
    after = _copy(BASE)
    after["summary"] = "Owns the backlog for two product teams."
    (change,) = doc_diff(BASE, after)
    assert change.label == "Summary" and change.action == "changed"
    assert [s.text for s in change.segments if s.op == "removed"] == ["one", "team."]
    assert [s.text for s in change.segments if s.op == "added"] == ["two", "teams."]


def test_children_are_matched_by_identity_not_position():
    after = _copy(BASE)
    removed = after["responsibilities"].pop(0)
    # Added under another theme: not the removed one rewritten in its place.
    after["responsibilities"].append({"theme": "delivery", "text": "Writes stories."})
    changes = doc_diff(BASE, after)
    assert {(c.action, c.before or c.after) for c in changes} == {
        ("removed", "theme: backlog; text: Orders the backlog."),
        ("added", "theme: delivery; text: Writes stories."),
    }
    assert removed["text"] == "Orders the backlog."


def test_a_moved_child_shows_as_moved_and_a_changed_theme_as_changed():
    # Under one theme: the page shows them in the document's order (across
    # themes it shows them by theme, see the renumbering test below).
    before = _copy(BASE)
    for item in before["responsibilities"]:
        item["theme"] = "backlog"
    after = _copy(before)
    after["responsibilities"].reverse()
    after["responsibilities"][0]["theme"] = "quality"
    changes = doc_diff(before, after)
    actions = sorted(c.action for c in changes)
    assert actions == ["changed", "moved", "moved"]
    theme = next(c for c in changes if c.action == "changed")
    assert "Accepts finished work." in theme.label
    assert (theme.before, theme.after) == ("backlog", "quality")


def test_mappings_compare_by_key():
    after = _copy(BASE)
    after["dimensions"] = {"horizon": "Quarters", "scope": "Product"}
    changes = {(c.label, c.action) for c in doc_diff(BASE, after)}
    assert changes == {
        ("Comparison values: focus", "removed"),
        ("Comparison values: horizon", "changed"),
        ("Comparison values: scope", "added"),
    }


def test_word_diff_of_equal_text_is_one_unchanged_segment():
    assert [s.op for s in word_diff("same words", "same words")] == ["same"]


def test_impact_counts_top_results_per_role_before_and_after():
    from roles.questionnaire import scoring
    from roles.questionnaire.impact import RoleShift, impact_of
    from roles.questionnaire.results import Questionnaire, RoleInfo

    def spec(a: dict, b: dict) -> scoring.QuestionSpec:
        options = (scoring.OptionSpec("A", a), scoring.OptionSpec("B", b))
        return scoring.QuestionSpec("q", scoring.SCENARIO, "Pick", options=options)

    roles = (RoleInfo("pm", "PM", ""), RoleInfo("po", "PO", ""))
    snapshot = Questionnaire((spec({"pm": 3}, {"po": 3}),), roles, {}).as_snapshot()
    stored = [
        (snapshot, {"q": 0}, "pm"),
        (snapshot, {"q": 0}, "pm"),
        (snapshot, {"q": 1}, "po"),
        (snapshot, {"other": 1}, "po"),  # did not answer: not counted
    ]
    # Both options now favour the PO (a role no answer can move never matches).
    impact = impact_of(spec({"po": 3}, {"po": 1}), stored)
    assert (impact.affected, impact.changed) == (3, 2)
    assert impact.shifts == (RoleShift("pm", 2, 0), RoleShift("po", 1, 3))
    unchanged = impact_of(spec({"pm": 4}, {"po": 4}), stored)
    assert (unchanged.changed, unchanged.shifts) == (0, ())


def test_a_rewritten_child_in_the_same_place_shows_as_changed_word_by_word():
    after = _copy(BASE)
    after["responsibilities"][1]["text"] = "Talks to users and stakeholders."
    (change,) = doc_diff(BASE, after)
    # Named down to the field of the row that changed.
    assert (change.action, change.label) == ("changed", "Responsibilities 2 — Text")
    assert [s.text for s in change.segments if s.op == "added"] == ["users and"]


_texts = st.text(alphabet="abc \n", min_size=0, max_size=12)


def _role_docs():
    item = st.fixed_dictionaries(
        {"theme": st.sampled_from(["t1", "t2"]), "text": _texts}
    )
    return st.fixed_dictionaries(
        {
            "summary": _texts,
            "responsibilities": st.lists(
                item, max_size=4, unique_by=lambda i: i["text"]
            ),
            "dimensions": st.dictionaries(st.sampled_from(["d1", "d2"]), _texts),
        }
    )


@settings(max_examples=200, deadline=None)
@given(_role_docs(), _role_docs())
def test_diff_is_empty_exactly_when_the_documents_are_equal(before, after):
    """Equal as the page shows them: responsibilities under their themes (any
    fixed order of themes), whatever their order across themes."""

    def shown(doc):
        duties = sorted(doc["responsibilities"], key=lambda item: item["theme"])
        return {**doc, "responsibilities": duties}

    assert doc_diff(before, before) == []
    assert (doc_diff(before, after) == []) == (shown(before) == shown(after))
    renumbered = {**before, "responsibilities": shown(before)["responsibilities"]}
    assert doc_diff(before, renumbered) == []


def _duty(theme: str, text: str) -> dict:
    return {"theme": theme, "text": text}


#: As the page shows them: under a heading per theme, in the order of the
#: themes; the document lists them by their stored order numbers.
DUTIES = [
    _duty("backlog", "Orders the backlog."),
    _duty("delivery", "Accepts finished work."),
    _duty("backlog", "Writes stories."),
    _duty("delivery", "Demos the increment."),
]


def test_renumbered_responsibilities_that_keep_their_place_on_the_page_are_not_moved():
    """A save through the form numbers the rows in the page's order (by
    theme): the document's order changed, the page's did not, and every
    responsibility was reported as moved."""
    before = {"responsibilities": DUTIES}
    renumbered = {"responsibilities": [DUTIES[0], DUTIES[2], DUTIES[1], DUTIES[3]]}
    assert doc_diff(before, renumbered) == []
    # Moved under its heading: moved.
    swapped = {"responsibilities": [DUTIES[2], DUTIES[1], DUTIES[0], DUTIES[3]]}
    moved = doc_diff(before, swapped)
    assert {c.action for c in moved} == {"moved"}
    assert {c.before.split(" (")[0] for c in moved} == {
        "Orders the backlog.",
        "Writes stories.",
    }


def test_an_edited_responsibility_is_changed_even_where_its_number_moved():
    """Edited and renumbered in the same save, it was reported as one
    responsibility removed and another added."""
    before = {"responsibilities": DUTIES}
    edited = _duty("backlog", "Writes user stories with the team.")
    after = {"responsibilities": [DUTIES[0], edited, DUTIES[1], DUTIES[3]]}
    (change,) = doc_diff(before, after)
    assert change.action == "changed"
    assert (change.before, change.after) == (
        "Writes stories.",
        "Writes user stories with the team.",
    )
    # Two rows rewritten under one heading, in their places: each changed.
    both = [
        _duty("backlog", "Orders the backlog, weekly."),
        DUTIES[1],
        _duty("backlog", "Writes stories, small ones."),
        DUTIES[3],
    ]
    changes = doc_diff(before, {"responsibilities": both})
    assert [(c.action, c.before) for c in changes] == [
        ("changed", "Orders the backlog."),
        ("changed", "Writes stories."),
    ]
