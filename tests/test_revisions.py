"""History per record: seeding and importing store one revision per record, so
reverting one record touches nothing else; text is stored with LF line ends."""

import re

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from roles import models as m
from roles.content_io import schema as cd
from roles.content_io.services import content_import, content_seed
from roles.editorial.docdiff import row_name

pytestmark = pytest.mark.django_db


def _edit(slug: str, summary: str, extra: str) -> m.Role:
    with reversion.create_revision():
        role = m.Role.objects.get(slug=slug)
        role.summary = summary
        role.save()
        m.Responsibility.objects.create(
            role=role, theme=m.Theme.objects.first(), text=extra, order=99
        )
        reversion.add_to_revision(role)
    return role


def _docs_except(slug: str) -> dict:
    doc = cd.export_document()
    doc["roles"] = [r for r in doc["roles"] if r["slug"] != slug]
    return doc


def test_seed_stores_one_revision_per_record_holding_its_children(seeded):
    role = m.Role.objects.get(slug="delivery-manager")
    versions = Version.objects.get_for_object(role)
    assert versions.count() == 1
    revision = versions.get().revision
    assert revision.comment == "Seeded"
    held = {v.content_type.model for v in revision.version_set.all()}
    assert held == {
        "role",
        "responsibility",
        "source",
        "dimensionvalue",
        "skill",
        "wayin",
        "weekactivity",
        "antipattern",
        "relatedrole",
        "careerpath",
    }
    assert {
        v.object_id for v in revision.version_set.filter(content_type__model="role")
    } == {str(role.pk)}


def test_reverting_one_role_after_seeding_leaves_every_other_record_alone(seeded):
    _edit("business-analyst", "Edited analyst summary.", "New analyst duty.")
    delivery = _edit("delivery-manager", "Edited delivery summary.", "New duty.")
    others_before = _docs_except("delivery-manager")

    seeded_version = Version.objects.get_for_object(delivery).order_by("pk").first()
    seeded_version.revision.revert(delete=True)

    delivery.refresh_from_db()
    assert delivery.summary != "Edited delivery summary."
    assert not delivery.responsibilities.filter(text="New duty.").exists()
    assert _docs_except("delivery-manager") == others_before
    analyst = m.Role.objects.get(slug="business-analyst")
    assert analyst.summary == "Edited analyst summary."
    assert analyst.responsibilities.filter(text="New analyst duty.").exists()

    # The reverted role is the seeded one again: a new seed updates nothing and
    # keeps only the role an editor really changed.
    report = content_seed()
    assert "role business-analyst" in report.kept
    assert "role delivery-manager" not in report.kept
    assert "role delivery-manager" in report.unchanged


def test_import_keeps_unchanged_children_as_the_same_rows(seeded):
    role = m.Role.objects.get(slug="product-owner")
    before = dict(role.responsibilities.values_list("text", "pk"))
    doc = cd.export_document()
    record = next(r for r in doc["roles"] if r["slug"] == "product-owner")
    record["summary"] = "Changed by an import."
    record["responsibilities"].pop()
    content_import(doc=doc)
    after = dict(role.responsibilities.values_list("text", "pk"))
    assert after == {text: pk for text, pk in before.items() if text in after}
    assert len(after) == len(before) - 1
    # The import's revision of this role holds this role only.
    revision = Version.objects.get_for_object(role).first().revision
    assert revision.comment == "Imported"
    assert set(
        revision.version_set.filter(content_type__model="role").values_list(
            "object_id", flat=True
        )
    ) == {str(role.pk)}


def test_crlf_from_a_textarea_is_stored_as_lf(seeded):
    role = m.Role.objects.get(slug="product-owner")
    stored = role.overview
    role.overview = stored.replace("\n", "\r\n")
    role.save()
    role.refresh_from_db()
    assert role.overview == stored
    assert "\r" not in role.overview


