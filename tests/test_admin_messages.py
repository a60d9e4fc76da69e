"""The admin's notes above the page (Django's messages) say their level by
more than colour: each level has a look of its own, in the light and the
dark theme, and its name for screen readers. An info note ("nothing
changed") came out with the green tick of a success."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"
ADMIN_CSS = (STATIC / "css" / "admin.css").read_text()

#: Every level the admin shows (debug is below the shown level).
SHOWN = {
    messages.SUCCESS: "success",
    messages.INFO: "info",
    messages.WARNING: "warning",
    messages.ERROR: "error",
}
#: What a screen reader says first, for each level's class.
NAMES = {"success": "Success", "info": "Note", "warning": "Warning", "error": "Error"}


def _admin_page_with(levels: dict[int, str], staff) -> str:
    request = RequestFactory().get("/admin/")
    request.user = staff
    request.session = SessionStore()
    request._messages = default_storage(request)
    for level, tag in levels.items():
        messages.add_message(request, level, f"A {tag} note.")
    response = admin.site.index(request)
    response.render()
    return response.content.decode()


def test_each_level_is_marked_up_with_its_class_and_named_for_screen_readers(
    django_user_model,
):
    staff = django_user_model.objects.create_superuser("staff", "", "pw-long-enough")
    html = _admin_page_with(SHOWN, staff)
    for tag in SHOWN.values():
        name = NAMES[tag]
        assert re.search(
            rf'<li class="{tag}">\s*<span class="visually-hidden">{name}: </span>'
            rf"A {tag} note\.</li>",
            html,
        ), tag
    # Four different names: a screen reader tells an info from a success.
    assert len({NAMES[tag] for tag in SHOWN.values()}) == len(SHOWN)


def _rules(selector_part: str) -> list[str]:
    """The declarations of every admin.css rule whose selector names
    ``selector_part``."""
    return [
        body
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", ADMIN_CSS)
        if selector_part in selector
    ]


def test_info_has_a_look_of_its_own_in_the_light_and_the_dark_theme():
    """Django's admin draws every message as a success (green, a tick)
    unless it is a warning or an error: info needs its own colour and
    icon, and another pair for the dark theme (by the system's setting and
    by the admin's theme toggle)."""
    light = _rules("ul.messagelist li.info")
    assert any("background-color" in r and "background-image" in r for r in light)
    dark = [
        selector
        for selector, _ in re.findall(r"([^{}]+)\{([^{}]*)\}", ADMIN_CSS)
        if "li.info" in selector
    ]
    assert any('data-theme="dark"' in s for s in dark), dark
    assert any('not([data-theme="light"])' in s for s in dark), dark
    assert "prefers-color-scheme: dark" in ADMIN_CSS
    icons = re.findall(r"url\(\.\./img/([^)]+)\)", "".join(_rules("li.info")))
    assert len(set(icons)) == 2, icons  # one for each theme
    for icon in icons:
        assert (STATIC / "img" / icon).is_file(), icon


def test_a_draft_page_posted_without_an_action_is_a_warning_not_an_error(
    publisher_client, publisher
):
    """Nothing was done and nothing is wrong with the draft: the editor is
    asked to choose, as Django's own "No action selected." asks."""
    from django.urls import reverse

    from roles import models as m
    from roles.editorial import workflow as wf

    from .factories import RoleFactory

    role = RoleFactory()
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    draft = wf.draft_save(
        kind=m.DraftKind.ROLE,
        object_id=role.pk,
        doc={**doc, "summary": "A new summary."},
        user=publisher,
    )
    url = reverse("admin:roles_draft_change", args=[draft.pk])
    response = publisher_client.post(url, {}, follow=True)
    assert re.search(
        r'<li class="warning">.*?</span>Choose an action\.', response.content.decode()
    )
