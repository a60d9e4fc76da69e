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


def _content_admins():
    from django.contrib import admin

    return [
        (entry.model, admin.site._registry[entry.model])
        for entry in registry.entries()
        if entry.content and entry.model in admin.site._registry
    ]


@pytest.mark.django_db
def test_an_editor_who_may_not_publish_changes_no_live_content_directly(seeded):
    """Over every content model the admin offers. Those without drafts (the
    vocabularies, the glossary) changed the live site as an editor saved:
    editors read them, publishers change them. Those with drafts: an editor's
    save becomes a draft, but recovering a deleted record put it back live,
    so recovering is for publishers too."""
    from django.test import Client
    from django.urls import reverse
    from reversion.models import Version

    from roles.editorial.admin import WorkflowAdminMixin

    from .factories import make_editor

    editor = Client()
    editor.force_login(make_editor("carol"))
    checked = 0
    for model, model_admin in _content_admins():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        obj = model._default_manager.first()
        assert obj is not None, f"the seed has no {opts.verbose_name}"
        if isinstance(model_admin, WorkflowAdminMixin):
            version = Version.objects.get_for_model(model).first()
            response = editor.get(reverse(f"{name}_recover", args=[version.pk]))
            assert response.status_code == 403, (model, "recover")
        else:
            assert editor.get(reverse(f"{name}_changelist")).status_code == 200
            assert editor.get(reverse(f"{name}_add")).status_code == 403, model
            change = reverse(f"{name}_change", args=[obj.pk])
            page = editor.get(change)
            assert (
                page.status_code == 200 and 'name="_save"' not in page.content.decode()
            )
            assert editor.post(change, {}).status_code == 403, model
            delete = reverse(f"{name}_delete", args=[obj.pk])
            assert editor.post(delete, {"post": "yes"}).status_code == 403, model
            assert model._default_manager.filter(pk=obj.pk).exists()
        checked += 1
    assert checked >= 7