def test_crlf_resubmission_in_the_admin_shows_no_change_in_the_diff(staff_client):
    from .factories import RoleFactory

    with reversion.create_revision():
        role = RoleFactory(overview="First paragraph.\n\nSecond paragraph.")
    with reversion.create_revision():
        role.overview = "First paragraph.\r\n\r\nSecond paragraph."
        role.summary = "A real change."
        role.save()
    first, second = Version.objects.get_for_object(role).order_by("pk")
    assert first.field_dict["overview"] == second.field_dict["overview"]
    diff = staff_client.get(
        reverse("admin:roles_role_compare", args=[role.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    ).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", diff))
    assert "real change" in text
    assert "Second paragraph" not in text


def test_a_history_message_names_only_the_fields_that_changed(seeded, staff_client):
    """A browser sends textareas with CRLF line ends; an untouched multi-line
    field must not be listed as changed in the history message."""
    from django.contrib.admin.models import LogEntry

    from .admin_forms import admin_form_data

    role = m.Role.objects.get(slug="product-owner")
    assert "\n" in role.overview
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(staff_client.get(url))
    for name, value in list(data.items()):
        if isinstance(value, str) and "\n" in value:
            data[name] = value.replace("\n", "\r\n")
    data.update({"summary": "A summary that really changed.", "_continue": "1"})
    response = staff_client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )[:3]
    entry = LogEntry.objects.filter(object_id=str(role.pk)).latest("action_time")
    message = entry.get_change_message()
    assert "Summary" in message
    assert "Overview" not in message


def test_history_and_compare_pages_show_24_hour_times(staff_client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reversion.models import Revision

    from .factories import RoleFactory

    with reversion.create_revision():
        role = RoleFactory(summary="First.")
    with reversion.create_revision():
        role.summary = "Second."
        role.save()
    afternoon = datetime(2026, 3, 9, 16, 5, tzinfo=ZoneInfo("Europe/London"))
    Revision.objects.update(date_created=afternoon)
    first, second = Version.objects.get_for_object(role).order_by("pk")
    pages = [
        staff_client.get(reverse("admin:roles_role_history", args=[role.pk])),
        staff_client.get(
            reverse("admin:roles_role_compare", args=[role.pk]),
            {"version_id1": first.pk, "version_id2": second.pk},
        ),
    ]
    for page in pages:
        text = page.content.decode()
        assert "16:05" in text
        assert "p.m." not in text and "4:05" not in text


def _publisher():
    from django.contrib.auth.models import Group

    from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP

    from .factories import make_editor

    user = make_editor("revert-publisher")
    user.groups.add(*Group.objects.filter(name__in=[EDITORS_GROUP, PUBLISHERS_GROUP]))
    return user


def _points(question: m.Question) -> dict:
    return {
        "options": {
            o.text: {p.role.slug: p.points for p in o.points.all()}
            for o in question.options.all()
        },
        "statement": {p.role.slug: p.points for p in question.statement_points.all()},
    }


@pytest.mark.parametrize("kind", ["scenario", "agreement"])
def test_reverting_a_question_brings_back_its_points(client, seeded, kind):
    """An editor's "restore as a draft" of an older version of a question
    showed and kept today's points (an option's or a statement's): the
    revision form read them from the database, not from the version."""
    from roles.editorial import workflow as wf

    from .admin_forms import admin_form_data

    publisher = _publisher()
    client.force_login(publisher)
    question = m.Question.objects.filter(kind=kind).first()
    before = _points(question)
    with reversion.create_revision():
        if kind == "scenario":
            row = m.OptionPoints.objects.filter(option__question=question).first()
        else:
            row = question.statement_points.first()
        row.points = 5 if row.points != 5 else 1
        row.save()
        reversion.add_to_revision(question)
    assert _points(question) != before
    seeded_version = Version.objects.get_for_object(question).order_by("pk").first()
    url = reverse(
        "admin:roles_question_revision", args=[question.pk, seeded_version.pk]
    )
    data = admin_form_data(client.get(url))
    data["_save"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    draft = m.Draft.objects.get(kind="questions", object_id=question.pk)
    wf.draft_publish(draft=draft, user=publisher)
    assert _points(m.Question.objects.get(pk=question.pk)) == before


def test_every_record_with_history_keeps_what_the_registry_says_it_follows():
    """Over every content model with history: reversion follows exactly the
    children the registry declares (the admin registered some models first,
    with only its inlines), and every admin inline of it is among them."""
    from django.contrib import admin
    from reversion.revisions import _get_options

    from roles.publishing import registry

    for entry in registry.entries():
        if not (entry.content and entry.history):
            continue
        assert reversion.is_registered(entry.model), entry.model
        assert set(_get_options(entry.model).follow) == set(entry.follow), entry.model
        model_admin = admin.site._registry.get(entry.model)
        for inline in getattr(model_admin, "inlines", ()):
            accessor = next(
                f.remote_field.get_accessor_name()
                for f in inline.model._meta.fields
                if f.is_relation and f.related_model is entry.model
            )
            assert accessor in entry.follow, (entry.model, inline.model)


def test_a_question_version_saved_before_points_were_kept_is_not_restored(
    client, seeded
):
    """Versions saved before this fix hold a question and its options but no
    points: restoring one would now drop every point. It is refused, saying
    why, and nothing changes."""
    from django.contrib.messages import get_messages

    client.force_login(_publisher())
    question = m.Question.objects.filter(kind="scenario").first()
    before = _points(question)
    version = Version.objects.get_for_object(question).order_by("pk").first()
    version.revision.version_set.filter(
        content_type__model__in=["optionpoints", "statementpoints"]
    ).delete()
    for url in (
        reverse("admin:roles_question_revision", args=[question.pk, version.pk]),
    ):
        for response in (client.get(url), client.post(url, {"_save": "1"})):
            assert response.status_code == 302
            assert response["Location"] == reverse(
                "admin:roles_question_history", args=[question.pk]
            )
            said = " ".join(str(x) for x in get_messages(response.wsgi_request))
            assert "before answer points were kept" in said
    assert not m.Draft.objects.exists()
    assert _points(m.Question.objects.get(pk=question.pk)) == before


def test_a_deleted_question_is_recovered_with_its_points(client, seeded):
    from .admin_forms import admin_form_data

    client.force_login(_publisher())
    question = m.Question.objects.filter(kind="scenario").first()
    before, key = _points(question), question.key
    with reversion.create_revision():
        reversion.add_to_revision(question)  # its latest version, as saved
    version = Version.objects.get_for_object(question).order_by("-pk").first()
    question.delete()
    url = reverse("admin:roles_question_recover", args=[version.pk])
    data = admin_form_data(client.get(url))
    data["_save"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _points(m.Question.objects.get(key=key)) == before


def test_compare_versions_names_the_field_that_changed_inside_a_row(staff_client):
    """ "Compare versions" listed a question's options by name only: an
    option whose points changed looked unchanged. Each changed field inside
    a row is now named, with its old and new value."""
    from .admin_forms import admin_form_data
    from .factories import RoleFactory, make_scenario

    pm = RoleFactory(name="PM", slug="pm")
    po = RoleFactory(name="PO", slug="po")
    question = make_scenario([{pm: 1}, {po: 2}, {pm: 3}], key="q")
    first, second, _ = question.options.order_by("order")
    url = reverse("admin:roles_question_change", args=[question.pk])
    for change in ({}, {"points": 5, "text": "A reworded first answer"}):
        data = admin_form_data(staff_client.get(url))
        rows = {data[f"options-{i}-id"]: i for i in range(3)}
        if change:
            data[f"options-{rows[str(second.pk)]}-points_{po.pk}"] = "5"
            data[f"options-{rows[str(first.pk)]}-text"] = change["text"]
        data["_continue"] = "1"
        response = staff_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    before, after = Version.objects.get_for_object(question).order_by("pk")
    html = staff_client.get(
        reverse("admin:roles_question_compare", args=[question.pk]),
        {"version_id1": before.pk, "version_id2": after.pk},
    ).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # Each option named by its first words (as it was, for the reworded
    # one), as the draft's review names it - not by its number.
    assert f"Options: {row_name('options', {'text': second.text})} — Points" in text
    assert "po: 2" in text and "po: 5" in text
    assert f"Options: {row_name('options', {'text': first.text})} — Text" in text
    assert "reworded first answer" in text
    # The options that did not change are not listed as changes.
    third = question.options.order_by("order").last()
    assert row_name("options", {"text": third.text}) not in text


@pytest.mark.parametrize("kind", ["roles", "comparisons", "questions"])
def test_a_version_rebuilds_the_record_document_it_was_saved_as(seeded, kind):
    """The comparison's changes inside rows read each version's document
    built in memory from its revision: for a version just saved, the same
    document the database gives."""
    from roles.editorial.version_doc import version_doc
    from roles.editorial.workflow import KIND_SPECS, record_doc

    record = KIND_SPECS[kind].model.objects.order_by("pk").first()
    with reversion.create_revision():
        record.save()
    version = Version.objects.get_for_object(record).order_by("-pk").first()
    assert version_doc(kind=kind, version=version) == record_doc(
        kind=kind, object_id=record.pk
    )
