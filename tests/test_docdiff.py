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
    after["responsibilities"].append({"theme": "backlog", "text": "Writes stories."})
    changes = doc_diff(BASE, after)
    assert {(c.action, c.before or c.after) for c in changes} == {
        ("removed", "theme: backlog; text: Orders the backlog."),
        ("added", "theme: backlog; text: Writes stories."),
    }
    assert removed["text"] == "Orders the backlog."


def test_a_moved_child_shows_as_moved_and_a_changed_theme_as_changed():
    after = _copy(BASE)
    after["responsibilities"].reverse()
    after["responsibilities"][0]["theme"] = "quality"
    changes = doc_diff(BASE, after)
    actions = sorted(c.action for c in changes)
    assert actions == ["changed", "moved", "moved"]
    theme = next(c for c in changes if c.action == "changed")
    assert "Accepts finished work." in theme.label
    assert (theme.before, theme.after) == ("delivery", "quality")


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
    assert doc_diff(before, before) == []
    assert (doc_diff(before, after) == []) == (before == after)
