"""A draft's "last saved" is when its content was last saved, not when it was
last discarded, restored, submitted or sent back - while its token (which a
stale form is refused by) still moves on with each of those."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roles import models as m
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP

from .admin_forms import admin_form_data
from .factories import RoleFactory, make_complete_guide

pytestmark = pytest.mark.django_db

# Soon after now (a logged-in session lasts longer), on the minute.
SAVED = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).replace(
    second=0, microsecond=0
)
DISCARDED = SAVED + dt.timedelta(hours=1, minutes=30)
RESTORED = SAVED + dt.timedelta(hours=2, minutes=15)


def _client(django_user_model, name: str, *, publisher: bool) -> Client:
    user = django_user_model.objects.create_user(
        name, password="a-long-test-password", is_staff=True
    )
    groups = [EDITORS_GROUP, PUBLISHERS_GROUP] if publisher else [EDITORS_GROUP]
    user.groups.add(*Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _shown(at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%-d %b %Y %H:%M}"


def test_a_discarded_and_restored_draft_shows_when_it_was_saved(django_user_model):
    eve = _client(django_user_model, "eve", publisher=False)
    ana = _client(django_user_model, "ana", publisher=True)
    role = make_complete_guide(RoleFactory(slug="saved"))
    url = reverse("admin:roles_role_change", args=[role.pk])
    with time_machine.travel(SAVED, tick=False):
        data = admin_form_data(eve.get(url))
        data.update(summary="Eve's draft.", _save_draft="1")
        assert eve.post(url, data).status_code == 302
    draft = m.Draft.objects.get()
    with time_machine.travel(SAVED + dt.timedelta(minutes=5), tick=False):
        stale = admin_form_data(ana.get(url))  # opened on the open draft
    with time_machine.travel(DISCARDED, tick=False):
        eve.post(draft.get_absolute_url(), {"_discard_confirmed": "1"})

    review = _text(eve.get(draft.get_absolute_url()))
    assert f"last saved {_shown(SAVED)}" in review
    assert _shown(DISCARDED) in review  # said, as when it was discarded
    assert f"last saved {_shown(DISCARDED)}" not in review
    listed = _text(ana.get(reverse("admin:roles_draft_changelist")))
    listed_at = f"{timezone.localtime(SAVED):%-d %b %Y, %H:%M}"
    assert listed_at in listed
    assert f"{timezone.localtime(DISCARDED):%-d %b %Y, %H:%M}" not in listed

    with time_machine.travel(RESTORED, tick=False):
        eve.post(draft.get_absolute_url(), {"_restore": "1"})
    banner = _text(eve.get(url))
    assert f"last saved {_shown(SAVED)}" in banner

    # The form Ana opened before the discard and restore is still refused.
    stale.update(origin="Ana's origin.", _save_draft="1")
    refused = ana.post(url, stale)
    assert refused.status_code == 200 and "workflow_conflict" in refused.context
    assert m.Draft.objects.get().doc["origin"] != "Ana's origin."


def test_saving_the_content_again_moves_last_saved_on(django_user_model):
    eve = _client(django_user_model, "eve", publisher=False)
    role = make_complete_guide(RoleFactory(slug="resaved"))
    url = reverse("admin:roles_role_change", args=[role.pk])
    for at, summary in ((SAVED, "First."), (RESTORED, "Second.")):
        with time_machine.travel(at, tick=False):
            data = admin_form_data(eve.get(url))
            data.update(summary=summary, _save_draft="1")
            assert eve.post(url, data).status_code == 302
    assert m.Draft.objects.get().saved_at == RESTORED
