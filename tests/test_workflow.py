"""Drafts of live records, preview, review, scheduling and expiry."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from roles import models as m
from roles.editorial import workflow as wf

from .admin_forms import admin_form_data
from .factories import (
    ResponsibilityFactory,
    RoleFactory,
    make_complete_guide,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_role():
    role = RoleFactory(slug="live", summary="The live summary.")
    ResponsibilityFactory(role=role, text="A live duty.", order=0)
    return make_complete_guide(role)


def _text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def _change_url(obj) -> str:
    return reverse(f"admin:roles_{obj._meta.model_name}_change", args=[obj.pk])


def _post_form(client, obj, changes: dict, button: str):
    url = _change_url(obj)
    data = admin_form_data(client.get(url))
    data.update(changes)
    data[button] = "1"
    return client.post(url, data)


def test_saving_a_draft_of_a_live_role_leaves_the_public_page_as_it_was(
    client, publisher_client, live_role
):
    response = _post_form(
        publisher_client, live_role, {"summary": "A staged summary."}, "_save_draft"
    )
    assert response.status_code == 302
    draft = m.Draft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.doc["summary"] == "A staged summary."
    assert draft.state == m.DraftState.DRAFT
    live_role.refresh_from_db()
    assert live_role.summary == "The live summary."
    page = client.get("/roles/live/").content.decode()
    assert "The live summary." in page and "A staged summary." not in page
    # The review page lists the change field by field; the preview shows it.
    review = _text(publisher_client.get(draft.get_absolute_url()))
    assert "A staged summary." in review and "A live duty." not in review
    preview = publisher_client.get(
        reverse("admin:roles_draft_preview", args=[draft.pk])
    )
    assert "A staged summary." in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    banner = _text(preview).split("Only editors can see this page")[0]
    assert "Preview of a draft" in banner and "Draft." in banner
    assert f'href="{draft.get_absolute_url()}"' in preview.content.decode()
    # The banner belongs to the preview: the public page never shows it.
    assert "Preview of" not in client.get("/roles/live/").content.decode()
    live_role.refresh_from_db()
    assert live_role.summary == "The live summary."
    # Publish now: the public sees it; history has a revision of this role.
    publisher_client.post(draft.get_absolute_url(), {"_publish": "1"})
    assert "A staged summary." in client.get("/roles/live/").content.decode()
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED
    assert Version.objects.get_for_object(live_role).first().revision.user is not None


def test_preview_shows_unsaved_form_changes_and_saves_nothing(
    publisher_client, live_role
):
    response = _post_form(
        publisher_client,
        live_role,
        {"summary": "Only in the form.", "responsibilities-0-text": "Typed, unsaved."},
        "_preview",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only in the form." in html and "Typed, unsaved." in html
    assert "<main" in html  # the site's own template, not the admin's
    assert "Preview of unsaved changes" in html and "Nothing is saved" in html
    live_role.refresh_from_db()
    assert live_role.summary == "The live summary."
    assert not m.Draft.objects.exists()
    assert live_role.responsibilities.get().text == "A live duty."


def test_an_editor_cannot_change_a_live_page_only_stage_a_draft(
    client, editor_client, live_role
):
    response = _post_form(
        editor_client, live_role, {"summary": "An editor's change."}, "_continue"
    )
    assert response.status_code == 302
    live_role.refresh_from_db()
    assert live_role.summary == "The live summary."
    draft = m.Draft.objects.get()
    assert draft.doc["summary"] == "An editor's change."
    assert (
        editor_client.post(draft.get_absolute_url(), {"_publish": "1"}).status_code
        == 403
    )
    assert "An editor" not in client.get("/roles/live/").content.decode()


def test_the_change_form_edits_the_open_draft_without_losing_it(
    editor_client, live_role
):
    """Second session on the same draft: the form starts from the draft (with
    a responsibility only the draft has), so saving again keeps both changes."""
    _post_form(
        editor_client,
        live_role,
        {
            "summary": "First session.",
            "responsibilities-TOTAL_FORMS": "2",
            "responsibilities-1-text": "Added in the draft.",
            "responsibilities-1-theme": str(m.Theme.objects.first().pk),
            "responsibilities-1-order": "1000",
        },
        "_save_draft",
    )
    draft = m.Draft.objects.get()
    assert [r["text"] for r in draft.doc["responsibilities"]] == [
        "A live duty.",
        "Added in the draft.",
    ]
    form = editor_client.get(_change_url(live_role))
    assert "First session." in form.content.decode()
    assert "Added in the draft." in form.content.decode()
    _post_form(editor_client, live_role, {"origin": "Second session"}, "_save_draft")
    draft.refresh_from_db()
    assert draft.doc["summary"] == "First session."
    assert draft.doc["origin"] == "Second session"
    assert [r["text"] for r in draft.doc["responsibilities"]] == [
        "A live duty.",
        "Added in the draft.",
    ]
    assert m.Draft.objects.count() == 1
    assert not m.Responsibility.objects.filter(text="Added in the draft.").exists()


def test_a_stale_form_is_refused_not_silently_overwriting_the_draft(
    editor_client, live_role
):
    stale = admin_form_data(editor_client.get(_change_url(live_role)))
    _post_form(editor_client, live_role, {"summary": "Saved first."}, "_save_draft")
    stale.update({"summary": "From an old tab.", "_save_draft": "1"})
    response = editor_client.post(_change_url(live_role), stale, follow=True)
    page = response.content.decode()
    assert "Someone saved this record after you opened it" in page
    assert m.Draft.objects.get().doc["summary"] == "Saved first."
    # Issue 21: the typed text is kept, in the form and in a saved copy.
    assert response.context["adminform"].form["summary"].value() == "From an old tab."
    assert m.AutosavedCopy.objects.get().data["summary"] == ["From an old tab."]


def test_submit_reject_resubmit_publish(
    client, editor_client, publisher_client, live_role
):
    _post_form(editor_client, live_role, {"summary": "Try one."}, "_submit_draft")
    draft = m.Draft.objects.get()
    assert draft.state == m.DraftState.IN_REVIEW
    # A reviewer must say why.
    publisher_client.post(draft.get_absolute_url(), {"_reject": "1", "comment": " "})
    draft.refresh_from_db()
    assert draft.state == m.DraftState.IN_REVIEW
    publisher_client.post(
        draft.get_absolute_url(), {"_reject": "1", "comment": "Say who decides."}
    )
    draft.refresh_from_db()
    assert draft.state == m.DraftState.REJECTED
    form = editor_client.get(_change_url(live_role)).content.decode()
    assert "Say who decides." in form
    _post_form(editor_client, live_role, {"summary": "Try two."}, "_submit_draft")
    draft.refresh_from_db()
    assert (draft.state, draft.doc["summary"]) == (m.DraftState.IN_REVIEW, "Try two.")
    # The comment is answered by resubmitting: shown as the last one, not as
    # one still waiting.
    review = _text(publisher_client.get(draft.get_absolute_url()))
    assert "Comment when it was last sent back" in review
    assert "Reviewer’s comment" not in review
    assert "Try" not in client.get("/roles/live/").content.decode()
    publisher_client.post(draft.get_absolute_url(), {"_publish": "1"})
    assert "Try two." in client.get("/roles/live/").content.decode()


def test_a_scheduled_draft_goes_live_at_its_time_without_cron(
    client, publisher, live_role
):
    draft = wf.draft_save(
        kind="roles",
        object_id=live_role.pk,
        doc={
            **wf.record_doc(kind="roles", object_id=live_role.pk),
            "summary": "Later.",
        },
        user=publisher,
    )
    start = timezone.now()
    wf.draft_schedule(draft=draft, user=publisher, at=start + dt.timedelta(hours=2))
    assert "The live summary." in client.get("/roles/live/").content.decode()
    with time_machine.travel(start + dt.timedelta(hours=1, minutes=59)):
        assert "The live summary." in client.get("/roles/live/").content.decode()
    with time_machine.travel(start + dt.timedelta(hours=2, seconds=1)):
        assert "Later." in client.get("/roles/live/").content.decode()
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED


def test_reading_the_version_costs_no_query_while_its_mirror_is_fresh_then_one(
    publisher, live_role, django_assert_num_queries, settings
):
    from roles.publishing.cache import current_version

    version = current_version()
    with django_assert_num_queries(0):
        assert current_version() == version
    later = timezone.now() + dt.timedelta(
        seconds=settings.CONTENT_VERSION_MIRROR_SECONDS
    )
    with time_machine.travel(later), django_assert_num_queries(1):
        assert current_version() == version


def test_unpublish_at_takes_the_page_down_at_its_time(client, live_role):
    start = timezone.now()
    live_role.unpublish_at = start + dt.timedelta(days=1)
    live_role.save()
    assert client.get("/roles/live/").status_code == 200
    assert live_role in m.Role.objects.published()
    with time_machine.travel(start + dt.timedelta(days=1, seconds=1)):
        assert client.get("/roles/live/").status_code == 404
        assert live_role not in m.Role.objects.published()
        assert m.Role.objects.get(pk=live_role.pk).state == "Expired"


def test_a_draft_with_a_publish_time_is_refused_with_a_reason(live_role):
    from django.core.exceptions import ValidationError

    live_role.status = m.Status.DRAFT
    live_role.publish_at = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="never published"):
        live_role.full_clean()


def test_reverting_makes_a_draft_and_leaves_the_live_page(
    client, publisher_client, live_role
):
    import reversion

    with reversion.create_revision():
        reversion.add_to_revision(live_role)
    with reversion.create_revision():
        live_role.summary = "Edited later."
        live_role.save()
    old = Version.objects.get_for_object(live_role).order_by("pk").first()
    url = reverse("admin:roles_role_revision", args=[live_role.pk, old.pk])
    data = admin_form_data(publisher_client.get(url))
    data["_save"] = "1"
    response = publisher_client.post(url, data)
    assert response.status_code == 302
    live_role.refresh_from_db()
    assert live_role.summary == "Edited later."
    draft = m.Draft.objects.get()
    assert draft.doc["summary"] == "The live summary."
    assert response["Location"] == draft.get_absolute_url()


def test_dashboard_lists_drafts_reviews_schedules_expiry_and_stale_guides(
    editor_client, publisher, live_role, django_assert_max_num_queries
):
    from .factories import make_comparison

    other = RoleFactory(slug="other", name="Other Role", last_reviewed=None)
    fresh = RoleFactory(name="Fresh Role", last_reviewed=timezone.localdate())
    _post_form(editor_client, live_role, {"summary": "Mine."}, "_submit_draft")
    staged = wf.draft_save(
        kind="roles",
        object_id=other.pk,
        doc=wf.record_doc(kind="roles", object_id=other.pk),
        user=publisher,
    )
    wf.draft_schedule(
        draft=staged, user=publisher, at=timezone.now() + dt.timedelta(days=2)
    )
    comparison = make_comparison([other, fresh], title="Ending comparison")
    comparison.unpublish_at = timezone.now() + dt.timedelta(days=3)
    comparison.last_reviewed = timezone.localdate()
    comparison.save()
    html = editor_client.get(reverse("admin:index")).content.decode()
    panels = {
        section.split("</h2>")[0]: re.sub(r"<[^>]+>", " ", section)
        for section in html.split('<section class="module dashboard-panel">\n  <h2>')[
            1:
        ]
    }
    assert live_role.name in panels["My drafts"]
    assert live_role.name in panels["Awaiting review"]
    assert "Other Role" in panels["Scheduled"] and "goes live" in panels["Scheduled"]
    assert "Ending comparison" in panels["Expiring in the next 30 days"]
    stale = panels["Not reviewed for 12 months"]
    assert "Other Role" in stale and "never reviewed" in stale
    assert "Fresh Role" not in stale
    with django_assert_max_num_queries(12):
        wf.dashboard(user=publisher)


def test_state_filter_has_scheduled_and_expired(staff_client):
    now = timezone.now()
    RoleFactory(name="Soon Role", publish_at=now + dt.timedelta(days=1))
    RoleFactory(name="Gone Role", unpublish_at=now - dt.timedelta(days=1))
    RoleFactory(name="Live Role")
    scheduled = staff_client.get("/admin/roles/role/?state=scheduled").content.decode()
    assert "Soon Role" in scheduled and "Live Role" not in scheduled
    expired = staff_client.get("/admin/roles/role/?state=expired").content.decode()
    assert "Gone Role" in expired and "Soon Role" not in expired


def test_create_editor_can_make_a_publisher(monkeypatch):
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-password-42")
    call_command("create_editor", "pia", "--publisher", stdout=StringIO())
    call_command("create_editor", "eddie", stdout=StringIO())
    users = get_user_model().objects
    assert wf.can_publish(users.get(username="pia"))
    assert not wf.can_publish(users.get(username="eddie"))


def test_a_comparison_and_a_question_can_be_staged_and_published(
    client, publisher_client
):
    from .factories import make_comparison, make_scenario

    a = RoleFactory(slug="alpha", name="Alpha")
    b = RoleFactory(slug="bravo", name="Bravo")
    comparison = make_comparison([a, b], title="Alpha vs Bravo")
    _post_form(
        publisher_client, comparison, {"title": "Alpha or Bravo?"}, "_save_draft"
    )
    question = make_scenario([{a: 2}, {b: 2}], key="q1")
    _post_form(
        publisher_client,
        question,
        {"text": "A staged question?", "options-0-text": "A staged option."},
        "_save_draft",
    )
    assert m.Draft.objects.count() == 2
    assert "Alpha vs Bravo" in client.get("/compare/alpha-vs-bravo/").content.decode()
    assert "A staged question?" not in client.get("/quiz/all/").content.decode()
    for draft in m.Draft.objects.all():
        response = publisher_client.post(draft.get_absolute_url(), {"_publish": "1"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.state == m.DraftState.PUBLISHED, draft.kind
    assert "Alpha or Bravo?" in client.get("/compare/alpha-vs-bravo/").content.decode()
    quiz = client.get("/quiz/all/").content.decode()
    assert "A staged question?" in quiz and "A staged option." in quiz
    # A new option text is a new option; its points came from the form.
    assert m.OptionPoints.objects.filter(option__text="A staged option.").exists()


def test_staging_a_draft_or_opening_it_does_not_invalidate_public_pages(
    client, editor_client, live_role
):
    from roles.publishing.cache import current_version

    _post_form(editor_client, live_role, {"summary": "Staged."}, "_save_draft")
    version = current_version()
    editor_client.get(_change_url(live_role))
    _post_form(editor_client, live_role, {"summary": "Staged again."}, "_preview")
    _post_form(editor_client, live_role, {"summary": "Staged again."}, "_save_draft")
    draft = m.Draft.objects.get()
    editor_client.get(reverse("admin:roles_draft_preview", args=[draft.pk]))
    assert current_version() == version
    assert "The live summary." in client.get("/roles/live/").content.decode()


def test_an_editor_adding_a_published_role_gets_a_draft(editor_client):
    from .admin_forms import admin_form_data

    data = admin_form_data(editor_client.get("/admin/roles/role/add/"))
    data.update(
        {
            "name": "New Role",
            "slug": "new-role",
            "family": "product",
            "summary": "A new role.",
            "overview": "What it does.",
            "status": "published",
            "_save": "1",
        }
    )
    response = editor_client.post("/admin/roles/role/add/", data, follow=True)
    assert "Saved as a draft" in response.content.decode()
    assert m.Role.objects.get(slug="new-role").status == m.Status.DRAFT


def _stage_role(user, name: str):
    role = RoleFactory(name=name, unpublish_at=timezone.now() + dt.timedelta(days=5))
    make_complete_guide(role)  # only a complete guide can be submitted
    draft = wf.draft_save(
        kind="roles",
        object_id=role.pk,
        doc=wf.record_doc(kind="roles", object_id=role.pk),
        user=user,
    )
    wf.draft_submit(draft=draft, user=user)
    return role


def test_dashboard_queries_do_not_grow_with_content(publisher, publisher_client):
    from .conftest import count_queries

    _stage_role(publisher, "First")
    small = count_queries(publisher_client, reverse("admin:index"))
    for i in range(6):
        _stage_role(publisher, f"More {i}")
    large = count_queries(publisher_client, reverse("admin:index"))
    assert small == large


def test_draft_review_queries_do_not_grow_with_the_record(publisher, publisher_client):
    from .conftest import count_queries

    counts = []
    for size in (2, 20):
        role = RoleFactory()
        for i in range(size):
            ResponsibilityFactory(role=role, text=f"Duty {i}.")
        doc = wf.record_doc(kind="roles", object_id=role.pk)
        doc["responsibilities"] = doc["responsibilities"][1:]
        draft = wf.draft_save(kind="roles", object_id=role.pk, doc=doc, user=publisher)
        counts.append(count_queries(publisher_client, draft.get_absolute_url()))
    assert counts[0] == counts[1]


def test_only_publishers_may_delete_a_record(
    editor_client, publisher_client, live_role
):
    url = reverse("admin:roles_role_delete", args=[live_role.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert m.Role.objects.filter(pk=live_role.pk).exists()
    assert publisher_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "value", ["", "tomorrow", "2026-13-45T10:00", "9999-99-99T99:99"]
)
def test_a_bad_schedule_time_is_a_message_not_an_error(
    publisher_client, publisher, live_role, value
):
    draft = wf.draft_save(
        kind="roles",
        object_id=live_role.pk,
        doc=wf.record_doc(kind="roles", object_id=live_role.pk),
        user=publisher,
    )
    response = publisher_client.post(
        draft.get_absolute_url(), {"_schedule": "1", "go_live_at": value}, follow=True
    )
    assert response.status_code == 200
    assert "Enter a date and time like 2027-03-28 14:30." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == m.DraftState.DRAFT


def test_a_past_schedule_time_is_refused(publisher_client, publisher, live_role):
    draft = wf.draft_save(
        kind="roles",
        object_id=live_role.pk,
        doc=wf.record_doc(kind="roles", object_id=live_role.pk),
        user=publisher,
    )
    response = publisher_client.post(
        draft.get_absolute_url(),
        {"_schedule": "1", "go_live_at": "2001-01-01T10:00"},
        follow=True,
    )
    assert "Choose a time in the future" in response.content.decode()


def test_reordering_questions_is_for_publishers_and_refreshes_pages(
    editor_client, publisher_client
):
    import json

    from roles.publishing.cache import current_version

    from .factories import make_scenario
    from .test_typed_order import drag_url

    a, b = RoleFactory(), RoleFactory()
    first = make_scenario([{a: 1}, {b: 1}], key="first")
    second = make_scenario([{a: 2}, {b: 2}], key="second")
    url = reverse("admin:roles_question_sortable_update")
    body = json.dumps({"updatedItems": [[first.pk, 2], [second.pk, 1]]})
    assert (
        editor_client.post(url, body, content_type="application/json").status_code
        == 403
    )
    version = current_version()
    response = publisher_client.post(
        drag_url(publisher_client, m.Question), body, content_type="application/json"
    )
    assert response.status_code == 200
    assert current_version() != version
    assert list(m.Question.objects.values_list("key", flat=True)) == [
        "second",
        "first",
    ]


def test_a_draft_naming_a_deleted_theme_still_opens_with_a_message(
    editor_client, publisher, live_role
):
    doc = wf.record_doc(kind="roles", object_id=live_role.pk)
    doc["responsibilities"].append({"theme": "deleted-theme", "text": "Orphan."})
    wf.draft_save(kind="roles", object_id=live_role.pk, doc=doc, user=publisher)
    response = editor_client.get(_change_url(live_role))
    assert response.status_code == 200
    assert "can no longer be applied" in response.content.decode()
    broken = m.Draft.objects.get()
    preview = editor_client.get(
        reverse("admin:roles_draft_preview", args=[broken.pk]), follow=True
    )
    assert "cannot be previewed" in preview.content.decode()
    saved = _post_form(editor_client, live_role, {"summary": "Fixed."}, "_save_draft")
    assert saved.status_code == 302
    draft = m.Draft.objects.get()
    assert draft.doc["summary"] == "Fixed."
    assert "Orphan." not in str(draft.doc)


@pytest.mark.parametrize("model", ["role", "comparison", "question"])
def test_a_change_address_that_is_not_an_id_is_not_a_server_error(
    publisher_client, model
):
    # A relative @import in Django's forms.css, resolved against a change
    # page, asks for ".../2/change/widgets.css/change/".
    for bad in ("2/change/widgets.css", "abc", "9999"):
        response = publisher_client.get(f"/admin/roles/{model}/{bad}/change/")
        assert response.status_code == 302, bad
        assert response["Location"] == "/admin/"


# --- a published guide is complete, in the admin as in the import -----------------

INCOMPLETE = "Skills: add 2 more skills (5 to 8 needed, 3 so far)."


def _drop_skills(data: dict, count: int) -> None:
    for i in range(count):
        data[f"skills-{i}-DELETE"] = "on"


@pytest.mark.parametrize("button", ["_continue"])
def test_an_incomplete_published_guide_is_refused_in_the_form_s_words(
    publisher_client, live_role, button
):
    url = _change_url(live_role)
    data = admin_form_data(publisher_client.get(url))
    _drop_skills(data, 2)
    data["summary"] = "Typed while deleting skills."
    data[button] = "1"
    response = publisher_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert INCOMPLETE in html and "set the status to Draft" in html
    # Nothing was saved, and what the editor typed is still in the form.
    assert "Typed while deleting skills." in html
    assert live_role.skills.count() == 5
    live_role.refresh_from_db()
    assert live_role.summary == "The live summary."
    assert not m.Draft.objects.exists()
    assert "changed successfully" not in html


def test_an_unpublished_guide_may_be_incomplete(publisher_client):
    role = RoleFactory(slug="unfinished", status=m.Status.DRAFT)
    make_complete_guide(role)
    url = _change_url(role)
    data = admin_form_data(publisher_client.get(url))
    _drop_skills(data, 2)
    data["_continue"] = "1"
    assert publisher_client.post(url, data).status_code == 302
    assert role.skills.count() == 3


def test_a_new_published_role_needs_a_complete_guide_a_new_draft_does_not(
    publisher_client,
):
    url = reverse("admin:roles_role_add")
    data = admin_form_data(publisher_client.get(url))
    data.update(
        name="Brand New Role",
        slug="brand-new-role",
        family="product",
        summary="Something new.",
        overview="What the new role does.",
        status=m.Status.PUBLISHED,
        _save="1",
    )
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert "Skills: add 5 more skills (5 to 8 needed, 0 so far)." in _text(response)
    assert not m.Role.objects.filter(slug="brand-new-role").exists()
    assert not Version.objects.exists()  # the refused add left no history behind
    data["status"] = m.Status.DRAFT
    assert publisher_client.post(url, data).status_code == 302
    role = m.Role.objects.get(slug="brand-new-role")
    assert role.status == m.Status.DRAFT
    assert Version.objects.get_for_object(role).count() == 1


def test_a_question_drafts_preview_shows_its_changed_options(
    publisher, publisher_client
):
    """The preview of a question's draft showed the questionnaire's start
    page, where no question is: the edited option was nowhere to be seen."""
    from .factories import make_scenario

    a, b = RoleFactory(slug="alpha"), RoleFactory(slug="bravo")
    question = make_scenario([{a: 1}, {b: 1}], key="previewed")
    doc = wf.record_doc(kind="questions", object_id=question.pk)
    doc["options"][0]["text"] = "An option the draft rewrote."
    draft = wf.draft_save(
        kind="questions", object_id=question.pk, doc=doc, user=publisher
    )
    html = publisher_client.get(
        reverse("admin:roles_draft_preview", args=[draft.pk])
    ).content.decode()
    assert "An option the draft rewrote." in html
    assert question.text in html
    assert m.Option.objects.filter(text="An option the draft rewrote.").count() == 0


def test_saving_over_a_scheduled_draft_says_it_left_the_schedule_and_tells_who_set_it(
    publisher, editor_client, live_role, mailoutbox, django_capture_on_commit_callbacks
):
    """An editor's save takes a scheduled draft off the schedule (what goes
    live must be what a publisher saw), but nothing said so: the editor read
    "Draft saved", and the publisher who scheduled it heard nothing while the
    time passed and nothing went live."""
    from django.contrib.messages import get_messages

    publisher.email = "pub@example.org"
    publisher.save()
    staged = wf.draft_save(
        kind="roles",
        object_id=live_role.pk,
        doc=wf.record_doc(kind="roles", object_id=live_role.pk),
        user=publisher,
    )
    at = timezone.now() + dt.timedelta(hours=2)
    wf.draft_schedule(draft=staged, user=publisher, at=at)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_form(
            editor_client, live_role, {"summary": "Mine."}, "_save_draft"
        )
    assert response.status_code == 302
    said = " ".join(str(x) for x in get_messages(response.wsgi_request))
    when = f"{timezone.localtime(at):%d %b %Y %H:%M}"
    assert "no longer scheduled" in said and when in said
    draft = m.Draft.objects.get(pk=staged.pk)
    assert draft.state == m.DraftState.DRAFT and draft.go_live_at is None
    mail = [x for x in mailoutbox if "pub@example.org" in x.to]
    assert len(mail) == 1 and "no longer scheduled" in mail[0].body
    assert when in mail[0].body and "editor" in mail[0].body


def test_a_later_publish_time_on_a_live_page_is_refused_not_taken_offline(
    client, publisher_client, live_role
):
    """ "Save and publish" with a future "Publish from" on a live role took its
    page (and its comparisons) offline until then, with only "changed
    successfully" to say so."""
    later = timezone.localtime() + dt.timedelta(days=17)
    response = _post_form(
        publisher_client,
        live_role,
        {"publish_at_0": f"{later:%d/%m/%Y}", "publish_at_1": f"{later:%H:%M:%S}"},
        "_save",
    )
    assert response.status_code == 200
    assert "live now" in response.content.decode()
    live_role.refresh_from_db()
    assert live_role.publish_at is None
    assert client.get("/roles/live/").status_code == 200


