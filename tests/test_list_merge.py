"""A list without row identity (a comparison's roles, a role's related roles)
edited by two editors from the same version: the second save is refused,
and saving it again takes both sides' additions and removals as a set - a
role one editor added is not lost to the other's whole list. A merge that
breaks a rule (two to five roles) is shown as a conflict, not saved."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from roles import models as m
from roles.editorial import merge
from roles.editorial.merge import rebase, three_way
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP

from .admin_forms import admin_form_data
from .factories import RoleFactory, make_comparison


def _client(django_user_model, name: str, *, publisher: bool) -> Client:
    user = django_user_model.objects.create_user(
        name, password="a-long-test-password", is_staff=True
    )
    groups = [EDITORS_GROUP, PUBLISHERS_GROUP] if publisher else [EDITORS_GROUP]
    user.groups.add(*Group.objects.filter(name__in=groups))
    client = Client()  # a cookie jar of its own
    client.force_login(user)
    return client


@pytest.fixture
def ana(django_user_model):
    return _client(django_user_model, "ana", publisher=True)


@pytest.fixture
def eve(django_user_model):
    return _client(django_user_model, "eve", publisher=False)


@pytest.fixture
def cast():
    return {s: RoleFactory(slug=s, name=s.title()) for s in "abcdefg"}


def _url(obj) -> str:
    return reverse(f"admin:roles_{obj._meta.model_name}_change", args=[obj.pk])


def _prefix(data: dict) -> str:
    return next(k for k in data if k.endswith("-0-role")).rsplit("-0-", 1)[0]


def _add_role(data: dict, role, suits: str) -> None:
    prefix = _prefix(data)
    at = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(at + 1)
    data[f"{prefix}-{at}-role"] = str(role.pk)
    data[f"{prefix}-{at}-suits"] = suits
    data[f"{prefix}-{at}-order"] = str(at)


def _remove_role(data: dict, role) -> None:
    prefix = _prefix(data)
    at = next(
        k for k, v in data.items() if k.endswith("-role") and v == str(role.pk)
    ).split("-")[-2]
    data[f"{prefix}-{at}-DELETE"] = "on"


def _refused_then_saved_again(client, obj, data: dict, button: str):
    data[button] = "1"
    refused = client.post(_url(obj), data)
    assert refused.status_code == 200
    assert "workflow_conflict" in refused.context
    again = admin_form_data(refused)
    again[button] = "1"
    return refused, client.post(_url(obj), again)


@pytest.mark.django_db
@pytest.mark.parametrize("ana_saves", ["_continue", "_save_draft"])
def test_a_role_one_editor_adds_and_one_another_removes_both_stay(
    ana, eve, cast, ana_saves
):
    comparison = make_comparison([cast["a"], cast["b"], cast["c"]])
    a = admin_form_data(ana.get(_url(comparison)))
    e = admin_form_data(eve.get(_url(comparison)))
    _add_role(a, cast["d"], "Suits Ana's new role.")
    a[ana_saves] = "1"
    assert ana.post(_url(comparison), a).status_code == 302
    _remove_role(e, cast["b"])
    refused, saved = _refused_then_saved_again(eve, comparison, e, "_save_draft")

    # The side-by-side does not call it a clash: the two changes go together.
    (roles,) = [
        f for f in refused.context["workflow_conflict"]["fields"] if f.field == "roles"
    ]
    assert not roles.conflict
    assert saved.status_code == 302
    doc = m.Draft.objects.get().doc
    # Ana's added role (and what she wrote for it) and Eve's removal both stay.
    assert doc["roles"] == ["a", "c", "d"]
    assert doc["suits"]["d"] == "Suits Ana's new role."
    assert "b" not in doc["suits"]


@pytest.mark.django_db
def test_a_merge_that_breaks_the_two_to_five_rule_is_a_conflict_not_saved(
    ana, eve, cast
):
    comparison = make_comparison([cast["a"], cast["b"], cast["c"], cast["d"]])
    a = admin_form_data(ana.get(_url(comparison)))
    e = admin_form_data(eve.get(_url(comparison)))
    _add_role(a, cast["e"], "Suits E.")
    a["_save_draft"] = "1"
    assert ana.post(_url(comparison), a).status_code == 302
    _add_role(e, cast["f"], "Suits F.")
    refused, saved = _refused_then_saved_again(eve, comparison, e, "_save_draft")

    page = refused.content.decode()
    assert "taken together" in page and "it has 6" in page
    assert saved.status_code == 200  # shown again, not saved
    text = saved.content.decode()
    assert "taken together" in text and "it has 6" in text
    assert "A published guide must be complete" not in text  # not a role's gaps
    # Ana's draft is as she saved it; Eve's typing is still in her copy.
    assert m.Draft.objects.get().doc["roles"] == ["a", "b", "c", "d", "e"]
    assert m.AutosavedCopy.objects.filter(kind="comparisons").exists()

    # Eve settles it in the form (she takes d out) and saves: Ana's e stays.
    settled = admin_form_data(saved)
    _remove_role(settled, cast["d"])
    settled["_save_draft"] = "1"
    assert eve.post(_url(comparison), settled).status_code == 302
    assert m.Draft.objects.get().doc["roles"] == ["a", "b", "c", "e", "f"]


def test_a_plain_list_merges_as_a_set_in_their_order_then_your_additions():
    base, theirs, yours = ["a", "b", "c"], ["c", "a", "b", "x"], ["a", "c", "y"]
    # Theirs reordered and added x; yours removed b and added y.
    assert merge.merge_values(base, theirs, yours) == ["c", "a", "x", "y"]
    # Only yours reordered: your order, their addition after it.
    assert merge.merge_values(base, ["a", "b", "c", "x"], ["c", "b", "a"]) == [
        "c",
        "b",
        "a",
        "x",
    ]
    # Both added the same value: once.
    assert merge.merge_values(base, [*base, "x"], [*base, "x"]) == [*base, "x"]
    # Both reordered, differently: a clash for the editor to settle.
    assert merge.merge_values(base, ["b", "a", "c"], ["c", "b", "a"]) is None
    # Duplicates or rows without a key cannot be matched: a clash.
    assert merge.merge_values(["a", "a"], ["a"], ["a", "a", "b"]) is None
    assert merge.merge_values([{"x": 1}], [{"x": 2}], [{"x": 3}]) is None


def test_a_mapping_merges_key_by_key():
    base = {"a": "A", "b": "B"}
    assert merge.merge_values(base, {"a": "A", "b": "B", "d": "D"}, {"a": "A2"}) == {
        "a": "A2",
        "d": "D",
    }
    assert (
        merge.merge_values(base, {"a": "theirs", "b": "B"}, {"a": "yours", "b": "B"})
        is None
    )


def test_related_roles_and_career_paths_changed_by_both_keep_both():
    base = {
        "related_roles": ["a", "b"],
        "career_paths": [{"to": "a", "summary": "A."}],
    }
    theirs = {
        "related_roles": ["a", "b", "c"],
        "career_paths": [{"to": "a", "summary": "A."}, {"to": "c", "summary": "C."}],
    }
    yours = {
        "related_roles": ["b", "d"],
        "career_paths": [{"to": "a", "summary": "A, as rewritten."}],
    }
    assert not any(f.conflict for f in three_way(base, theirs, yours))
    merged = rebase(base, theirs, yours)
    assert merged["related_roles"] == ["b", "c", "d"]
    assert merged["career_paths"] == [
        {"to": "a", "summary": "A, as rewritten."},
        {"to": "c", "summary": "C."},
    ]


# --- one row, different fields: merged field by field -------------------------------


def test_one_row_both_changed_is_merged_field_by_field():
    base = [{"text": "Old", "points": {"r2": 1}}, {"text": "Other", "points": {}}]
    theirs = [{"text": "New", "points": {"r2": 3}}, base[1]]  # rewritten in place
    yours = [{"text": "Old", "points": {"r2": 1, "r6": 2}}, base[1]]
    (field,) = three_way({"options": base}, {"options": theirs}, {"options": yours})
    assert not field.conflict
    assert rebase({"options": base}, {"options": theirs}, {"options": yours})[
        "options"
    ] == [{"text": "New", "points": {"r2": 3, "r6": 2}}, base[1]]
    # Skills by name: they renamed it, you changed its level.
    skills = [{"name": "SQL", "level": "basic", "note": ""}]
    renamed = [{**skills[0], "name": "SQL and dbt"}]
    levelled = [{**skills[0], "level": "expert"}]
    assert merge.merge_rows("skills", skills, renamed, levelled) == [
        {"name": "SQL and dbt", "level": "expert", "note": ""}
    ]


def test_a_field_of_a_row_both_changed_differently_is_shown_and_yours_wins():
    base = [{"title": "A", "text": "a"}, {"title": "B", "text": "b"}]
    theirs = [{"title": "A2", "text": "theirs"}, base[1]]
    yours = [{"title": "A", "text": "yours"}, base[1]]
    (field,) = three_way({"ways_in": base}, {"ways_in": theirs}, {"ways_in": yours})
    assert field.conflict  # shown as both changed
    (row,) = field.rows
    assert row.conflict and row.clashing == ("Text",)
    # Yours replaces theirs where you both changed it; their title stays.
    assert rebase({"ways_in": base}, {"ways_in": theirs}, {"ways_in": yours})[
        "ways_in"
    ] == [{"title": "A2", "text": "yours"}, base[1]]
    # Chosen on a stale draft's review: theirs there, the rest still merged.
    assert rebase(
        {"ways_in": base},
        {"ways_in": theirs},
        {"ways_in": [{"title": "A", "text": "yours"}, {"title": "B", "text": "b2"}]},
        {"ways_in": "theirs"},
    )["ways_in"] == [{"title": "A2", "text": "theirs"}, {"title": "B", "text": "b2"}]


@pytest.mark.django_db
def test_saved_again_keeps_their_text_and_points_and_your_points_in_one_option(
    ana, eve
):
    from .factories import OptionFactory, QuestionFactory

    r = {i: RoleFactory(slug=f"role-{i}", name=f"Role {i}") for i in range(1, 8)}
    question = QuestionFactory()
    for i in range(3):
        OptionFactory(question=question, text=f"Option {i + 1}", order=i)
    a = admin_form_data(ana.get(_url(question)))
    e = admin_form_data(eve.get(_url(question)))
    a["options-0-text"] = "Option 1, as Ana put it"
    a[f"options-0-points_{r[2].pk}"] = "3"
    a["_continue"] = "1"
    assert ana.post(_url(question), a).status_code == 302
    e[f"options-0-points_{r[6].pk}"] = "2"
    refused, saved = _refused_then_saved_again(eve, question, e, "_continue")
    # Not called a clash: they changed other fields of the row than she did.
    (options,) = [
        f
        for f in refused.context["workflow_conflict"]["fields"]
        if f.field == "options"
    ]
    assert not options.conflict
    assert saved.status_code == 302
    doc = m.Draft.objects.get().doc
    first = doc["options"][0]
    assert first["text"] == "Option 1, as Ana put it"
    assert first["points"] == {"role-2": 3, "role-6": 2}


@pytest.mark.django_db
def test_saved_again_keeps_their_skill_rename_and_your_level(ana, eve):
    from .factories import make_complete_guide

    role = make_complete_guide(RoleFactory(slug="live", name="Live"))
    a = admin_form_data(ana.get(_url(role)))
    e = admin_form_data(eve.get(_url(role)))
    prefix = next(k for k in a if k.endswith("-0-level") and "skill" in k).rsplit(
        "-0-", 1
    )[0]
    a[f"{prefix}-0-name"] = "Ana's skill name"
    a["_save_draft"] = "1"
    assert ana.post(_url(role), a).status_code == 302
    levels = [v for k, v in a.items() if k.endswith("-level")]
    e[f"{prefix}-0-level"] = next(
        x for x in ("foundation", "practitioner", "expert") if x != levels[0]
    )
    _, saved = _refused_then_saved_again(eve, role, e, "_save_draft")
    assert saved.status_code == 302
    (skill, *_) = m.Draft.objects.get().doc["skills"]
    assert skill["name"] == "Ana's skill name"
    assert skill["level"] == e[f"{prefix}-0-level"]


def test_the_refusals_rows_are_named_by_their_content_not_the_documents_order():
    """The form shows responsibilities under their themes, numbered in that
    order; the table numbered them in the document's order ("Responsibilities
    6" for the form's first). Every row is named by its first words."""
    duties = [
        {"theme": "b", "text": "Runs the weekly planning with the whole team."},
        {"theme": "a", "text": "Writes the roadmap."},
    ]
    theirs = [duties[0], {"theme": "a", "text": "Writes the roadmap, theirs."}]
    (field,) = three_way(
        {"responsibilities": duties},
        {"responsibilities": theirs},
        {"responsibilities": duties},
    )
    (row,) = field.rows
    assert row.label == "Responsibilities: “Writes the roadmap.”"
    ways = [{"title": "Apprenticeship", "text": "a"}, {"title": "B", "text": "b"}]
    (field,) = three_way(
        {"ways_in": ways},
        {"ways_in": [*ways, {"title": "Bootcamp", "text": "c"}]},
        {"ways_in": [ways[0], {"title": "B", "text": "b2"}]},
    )
    assert [r.label for r in field.rows] == [
        "Ways in: “B”",
        "Ways in, added: “Bootcamp”",
    ]
    # Long first words are cut short.
    long = [{"title": "Runs the weekly planning with the whole team", "text": "x"}]
    (field,) = three_way({"ways_in": long}, {"ways_in": []}, {"ways_in": long})
    (row,) = field.rows
    assert row.label == "Ways in: “Runs the weekly planning with the…”"
