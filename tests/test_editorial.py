import datetime as dt
import re
from io import StringIO

import pytest
import reversion
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from roles import models as m

from .factories import (
    GUIDE_INLINES,
    ResponsibilityFactory,
    RoleFactory,
    make_comparison,
    make_complete_guide,
    make_editor,
    make_scenario,
)

pytestmark = pytest.mark.django_db


def test_create_editor_from_an_environment_variable(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-password-42")
    out = StringIO()
    call_command("create_editor", "alice", stdout=out)
    user = get_user_model().objects.get(username="alice")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name="Editors").exists()
    assert user.check_password("a-long-editor-password-42")


def test_create_editor_refuses_weak_passwords_and_duplicates(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_editor", "bob")
    assert not get_user_model().objects.filter(username="bob").exists()
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-password-42")
    call_command("create_editor", "bob", stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "bob")


@pytest.mark.parametrize(
    ("name", "email", "password", "said"),
    [
        ("", "", "a-long-editor-password-42", "username"),
        ("bad name!", "", "a-long-editor-password-42", "username"),
        ("x" * 151, "", "a-long-editor-password-42", "username"),
        ("Bob", "", "a-long-editor-password-42", "already exists"),
        ("carl", "notanemail", "a-long-editor-password-42", "email"),
        ("dora", "", " " * 12, "only spaces"),
    ],
)
def test_create_editor_refuses_names_addresses_and_passwords_it_cannot_use(
    monkeypatch, name, email, password, said
):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-password-42")
    call_command("create_editor", "bob", stdout=StringIO())
    monkeypatch.setenv("EDITOR_PASSWORD", password)
    with pytest.raises(CommandError, match=said):
        call_command("create_editor", name, "--email", email, stdout=StringIO())
    assert get_user_model().objects.count() == 1


def test_create_editor_without_a_password_or_a_terminal_says_what_to_do(
    monkeypatch,
):
    import getpass

    def no_terminal(prompt=""):
        raise EOFError

    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr(getpass, "getpass", no_terminal)
    with pytest.raises(CommandError, match="EDITOR_PASSWORD"):
        call_command("create_editor", "eve", stdout=StringIO())


def test_no_user_account_exists_after_migrate_and_seed(seeded):
    assert get_user_model().objects.count() == 0


def test_scheduled_role_appears_on_its_time_on_every_page(client):
    start = timezone.now()
    role = RoleFactory(
        slug="later", name="Later Role", publish_at=start + dt.timedelta(hours=2)
    )
    RoleFactory(slug="now")
    assert client.get("/roles/later/").status_code == 404
    assert "Later Role" not in client.get("/roles/").content.decode()
    assert client.get("/compare/later-vs-now/").status_code == 404
    with time_machine.travel(start + dt.timedelta(hours=2, seconds=1)):
        assert client.get("/roles/later/").status_code == 200
        assert "Later Role" in client.get("/roles/").content.decode()
        assert client.get("/compare/later-vs-now/").status_code == 200
    assert role.state == "Scheduled"


def test_scheduled_question_is_asked_only_after_its_time(client):
    a, b = RoleFactory(), RoleFactory()
    start = timezone.now()
    make_scenario([{a: 1}, {b: 1}], key="now")
    make_scenario(
        [{a: 2}, {b: 2}], key="later", publish_at=start + dt.timedelta(days=1)
    )
    assert client.get("/quiz/all/").content.decode().count("<fieldset") == 2 - 1
    with time_machine.travel(start + dt.timedelta(days=1, minutes=1)):
        assert client.get("/quiz/all/").content.decode().count("<fieldset") == 2


def test_draft_comparison_is_previewed_by_staff_only(staff_client):
    from django.test import Client

    a = RoleFactory(slug="alpha")
    b = RoleFactory(slug="bravo")
    make_comparison([a, b], title="Secret comparison", status=m.Status.DRAFT)
    public = Client().get("/compare/alpha-vs-bravo/")
    assert "Secret comparison" not in public.content.decode()
    staff = staff_client.get("/compare/alpha-vs-bravo/")
    html = staff.content.decode()
    assert "Secret comparison" in html
    assert "draft-banner" in html and "noindex" in html
    assert "no-store" in staff["Cache-Control"]


def test_admin_shows_the_time_zone_for_scheduling(staff_client):
    role = RoleFactory(publish_at=timezone.now() + dt.timedelta(days=3))
    html = staff_client.get("/admin/roles/role/").content.decode()
    # The list says when, in London time, with that date's zone (GMT or BST).
    local = timezone.localtime(role.publish_at)
    assert local.tzname() in ("GMT", "BST")
    assert f"Scheduled for {local:%d %b %Y %H:%M} ({local.tzname()})" in html
    assert "Europe/London" in staff_client.get("/admin/").content.decode()
    assert role.pk


def _versions(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def test_history_records_who_and_when_and_revert_brings_children_back(staff_client):
    with reversion.create_revision():
        role = RoleFactory(slug="tracked")
        ResponsibilityFactory(role=role, text="Original responsibility.")
        reversion.add_to_revision(role)
    editor = make_editor()
    with reversion.create_revision():
        reversion.set_user(editor)
        item = role.responsibilities.get()
        item.text = "Edited responsibility."
        item.save()
        ResponsibilityFactory(role=role, text="Added later.")
        role.summary = "Edited summary."
        role.save()
    versions = _versions(role)
    assert len(versions) == 2
    assert versions[1].revision.user == editor
    # The admin lists the history and shows a readable diff between versions.
    history = staff_client.get(reverse("admin:roles_role_history", args=[role.pk]))
    assert history.status_code == 200
    compare = staff_client.get(
        reverse("admin:roles_role_compare", args=[role.pk]),
        {"version_id1": versions[0].pk, "version_id2": versions[1].pk},
    )
    diff = compare.content.decode()
    assert compare.status_code == 200
    assert "<ins>" in diff and "<del>" in diff
    assert "Edited summary" in re.sub(r"<[^>]+>", "", diff)
    # Revert: the role and its responsibilities come back as they were.
    versions[0].revision.revert(delete=True)
    role.refresh_from_db()
    assert role.summary != "Edited summary."
    assert list(role.responsibilities.values_list("text", flat=True)) == [
        "Original responsibility."
    ]


def test_admin_edit_by_an_editor_is_a_draft_and_by_a_publisher_a_version(client):
    role = make_complete_guide(RoleFactory())
    editor = make_editor()
    client.force_login(editor)
    url = reverse("admin:roles_role_change", args=[role.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": role.name,
            "slug": role.slug,
            "family": role.family,
            "summary": "Changed in the admin.",
            "overview": role.overview,
            "status": "published",
            "responsibilities-TOTAL_FORMS": "0",
            "responsibilities-INITIAL_FORMS": "0",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
            "dimension_values-TOTAL_FORMS": "0",
            "dimension_values-INITIAL_FORMS": "0",
            **{f"{prefix}-TOTAL_FORMS": "0" for prefix in GUIDE_INLINES},
            **{f"{prefix}-INITIAL_FORMS": "0" for prefix in GUIDE_INLINES},
        }
    )
    data.pop("last_reviewed", None)
    data.pop("publish_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    # An editor's save of a live role is a draft: no history, page unchanged.
    role.refresh_from_db()
    assert role.summary != "Changed in the admin."
    assert m.Draft.objects.get().doc["summary"] == "Changed in the admin."
    assert not Version.objects.exists()
    # A publisher's save is live and recorded with who made it.
    editor.groups.add(Group.objects.get(name="Publishers"))
    editor = type(editor).objects.get(pk=editor.pk)  # fresh permission cache
    client.force_login(editor)
    data["_workflow_token"] = client.get(url).context["workflow_token"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    version = Version.objects.get_for_object(role).first()
    assert version.revision.user == editor
    role.refresh_from_db()
    assert role.summary == "Changed in the admin."


def test_markdown_preview_is_sanitised_and_staff_only(client, staff_client):
    url = reverse("markdown_preview")
    assert client.post(url, {"text": "x"}).status_code == 302
    response = staff_client.post(url, {"text": "**bold** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.json()["html"]
    assert "<script" not in response.json()["html"]
    assert staff_client.get(url).status_code == 405
    assert staff_client.post(url, {"text": "x" * 200_000}).status_code == 413


def test_markdown_fields_have_help_and_a_preview_hook(staff_client):
    role = RoleFactory()
    html = staff_client.get(
        reverse("admin:roles_role_change", args=[role.pk])
    ).content.decode()
    assert "data-markdown" in html
    assert "admin-markdown-preview" in html
    assert "Anything else (HTML, scripts, images) is removed" in html


def test_reviewed_filter_lists_roles_not_reviewed_for_a_year(staff_client):
    RoleFactory(name="Fresh", last_reviewed=timezone.localdate())
    RoleFactory(
        name="Stale", last_reviewed=timezone.localdate() - dt.timedelta(days=400)
    )
    RoleFactory(name="Never")
    html = staff_client.get("/admin/roles/role/?reviewed=stale").content.decode()
    assert "Stale" in html and "Never" in html and ">Fresh<" not in html


def test_role_page_shows_the_review_date(client):
    RoleFactory(slug="reviewed", last_reviewed=dt.date(2027, 3, 12))
    assert "12 March 2027" in client.get("/roles/reviewed/").content.decode()


def _question_post(question, options, points: dict, confirm=False):
    data = {
        "text": question.text,
        "key": question.key,
        "kind": "scenario",
        "hint": "",
        "status": "published",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    if confirm:
        data["confirm_impact"] = "on"
    for i, option in enumerate(options):
        data |= {
            f"options-{i}-id": option.pk,
            f"options-{i}-question": question.pk,
            f"options-{i}-text": option.text,
            f"options-{i}-order": str(i + 1),
        }
        for role, value in points[i].items():
            data[f"options-{i}-points_{role.pk}"] = str(value)
    return data


def test_impact_preview_counts_results_whose_top_role_would_change(
    client, staff_client
):
    pm = RoleFactory(slug="pm", name="PM")
    po = RoleFactory(slug="po", name="PO")
    question = make_scenario([{pm: 3}, {po: 3}], key="only")
    options = list(question.options.all())
    for _ in range(3):
        client.post("/quiz/all/", {"q-only": "0"})  # PM on top
    client.post("/quiz/all/", {"q-only": "1"})  # PO on top
    assert m.Submission.objects.filter(top_role_slug="pm").count() == 3
    url = reverse("admin:roles_question_change", args=[question.pk])
    swapped = [{pm: 0, po: 3}, {pm: 3, po: 0}]
    html = staff_client.post(
        url, _question_post(question, options, swapped)
    ).content.decode()
    assert (
        "4 of 4 stored results that answered this question would now get a different top role"
        in html
    )
    assert m.OptionPoints.objects.get(option=options[0], role=pm).points == 3
    response = staff_client.post(
        url, _question_post(question, options, swapped, confirm=True)
    )
    assert response.status_code == 302
    assert m.OptionPoints.objects.get(option=options[0], role=po).points == 3
    # Points that leave every stored result's top role as it was: no question asked.
    same = [{pm: 4, po: 1}, {pm: 0, po: 5}]
    assert (
        staff_client.post(url, _question_post(question, options, same)).status_code
        == 302
    )


def test_quiz_health_and_analytics_pages(client, staff_client, seeded):
    client.post(
        "/quiz/all/",
        {
            f"q-{q.key}": "0" if q.kind == "scenario" else "2"
            for q in m.Question.objects.all()
        },
    )
    health = staff_client.get(reverse("quiz_health")).content.decode()
    assert "Every published role can be the top result" in health
    assert "Every question discriminates" in health
    analytics = staff_client.get(reverse("quiz_analytics")).content.decode()
    assert "1 stored result" in analytics
    assert "<svg" in analytics
    assert client.get(reverse("quiz_health")).status_code == 302


def test_quiz_health_names_an_unreachable_role_and_a_flat_question(staff_client):
    a = RoleFactory(name="Always")
    b = RoleFactory(name="Shadow")
    make_scenario([{a: 2}, {}], key="one")
    # Shadow gets the same points whatever the answer: nothing can make it win.
    make_scenario([{a: 1, b: 1}, {a: 1, b: 1}], key="flat")
    html = staff_client.get(reverse("quiz_health")).content.decode()
    assert "Not reachable as the top result: Shadow" in html
    assert "cannot tell roles apart" in html


def test_staff_preview_the_questionnaire_with_draft_questions(client, staff_client):
    a, b = RoleFactory(), RoleFactory()
    make_scenario([{a: 1}, {b: 1}], key="live")
    make_scenario([{a: 2}, {b: 2}], key="draft", status=m.Status.DRAFT)
    public = client.get("/quiz/all/?preview=1").content.decode()
    assert public.count("<fieldset") == 1
    assert "js/quiz.js" in public  # a question at a time for respondents
    preview = staff_client.get("/quiz/all/?preview=1")
    html = preview.content.decode()
    assert html.count("<fieldset") == 2
    assert "js/quiz.js" not in html  # every question at once for the editor
    assert "Preview" in html and "noindex" in html
    assert "See my result" not in html
    assert "no-store" in preview["Cache-Control"]
    staff_client.post("/quiz/all/?preview=1", {"q-live": "0", "q-draft": "0"})
    assert m.Submission.objects.count() == 0
