# ruff: noqa: F811 (fixtures imported from test_workflow are parameters here)
"""Bulk publish and unpublish from the lists of roles, comparisons and
questions: publishers only, through the workflow's services."""

import pytest
from django.urls import reverse
from reversion.models import Version

from roles import models as m
from roles.editorial import workflow as wf

from .factories import RoleFactory, make_complete_guide
from .test_workflow import (  # noqa: F401 (fixtures)
    live_role,
)

pytestmark = pytest.mark.django_db


def _act(client, action: str, objs, model="role"):
    return client.post(
        reverse(f"admin:roles_{model}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objs]},
        follow=True,
    )


def test_a_publisher_unpublishes_then_publishes_several_roles(publisher_client):
    roles = [make_complete_guide(RoleFactory(slug=f"bulk-{i}")) for i in range(2)]
    _act(publisher_client, "unpublish_selected", roles)
    assert set(
        m.Role.objects.filter(pk__in=[r.pk for r in roles]).values_list(
            "status", flat=True
        )
    ) == {m.Status.DRAFT}
    response = _act(publisher_client, "publish_selected", roles)
    assert set(
        m.Role.objects.filter(pk__in=[r.pk for r in roles]).values_list(
            "status", flat=True
        )
    ) == {m.Status.PUBLISHED}
    assert "Published: " in response.content.decode()
    # Each change is a history revision of its own record.
    assert Version.objects.get_for_object(roles[0]).count() == 2


def test_an_incomplete_guide_is_not_published_and_says_what_it_lacks(
    publisher_client,
):
    role = RoleFactory(slug="thin", status=m.Status.DRAFT)
    response = _act(publisher_client, "publish_selected", [role])
    role.refresh_from_db()
    assert role.status == m.Status.DRAFT
    assert "Not published" in response.content.decode()
    assert "Skills: add 5 more skills" in response.content.decode()


def test_publishing_a_record_with_an_open_draft_publishes_the_draft(
    publisher, publisher_client, live_role
):
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=live_role.pk)
    doc["summary"] = "From the draft."
    wf.draft_save(
        kind=m.DraftKind.ROLE, object_id=live_role.pk, doc=doc, user=publisher
    )
    _act(publisher_client, "publish_selected", [live_role])
    live_role.refresh_from_db()
    assert live_role.summary == "From the draft."
    assert m.Draft.objects.get().state == m.DraftState.PUBLISHED


def test_editors_have_no_bulk_actions_and_cannot_post_one(editor_client, live_role):
    page = editor_client.get(reverse("admin:roles_role_changelist"))
    assert "publish_selected" not in page.content.decode()
    _act(editor_client, "unpublish_selected", [live_role])
    live_role.refresh_from_db()
    assert live_role.status == m.Status.PUBLISHED


def test_comparisons_and_questions_lists_have_the_actions(publisher, rf):
    from django.contrib import admin

    request = rf.get("/")
    request.user = publisher
    for model in (m.Comparison, m.Question):
        actions = admin.site._registry[model].get_actions(request)
        assert {"publish_selected", "unpublish_selected"} <= set(actions)
