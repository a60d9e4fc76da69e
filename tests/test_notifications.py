# ruff: noqa: F811 (fixtures imported from test_workflow are parameters here)
"""Editors and publishers hear of drafts by email: submitted (the publishers),
sent back and published (the author), through Django's mail framework."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from roles import models as m
from roles.editorial import workflow as wf

from .factories import make_editor
from .test_workflow import live_role  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(publisher):
    publisher.email = "pat@example.org"
    publisher.save()
    editor = make_editor()
    editor.email = "ed@example.org"
    editor.save()
    return editor, publisher


def _draft(editor, role):
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    doc["summary"] = "A reviewed summary."
    return wf.draft_save(kind=m.DraftKind.ROLE, object_id=role.pk, doc=doc, user=editor)


def test_submit_mails_the_publishers_reject_and_publish_mail_the_author(
    people, live_role
):
    editor, publisher = people
    draft = _draft(editor, live_role)
    wf.draft_submit(draft=draft, user=editor)
    assert [(x.to, x.subject) for x in mail.outbox] == [
        (["pat@example.org"], f"For review: {live_role.name}")
    ]
    assert draft.get_absolute_url() in mail.outbox[0].body

    wf.draft_reject(draft=draft, user=publisher, comment="Shorter, please.")
    assert mail.outbox[1].to == ["ed@example.org"]
    assert "Shorter, please." in mail.outbox[1].body

    wf.draft_submit(draft=draft, user=editor)
    wf.draft_publish(draft=draft, user=publisher)
    assert [x.subject for x in mail.outbox[2:]] == [
        f"For review: {live_role.name}",
        f"Published: {live_role.name}",
    ]
    assert mail.outbox[3].to == ["ed@example.org"]


def test_a_refused_action_sends_nothing(people, live_role):
    editor, _ = people
    draft = _draft(editor, live_role)
    with pytest.raises(PermissionDenied):
        wf.draft_reject(draft=draft, user=editor, comment="Not mine to reject.")
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="tests.test_notifications.BrokenBackend")
def test_a_mail_server_that_is_down_does_not_undo_the_submit(people, live_role):
    editor, _ = people
    draft = _draft(editor, live_role)
    wf.draft_submit(draft=draft, user=editor)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.IN_REVIEW


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