@pytest.mark.parametrize("when", ["2026-12-01T09:00", ""])
def test_a_refused_schedule_keeps_the_reviewers_comment_and_time(
    editor_client, publisher_client, live_role, when
):
    """A schedule refused (a time passed, or none) redirected back to an
    empty form: the comment typed and the time chosen were gone."""
    _post_form(editor_client, live_role, {"summary": "Try one."}, "_submit_draft")
    draft = m.Draft.objects.get()
    page = publisher_client.get(draft.get_absolute_url()).content.decode()
    token = re.search(r'name="_draft_token" value="([^"]+)"', page).group(1)
    response = publisher_client.post(
        draft.get_absolute_url(),
        {
            "_schedule": "1",
            "_draft_token": token,
            "go_live_at": when,
            "comment": "Half-typed <thoughts> on this.",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Half-typed &lt;thoughts&gt; on this.</textarea>" in html
    assert f'name="go_live_at" id="id_go_live_at" value="{when}"' in html
    assert "Choose a time in the future" in html or "Enter a date and time like" in html
    draft.refresh_from_db()
    assert draft.state == m.DraftState.IN_REVIEW


def _sortable_lists():
    from adminsortable2.admin import SortableAdminMixin
    from django.contrib import admin as django_admin

    return [
        model
        for model, model_admin in django_admin.site._registry.items()
        if isinstance(model_admin, SortableAdminMixin)
    ]


def test_only_those_who_may_reorder_a_list_are_offered_its_drag_handles(
    editor_client, publisher_client
):
    """Every sortable list in the admin: reordering it changes the live order,
    so only publishers may. An editor was offered the drag handles of the
    question list, and their drag was refused (403) without a word: they get
    no handles, and a line saying who can reorder."""
    from .factories import make_scenario

    a, b = RoleFactory(), RoleFactory()
    make_scenario([{a: 1}, {b: 1}], key="first")
    make_scenario([{a: 2}, {b: 2}], key="second")
    models = _sortable_lists()
    assert m.Question in models
    for model in models:
        url = reverse(f"admin:roles_{model._meta.model_name}_changelist")
        editor = editor_client.get(url)
        if editor.status_code == 200:
            html = editor.content.decode()
            assert 'class="drag handle"' not in html, model
            # No drag-handle column at all (it cannot be used) ...
            assert 'class="drag"' not in html, model
            assert "column-_reorder_" not in html, model
            if model.objects.exists():
                # ... and the note is an info: neither a success with a tick
                # (nothing was done) nor a warning (nothing needs doing).
                assert re.search(
                    r'<li class="info">.*?</span>Only publishers can change this order',
                    html,
                ), model
        publisher = publisher_client.get(url).content.decode()
        if model.objects.exists():
            assert 'class="drag handle"' in publisher, model
