"""A draft's review page and a record's "Compare versions" name the rows of
a list (a role's skills, ways in, typical week; a question's options) by
their first words, as the refused save's side-by-side does
(``docdiff.row_name``): they named them by their number in the content
document ("Options 2 — Text"), which is not their place on the form, or
showed the whole list as one changed text."""

from __future__ import annotations

import copy
import re
from html import unescape

import pytest
from django.urls import reverse
from reversion.models import Version

from roles import models as m
from roles.editorial import workflow as wf

from .admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _changes_rows(html: str) -> list[str]:
    """The row headings of the changes table (docdiff's labels)."""
    table = re.search(r'<table class="draft-changes">(.*?)</table>', html, re.S)
    assert table, "no changes table"
    return [
        _text(th).strip()
        for th in re.findall(r'<th scope="row">(.*?)</th>', table.group(1), re.S)
    ]


def _role_with_skills() -> m.Role:
    role = next(r for r in m.Role.objects.all() if r.skills.count() >= 3)
    return role


def _other_level(level: str) -> str:
    return next(v for v in m.SkillLevel.values if v != level)


def test_the_review_page_names_a_changed_skill_by_its_name(
    seeded, publisher, publisher_client
):
    role = _role_with_skills()
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    after = copy.deepcopy(doc)
    skill = after["skills"][2]
    skill["level"] = _other_level(skill["level"])
    draft = wf.draft_save(
        kind=m.DraftKind.ROLE, object_id=role.pk, doc=after, user=publisher
    )
    html = publisher_client.get(
        reverse("admin:roles_draft_change", args=[draft.pk])
    ).content.decode()
    assert _changes_rows(html) == [f"Skills: “{skill['name']}” — Level"]
    # Not the whole list of skills as one changed text.
    others = [s["name"] for s in doc["skills"] if s["name"] != skill["name"]]
    table = re.search(r'<table class="draft-changes">(.*?)</table>', html, re.S)
    assert not any(name in table.group(1) for name in others)


def test_compare_versions_names_a_changed_skill_by_its_name(seeded, staff_client):
    role = _role_with_skills()
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(staff_client.get(url))
    [prefix] = {
        key.rsplit("-", 2)[0] for key in data if re.fullmatch(r".+-\d+-level", key)
    }
    row = f"{prefix}-2"
    name = data[f"{row}-name"]
    data[f"{row}-level"] = _other_level(data[f"{row}-level"])
    data["_continue"] = "1"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    before, after = Version.objects.get_for_object(role).order_by("-pk")[:2][::-1]
    html = staff_client.get(
        reverse("admin:roles_role_compare", args=[role.pk]),
        {"version_id1": before.pk, "version_id2": after.pk},
    ).content.decode()
    assert _changes_rows(html) == [f"Skills: “{name}” — Level"]
