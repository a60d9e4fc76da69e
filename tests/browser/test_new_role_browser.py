"""Adding a role takes few actions (issue 21): an editor starts from an
existing role, names the new one, changes what differs and submits it, and
the publisher is handed a complete guide. Every click, fill, select and page
opened counts as an action."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from roles import models as m
from roles.editorial import workflow as wf
from roles.editorial.completeness import guide_gaps

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-42"
MAX_ACTIONS = 40


class Counted:
    """The page, counting what a person would do on it."""

    def __init__(self, page):
        self.page = page
        self.actions: list[str] = []

    def _do(self, name: str, *args, **kwargs):
        self.actions.append(f"{name} {args[0]}")
        return getattr(self.page, name)(*args, **kwargs)

    def goto(self, url):
        return self._do("goto", url)

    def click(self, selector):
        return self._do("click", selector)

    def fill(self, selector, value):
        return self._do("fill", selector, value)

    def select_option(self, selector, **kwargs):
        return self._do("select_option", selector, **kwargs)


def test_a_new_role_is_created_and_submitted_complete_in_at_most_40_actions(
    site, browser, monkeypatch
):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "ed", stdout=StringIO())
    source = m.Role.objects.get(slug="product-owner")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = Counted(context.new_page())

    page.goto(site.url + "/admin/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(site.url + "/admin/roles/role/")
    page.click("text=Start from an existing role")
    assert_accessible(page.page)
    page.select_option("#id_source", label=source.name)
    page.fill("#id_name", "Product Operations Lead")
    page.fill("#id_slug", "product-operations-lead")
    page.click("input[value='Create the new role']")
    page.fill("#id_summary", "Keeps the product team's tools and data in order.")
    page.fill("#id_overview", "A product operations lead runs the team's tooling.")
    page.click("input[name=_submit_draft]")
    page.page.wait_for_load_state()

    role = m.Role.objects.get(slug="product-operations-lead")
    draft = m.Draft.objects.get(kind=m.DraftKind.ROLE, object_id=role.pk)
    assert draft.state == m.DraftState.IN_REVIEW, page.page.content()[:2000]
    assert draft.doc["summary"] == "Keeps the product team's tools and data in order."
    assert guide_gaps(draft.doc) == []  # the publisher is handed a complete role
    assert role.status != m.Status.PUBLISHED  # live only when a publisher says so
    assert len(page.actions) <= MAX_ACTIONS, page.actions
    print(f"{len(page.actions)} actions to add and submit a role: {page.actions}")
    # And it publishes at the first attempt.
    publisher = get_user_model().objects.create(username="pub", is_superuser=True)
    wf.draft_publish(draft=draft, user=publisher)
    role.refresh_from_db()
    assert role.status == m.Status.PUBLISHED
    context.close()
