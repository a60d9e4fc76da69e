"""The admin's change forms as editors meet them in Chromium: the Markdown
preview, the inline tables' headers, and inline rows with scripts off."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from roles import models as m

from .test_editor_browser import PASSWORD, _login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(site, browser):
    get_user_model().objects.create_superuser("root", "", PASSWORD)
    context, page = _login(browser, site, "root")
    yield page
    context.close()


def test_the_markdown_preview_shows_list_markers(site, desk):
    """The admin's form styles drop the bullets of lists inside an aligned
    fieldset (``form .aligned ul li``): the preview must show them as the
    public page does."""
    role = m.Role.objects.order_by("pk").first()
    desk.goto(site.url + f"/admin/roles/role/{role.pk}/change/")
    editor = desk.locator(".markdown-editor").first
    editor.locator("textarea").fill("Intro\n\n- one\n- two\n\n1. first\n2. second\n")
    editor.get_by_role("button", name="Preview").click()
    expect(editor.locator(".markdown-preview li")).to_have_count(4)
    markers = editor.locator(".markdown-preview li").evaluate_all(
        "items => items.map(li => getComputedStyle(li).listStyleType)"
    )
    assert markers == ["disc", "disc", "decimal", "decimal"]
