"""Issue 21: every path that makes something live sends the same "Published"
mail, once - to the draft's author (when there was a draft) and the other
publishers. Each path is one case below; a new path gets a case here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from roles import models as m
from roles.editorial import workflow as wf
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP

from .admin_forms import admin_form_data
from .factories import ResponsibilityFactory, RoleFactory, make_complete_guide
from .test_admin import _inline_management

# Mail goes out when the publish commits: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Mailed Role"


class People:
    def __init__(self, django_user_model):
        def user(name: str, *, publisher: bool):
            u = django_user_model.objects.create_user(
                name,
                email=f"{name}@example.org",
                password="a-long-test-password",
                is_staff=True,
            )
            groups = [EDITORS_GROUP] + ([PUBLISHERS_GROUP] if publisher else [])
            u.groups.add(*Group.objects.filter(name__in=groups))
            return u

        self.editor = user("ed", publisher=False)
        self.publisher = user("pat", publisher=True)
        self.other_publisher = user("pia", publisher=True)
        self.client = Client()
        self.client.force_login(self.publisher)


@pytest.fixture
def people(django_user_model):
    return People(django_user_model)


def _role(status=m.Status.PUBLISHED, **fields):
    role = RoleFactory(slug="mailed", name=TITLE, status=status, **fields)
    ResponsibilityFactory(role=role, text="A live duty.", order=0)
    return make_complete_guide(role)


def _change_url(role) -> str:
    return reverse("admin:roles_role_change", args=[role.pk])


def _draft(people, role, **changes) -> m.Draft:
    doc = {**wf.record_doc(kind="roles", object_id=role.pk), **changes}
    return wf.draft_save(kind="roles", object_id=role.pk, doc=doc, user=people.editor)


def _bulk_publish(people, role) -> None:
    people.client.post(
        reverse("admin:roles_role_changelist"),
        {"action": "publish_selected", "_selected_action": [role.pk]},
    )


# --- the paths ----------------------------------------------------------------------


def change_form_save_and_publish(people) -> bool:
    role = _role()
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(summary="Published from the form.", _continue="1")
    assert people.client.post(_change_url(role), data).status_code == 302
    return False


def change_form_save_and_publish_over_a_draft(people) -> bool:
    role = _role()
    _draft(people, role, summary="Drafted.")
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(_continue="1")
    assert people.client.post(_change_url(role), data).status_code == 302
    assert m.Draft.objects.get().state == m.DraftState.PUBLISHED
    return True


def change_form_publishes_an_unpublished_record(people) -> bool:
    role = _role(status=m.Status.DRAFT)
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(status=m.Status.PUBLISHED, _continue="1")
    assert people.client.post(_change_url(role), data).status_code == 302
    return False


def draft_published_from_its_review_page(people) -> bool:
    draft = _draft(people, _role(), summary="Drafted.")
    people.client.post(draft.get_absolute_url(), {"_publish": "1"})
    return True


def bulk_publish_of_a_draft(people) -> bool:
    role = _role()
    _draft(people, role, summary="Drafted.")
    _bulk_publish(people, role)
    return True


def bulk_publish_without_a_draft(people) -> bool:
    _bulk_publish(people, _role(status=m.Status.DRAFT))
    return False


def revert_then_publish(people) -> bool:
    role = _role()
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(summary="A second version.", _continue="1")
    people.client.post(_change_url(role), data)
    mail.outbox.clear()
    first = Version.objects.get_for_object(role).last()
    url = reverse("admin:roles_role_revision", args=[role.pk, first.pk])
    people.client.post(url, admin_form_data(people.client.get(url)))
    assert mail.outbox == []  # reverting makes a draft: nothing live yet
    draft = m.Draft.objects.get()
    people.client.post(draft.get_absolute_url(), {"_publish": "1"})
    return False  # the draft is the publisher's own: not mailed to them


def _scheduled_draft(people) -> dt.datetime:
    draft = _draft(people, _role(), summary="Later.")
    at = timezone.now() + dt.timedelta(hours=2)
    wf.draft_schedule(draft=draft, user=people.publisher, at=at)
    return at


def scheduled_draft_by_publish_due(people) -> bool:
    at = _scheduled_draft(people)
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        call_command("publish_due", stdout=StringIO())
        call_command("publish_due", stdout=StringIO())  # once, not twice
    return True


def scheduled_draft_by_the_due_middleware(people) -> bool:
    at = _scheduled_draft(people)
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        Client().get("/robots.txt")
        Client().get("/robots.txt")
    return True


def publish_time_passing(people) -> bool:
    at = timezone.now() + dt.timedelta(hours=1)
    _role(publish_at=at)
    # The site works its schedule out on the next request (or cron run).
    call_command("publish_due", stdout=StringIO())
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        call_command("publish_due", stdout=StringIO())
        Client().get("/robots.txt")  # once, not again by the next check
        assert m.Role.objects.get(slug="mailed").is_published()
    return False


PATHS: list[Callable[[People], bool]] = [
    change_form_save_and_publish,
    change_form_save_and_publish_over_a_draft,
    change_form_publishes_an_unpublished_record,
    draft_published_from_its_review_page,
    bulk_publish_of_a_draft,
    bulk_publish_without_a_draft,
    revert_then_publish,
    scheduled_draft_by_publish_due,
    scheduled_draft_by_the_due_middleware,
    publish_time_passing,
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
def test_every_publish_path_sends_the_published_mail_once(people, path):
    from_draft = path(people)
    published = [x for x in mail.outbox if x.subject.startswith("Published")]
    assert [x.subject for x in published] == [f"Published: {TITLE}"], [
        (x.subject, x.to) for x in mail.outbox
    ]
    sent = published[0]
    expected = {"pia@example.org"}
    if from_draft:
        expected.add("ed@example.org")  # the draft's author
    if path.__name__.startswith(("scheduled", "publish_time")):
        expected.add("pat@example.org")  # nobody published it by hand
    assert set(sent.to) == expected
    assert "it is live now" in sent.body
    assert "/roles/mailed/" in sent.body
    assert m.Role.objects.get(slug="mailed").status == m.Status.PUBLISHED


def test_what_changes_nothing_public_sends_no_published_mail(people):
    """Saving a live record unchanged, or bulk-publishing one already live."""
    role = _role()
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(_continue="1")
    assert people.client.post(_change_url(role), data).status_code == 302
    _bulk_publish(people, role)
    assert [x.subject for x in mail.outbox] == []


def test_saving_an_unpublished_record_or_a_draft_sends_no_published_mail(people):
    role = _role(status=m.Status.DRAFT)
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(summary="Still a draft.", _continue="1")
    assert people.client.post(_change_url(role), data).status_code == 302
    data = admin_form_data(people.client.get(_change_url(role)))
    data.update(summary="A staged draft.", _save_draft="1")
    people.client.post(_change_url(role), data)
    assert [x.subject for x in mail.outbox] == []


def test_adding_a_record_as_published_sends_the_mail_once(people):
    """The add form is a path too: a publisher's new record is live at once."""
    a, b = RoleFactory(slug="zeta"), RoleFactory(slug="alpha")
    data = {
        "title": "Zeta vs Alpha",
        "tldr": "x",
        "status": "published",
        **_inline_management("comparison_roles", 2),
        "comparison_roles-0-role": a.pk,
        "comparison_roles-0-order": "1",
        "comparison_roles-1-role": b.pk,
        "comparison_roles-1-order": "2",
        **_inline_management("context_notes", 0),
    }
    response = people.client.post(reverse("admin:roles_comparison_add"), data)
    assert response.status_code == 302
    assert [(x.subject, x.to) for x in mail.outbox] == [
        ("Published: Zeta vs Alpha", ["pia@example.org"])
    ]
    assert m.Comparison.objects.get().get_absolute_url() in mail.outbox[0].body


def test_saving_a_record_that_does_not_exist_is_not_a_server_error(people):
    response = people.client.post(
        "/admin/roles/role/999999/change/",
        {"summary": "x", "_continue": "1", "_workflow_token": "none"},
    )
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert mail.outbox == []
