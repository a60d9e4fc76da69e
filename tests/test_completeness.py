# ruff: noqa: F811 (fixtures imported from test_workflow are parameters here)
"""What publishing needs is visible while writing: "Save draft" saves and lists
what is missing in the form's words; "Submit for review" is refused until
nothing is, so a publisher is never handed an incomplete role."""

import re

import pytest
from django.core.exceptions import ValidationError

from roles import models as m
from roles.content_io import schema as cd
from roles.editorial import workflow as wf
from roles.editorial.completeness import PARTS, guide_gaps

from .admin_forms import admin_form_data
from .factories import RoleFactory
from .test_workflow import (  # noqa: F401 (fixtures)
    _change_url,
    _drop_skills,
    _text,
    live_role,
)

# The names the import and the database use, which editors never see.
INTERNAL = re.compile(
    r"ways_in|typical_week|anti_patterns|related_roles|career_paths|"
    r"new_responsibilities|skills_to_build|\[\d+\]|a published guide needs"
)


def test_every_counted_part_has_a_label_and_an_empty_guide_lacks_each():
    assert set(PARTS) == set(cd.GUIDE_COUNTS)
    gaps = guide_gaps({})
    assert [g.label for g in gaps] == [PARTS[name].label for name in cd.GUIDE_COUNTS]
    assert gaps[0].message == "add 5 more skills (5 to 8 needed, 0 so far)."
    assert not any(INTERNAL.search(str(g)) for g in gaps)


def test_career_path_phrases_are_named_by_the_role_they_lead_to():
    record = {"career_paths": [{"to": "scrum-master", "new_responsibilities": ["a"]}]}
    labels = [str(g) for g in guide_gaps(record) if "scrum-master" in g.label]
    assert labels == [
        "Career paths out of this role, to scrum-master: New responsibilities: "
        "add 1 more phrase (2 to 4 needed, 1 so far). One short phrase per line.",
        "Career paths out of this role, to scrum-master: Skills to build: "
        "add 2 more phrases (2 to 4 needed, 0 so far). One short phrase per line.",
    ]


@pytest.mark.django_db
def test_a_complete_guide_has_no_gaps(live_role):
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=live_role.pk)
    assert guide_gaps(doc) == []


def _post(client, role, button: str, drop: int = 2):
    url = _change_url(role)
    data = admin_form_data(client.get(url))
    _drop_skills(data, drop)
    data["summary"] = "Typed while deleting skills."
    data[button] = "1"
    return client.post(url, data, follow=True)


@pytest.mark.django_db
def test_save_draft_saves_an_incomplete_guide_and_lists_what_is_missing(
    editor_client, live_role
):
    response = _post(editor_client, live_role, "_save_draft")
    draft = m.Draft.objects.get()
    assert draft.state == m.DraftState.DRAFT
    assert draft.doc["summary"] == "Typed while deleting skills."
    assert len(draft.doc["skills"]) == 3
    assert live_role.skills.count() == 5  # the live page is unchanged
    # Back on the form, which shows the draft and, by the skills, the gap.
    assert response.redirect_chain[-1][0] == _change_url(live_role)
    html = response.content.decode()
    text = _text(response)
    assert "Still needed to publish" in text
    assert "Skills: add 2 more skills (5 to 8 needed, 3 so far)." in text
    assert 'href="#skills-group"' in html
    assert html.index("Still needed to publish — Skills") < html.index(
        'id="skills-group"'
    )
    assert not INTERNAL.search(text)


@pytest.mark.django_db
def test_submit_is_refused_until_the_guide_is_complete(editor_client, live_role):
    response = _post(editor_client, live_role, "_submit_draft")
    draft = m.Draft.objects.get()
    # Saved, not submitted; the editor is told why, in the form's words.
    assert draft.state == m.DraftState.DRAFT
    text = _text(response)
    assert "Not submitted" in text and "Skills: add 2 more skills" in text
    # Completed (the skills put back), the submit goes through.
    url = _change_url(live_role)
    data = admin_form_data(editor_client.get(url))
    for i in range(2):
        data["skills-TOTAL_FORMS"] = str(int(data["skills-TOTAL_FORMS"]) + 1)
        n = int(data["skills-TOTAL_FORMS"]) - 1
        data.update(
            {
                f"skills-{n}-name": f"Added skill {i}",
                f"skills-{n}-level": "practitioner",
                f"skills-{n}-order": str(100 + i),
            }
        )
    data["_submit_draft"] = "1"
    editor_client.post(url, data)
    draft.refresh_from_db()
    assert len(draft.doc["skills"]) == 5, draft.doc["skills"]
    assert draft.state == m.DraftState.IN_REVIEW


