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
    # Named down to the field of the row that changed, the row by its first
    # words as they were (its number in the document is not its place on
    # the form, where responsibilities sit under their themes).
    assert (change.action, change.label) == (
        "changed",
        "Responsibilities: “Talks to stakeholders.” — Text",
    )
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
            # Told apart by name, which two skills may share.
            "skills": st.lists(
                st.fixed_dictionaries(
                    {"name": st.sampled_from(["s1", "s2", "s3"]), "level": _texts}
                ),
                max_size=3,
            ),
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
    assert {(c.label, c.before, c.after) for c in moved} == {
        ("Responsibilities: “Orders the backlog.”", "was 1 under backlog", "now 2"),
        ("Responsibilities: “Writes stories.”", "was 2 under backlog", "now 1"),
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


SKILLS = [
    {"name": "Facilitation", "level": "expert", "note": "Runs workshops."},
    {"name": "Teaching", "level": "practitioner", "note": "Explains practices."},
]


def test_rows_told_apart_by_a_key_are_named_by_it_not_shown_as_one_list():
    """A skill whose level changed was shown as the whole list of skills,
    changed in one word."""
    after = {"skills": _copy(SKILLS)}
    after["skills"][1]["level"] = "expert"
    (change,) = doc_diff({"skills": SKILLS}, after)
    assert (change.label, change.before, change.after) == (
        "Skills: “Teaching” — Level",
        "practitioner",
        "expert",
    )
    added = {"skills": [*SKILLS, {"name": "Coaching teams well over many months"}]}
    (change,) = doc_diff({"skills": SKILLS}, added)
    assert (change.action, change.label) == (
        "added",
        "Skills: “Coaching teams well over many months”",
    )


def test_a_long_row_is_named_by_its_first_six_words():
    before = {"options": [{"text": "Talking to people who use the product daily."}]}
    after = {"options": [{"text": "Talking to people who use the product daily."}]}
    after["options"][0]["points"] = {"po": 1}
    (change,) = doc_diff(before, after)
    assert change.label == "Options: “Talking to people who use the…” — Points"


def test_rows_that_share_a_key_are_shown_as_one_changed_list():
    """Two skills of one name cannot be told apart: the list is shown as a
    whole rather than a change lost to the match."""
    twice = [SKILLS[0], {**SKILLS[0], "note": "Another note."}]
    after = [SKILLS[0], {**SKILLS[0], "note": "A third note."}]
    (change,) = doc_diff({"skills": twice}, {"skills": after})
    assert change.label == "Skills" and change.action == "changed"


def test_a_row_told_apart_by_two_fields_is_named_by_both():
    """A comparison's situations: two of one factor differ by their label."""
    row = {"context": "size", "label": "A start-up", "note": "Small."}
    after = {"contexts": [{**row, "note": "Very small."}]}
    (change,) = doc_diff({"contexts": [row]}, after)
    assert change.label == "Contexts: “size: A start-up” — Note"
