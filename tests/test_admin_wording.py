# ruff: noqa: F811 (fixtures imported from test_workflow are parameters here)
"""What the admin says matches what its buttons do: the draft banner names the
draft's state once, and the revert form's button says it makes a draft."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from roles import models as m

from .test_workflow import (  # noqa: F401 (fixtures)
    _change_url,
    _post_form,
    _text,
    live_role,
)

pytestmark = pytest.mark.django_db

BANNERS = {
    m.DraftState.DRAFT: "You are editing a draft that has not been submitted",
    m.DraftState.IN_REVIEW: "You are editing a draft awaiting review",
    m.DraftState.REJECTED: "You are editing a draft with changes requested",
}


@pytest.mark.parametrize("state", list(BANNERS))
def test_the_banner_names_the_drafts_state_once(publisher_client, live_role, state):
    _post_form(publisher_client, live_role, {"summary": "Staged."}, "_save_draft")
    m.Draft.objects.update(state=state)
    text = _text(publisher_client.get(_change_url(live_role)))
    assert BANNERS[state] in text
    assert "draft draft" not in text.lower()


def test_the_revert_form_says_it_restores_a_draft_and_does_so(
    publisher_client, live_role
):
    with reversion.create_revision():
        live_role.save()
    with reversion.create_revision():
        live_role.summary = "A newer live summary."
        live_role.save()
    old = Version.objects.get_for_object(live_role).order_by("pk").first()
    url = reverse("admin:roles_role_revision", args=[live_role.pk, old.pk])
    page = publisher_client.get(url)
    html = page.content.decode()
    assert 'value="Restore as a draft"' in html
    assert 'value="Save"' not in html
    assert "the live page does not change" in _text(page)
    from .admin_forms import admin_form_data

    data = admin_form_data(page)
    data["_save"] = "1"
    response = publisher_client.post(url, data)
    assert response.status_code == 302
    draft = m.Draft.objects.get()
    assert draft.doc["summary"] == "The live summary."
    live_role.refresh_from_db()
    assert live_role.summary == "A newer live summary."