@pytest.mark.django_db
def test_the_service_refuses_to_submit_an_incomplete_draft(publisher, live_role):
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=live_role.pk)
    doc["ways_in"] = doc["ways_in"][:1]
    draft = wf.draft_save(
        kind=m.DraftKind.ROLE, object_id=live_role.pk, doc=doc, user=publisher
    )
    with pytest.raises(ValidationError) as exc:
        wf.draft_submit(draft=draft, user=publisher)
    assert "Ways into the role: add 1 more way in" in " ".join(exc.value.messages)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.DRAFT


@pytest.mark.django_db
def test_start_from_an_existing_role_copies_its_guide_unpublished(
    editor_client, live_role
):
    from django.urls import reverse

    changelist = editor_client.get(reverse("admin:roles_role_changelist"))
    start = reverse("admin:roles_role_start")
    assert start in changelist.content.decode()
    response = editor_client.post(
        start,
        {"source": live_role.pk, "name": "Service Owner", "slug": "service-owner"},
    )
    role = m.Role.objects.get(slug="service-owner")
    assert response.status_code == 302
    assert response["Location"] == _change_url(role)
    assert role.status == m.Status.DRAFT and role.name == "Service Owner"
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    source = wf.record_doc(kind=m.DraftKind.ROLE, object_id=live_role.pk)
    for part in ("skills", "ways_in", "typical_week", "anti_patterns", "sources"):
        assert doc[part] == source[part]
    assert guide_gaps(doc) == []  # complete: ready to submit
    # The same address twice is refused in words, not a server error.
    again = editor_client.post(
        start, {"source": live_role.pk, "name": "Other", "slug": "service-owner"}
    )
    assert again.status_code == 200
    assert "already has the address" in _text(again)


@pytest.mark.django_db
def test_a_gap_in_one_row_is_said_beside_its_field(editor_client, live_role):
    """Career path 2's "new responsibilities" carries its own gap, in plain
    words, in the help text its box is described by; row 1 carries none."""
    m.CareerPath.objects.create(
        from_role=live_role,
        to_role=RoleFactory(slug="next-role", name="Next Role"),
        summary="Onwards again.",
        new_responsibilities="Owning a roadmap\nLeading a team",
        skills_to_build="Coaching\nForecasting",
        order=1,
    )
    url = _change_url(live_role)
    data = admin_form_data(editor_client.get(url))
    assert data["paths_out-1-to_role"]  # the second row is the new path
    data["paths_out-1-new_responsibilities"] = "Only one phrase"
    data["_save_draft"] = "1"
    html = editor_client.post(url, data, follow=True).content.decode()

    help_id = "id_paths_out-1-new_responsibilities_helptext"
    box = re.search(
        r"<textarea[^>]*id=\"id_paths_out-1-new_responsibilities\"[^>]*>", html
    )
    assert box and help_id in box.group(0)  # aria-describedby
    helptext = re.search(rf'<div class="help" id="{help_id}">(.*?)</div>', html, re.S)
    assert helptext is not None
    said = re.sub(r"<[^>]+>", "", helptext.group(1))
    assert (
        "Still needed to publish: 2 to 4 short phrases, one per line (1 so far)."
        in said
    )
    assert not INTERNAL.search(said)
    # Only there: not beside row 1's field, not on the other field of row 2.
    assert html.count("Still needed to publish: ") == 1
    # The list at the top links to the field itself.
    assert 'href="#id_paths_out-1-new_responsibilities"' in html
    # Named by the role it leads to, as editors know it (not its address).
    assert "Career paths out of this role, to Next Role: New responsibilities" in (
        _text_of(html)
    )


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
