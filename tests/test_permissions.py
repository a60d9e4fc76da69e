"""Editors' and publishers' groups hold exactly what the registry grants, and
every migrate brings a drifted group back (a new content model needs no
migration of its own for its permissions)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from roles.editorial.permissions import (
    EDITORS_GROUP,
    PUBLISH_PERMISSION,
    PUBLISHERS_GROUP,
    editor_codenames,
)
from roles.publishing import registry

pytestmark = pytest.mark.django_db


def _codenames(name: str) -> set[str]:
    return set(
        Group.objects.get(name=name).permissions.values_list("codename", flat=True)
    )


def test_editor_codenames_cover_every_model_editors_edit_and_read():
    codenames = set(editor_codenames())
    for model in registry.editor_models("edit"):
        name = model._meta.model_name
        assert {f"{a}_{name}" for a in ("add", "change", "delete", "view")} <= codenames
    for model in registry.editor_models("view"):
        name = model._meta.model_name
        assert f"view_{name}" in codenames
        assert f"change_{name}" not in codenames
    assert not any(c.endswith(("_user", "_group", "_permission")) for c in codenames)


def test_groups_hold_exactly_what_the_registry_grants():
    assert _codenames(EDITORS_GROUP) == set(editor_codenames())
    publish = PUBLISH_PERMISSION.split(".")[1]
    assert _codenames(PUBLISHERS_GROUP) == {*editor_codenames(), publish}


def test_migrate_brings_a_drifted_group_back():
    publishers = Group.objects.get(name=PUBLISHERS_GROUP)
    publishers.permissions.remove(
        *publishers.permissions.filter(codename__endswith="_careerpath")
    )
    assert "change_careerpath" not in _codenames(PUBLISHERS_GROUP)
    call_command("migrate", verbosity=0)
    assert "change_careerpath" in _codenames(PUBLISHERS_GROUP)
