"""The editors' accessibility checker over a draft's Markdown fields (pure)."""

import pytest

from roles.editorial.content_check import MAX_WORDS, draft_problems, markdown_problems


def _messages(text: str) -> list[str]:
    return [f.message for f in markdown_problems("overview", text)]


def test_clean_markdown_has_no_problems():
    text = (
        "## What the role does\n\nIt orders work.\n\n### Day to day\n\n"
        "See [the Scrum Guide](https://scrumguides.org/scrum-guide.html).\n\n"
        "| Task | Hours |\n| --- | --- |\n| Refinement | 3 |\n"
    )
    assert _messages(text) == []


def test_a_skipped_heading_level_is_named_with_the_level_to_use():
    assert _messages("## Overview\n\n#### Detail\n") == [
        "The heading “Detail” skips from level 2 to 4: use level 3."
    ]


@pytest.mark.parametrize("label", ["click here", "Here", "read more", "More."])
def test_vague_link_text(label):
    [message] = _messages(f"For details [{label}](https://example.org/page).")
    assert f"“{label}” says nothing out of context" in message


def test_a_bare_address_as_link_text_or_in_the_text():
    assert _messages("[https://example.org/x](https://example.org/x)") == [
        "The link text is a bare address (https://example.org/x): say what it is."
    ]
    assert _messages("See https://example.org/guide for more.") == [
        "A bare address (https://example.org/guide): make it a link with words."
    ]
    assert _messages("See <https://example.org/guide>.") == [
        "A bare address (https://example.org/guide): make it a link with words."
    ]


def test_an_overlong_paragraph_is_flagged_and_a_long_text_in_short_ones_is_not():
    long = " ".join(["word"] * (MAX_WORDS + 1))
    [message] = _messages(long)
    assert f"has {MAX_WORDS + 1} words" in message
    short = "\n\n".join(" ".join(["word"] * 60) for _ in range(5))
    assert _messages(short) == []


def test_a_table_without_a_header_row():
    assert _messages("| a | b |\n| c | d |\n") == [
        "A table without a header row: add one, then a line like | --- | --- |."
    ]


def test_findings_name_their_field():
    found = draft_problems({"overview": "[here](https://x.org/a)", "origin": "Fine."})
    assert [f.field for f in found] == ["overview"]


@pytest.mark.django_db
def test_the_draft_review_page_lists_problems_with_links_to_the_field(
    staff_client,
):
    from django.urls import reverse

    from roles import models as m
    from roles.editorial import workflow as wf

    from .factories import RoleFactory

    role = RoleFactory(slug="checked")
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    doc["overview"] = "## About\n\n#### Detail\n\nSee [click here](https://x.org/a)."
    user = m.Draft._meta.get_field("created_by").related_model.objects.get(
        username="staff"
    )
    draft = wf.draft_save(kind=m.DraftKind.ROLE, object_id=role.pk, doc=doc, user=user)
    html = staff_client.get(draft.get_absolute_url()).content.decode()
    change = reverse("admin:roles_role_change", args=[role.pk])
    assert f'href="{change}#id_overview"' in html
    assert "skips from level 2 to 4" in html
    assert "“click here” says nothing out of context" in html


def test_a_link_without_text():
    """Markdown lets "[](address)" through as an empty link: nothing to read."""
    assert _messages("See [](https://example.org/a) now.") == [
        "A link to https://example.org/a has no text: screen readers announce "
        "nothing. Put words between the brackets."
    ]


@pytest.mark.django_db
def test_a_draft_preview_lists_the_text_problems_and_loads_the_page_check(
    staff_client, client
):
    """The preview's banner: the Markdown findings linked to the form, and
    axe-core for the rendered page (js/preview-check.js) — on previews only."""
    from django.urls import reverse

    from roles import models as m
    from roles.editorial import workflow as wf

    from .factories import RoleFactory, make_complete_guide

    role = make_complete_guide(RoleFactory(slug="checked"))
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    doc["overview"] = "See [](https://x.org/a) and [click here](https://x.org/b)."
    user = m.Draft._meta.get_field("created_by").related_model.objects.get(
        username="staff"
    )
    draft = wf.draft_save(kind=m.DraftKind.ROLE, object_id=role.pk, doc=doc, user=user)
    preview = reverse("admin:roles_draft_preview", args=[draft.pk])
    html = staff_client.get(preview).content.decode()
    change = reverse("admin:roles_role_change", args=[role.pk])
    assert f'<a href="{change}#id_overview">' in html
    assert "has no text: screen readers announce nothing" in html
    assert "“click here” says nothing out of context" in html
    assert 'data-axe-src="/static/js/axe.min.js"' in html
    assert "js/preview-check.js" in html
    public = client.get(role.get_absolute_url()).content.decode()
    assert "axe" not in public and "preview-check" not in public


@pytest.mark.django_db
def test_the_preview_of_unsaved_changes_lists_the_text_problems_too(staff_client):
    """The "Preview" button on the change form (the form's own text, nothing saved) runs
    the same checker as a draft's preview. It opens in a new tab, so the
    findings name their fields without linking away from the editor's form."""
    from django.urls import reverse

    from .admin_forms import admin_form_data
    from .factories import RoleFactory, make_complete_guide

    role = make_complete_guide(RoleFactory(slug="checked"))
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(staff_client.get(url))
    data["overview"] = "## About\n\n#### Detail\n\nSee [click here](https://x.org/b)."
    page = staff_client.post(url, {**data, "_preview": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview of unsaved changes" in html
    assert "Checks for readers" in html
    assert "skips from level 2 to 4" in html
    assert "“click here” says nothing out of context" in html
    assert f'href="{url}#id_overview"' not in html
    assert 'data-axe-src="/static/js/axe.min.js"' in html


def test_an_html_link_with_words_is_not_a_bare_address():
    # Found by a tester: <a href="https://ok.example/">okA</a> is allowed and
    # renders as a link with words, but was reported as 'A bare address
    # (https://ok.example/"): make it a link with words.', stray quote and all.
    assert _messages('See <a href="https://ok.example/">the guide</a>.') == []
    assert _messages('See <a href="https://ok.example/">click here</a>.') == [
        "The link text “click here” says nothing out of context: "
        "name where the link goes."
    ]
    assert _messages("<a href='https://ok.example/'>https://ok.example/</a>") == [
        "The link text is a bare address (https://ok.example/): say what it is."
    ]
