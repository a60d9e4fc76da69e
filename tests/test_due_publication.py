"""Scheduled times are acted on in one explicit place - ahead of the page
cache, at most once per DUE_CHECK_SECONDS per process, and by
`manage.py publish_due` - never by reading the cache."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import timezone

from roles import models as m
from roles.editorial import workflow as wf
from roles.publishing.cache import current_version, public_page
from roles.publishing.version import read_content_version

from .factories import ResponsibilityFactory, RoleFactory, make_complete_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(publisher):
    """A live role with a draft scheduled two hours from now."""
    role = RoleFactory(slug="live", summary="The live summary.")
    ResponsibilityFactory(role=role, text="A live duty.", order=0)
    make_complete_guide(role)
    draft = wf.draft_save(
        kind="roles",
        object_id=role.pk,
        doc={**wf.record_doc(kind="roles", object_id=role.pk), "summary": "Later."},
        user=publisher,
    )
    at = timezone.now() + dt.timedelta(hours=2)
    wf.draft_schedule(draft=draft, user=publisher, at=at)
    return draft, at


def test_reading_the_version_and_the_page_cache_writes_nothing(
    scheduled, rf, django_assert_num_queries
):
    draft, at = scheduled
    version = read_content_version()[0]
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        with django_assert_num_queries(1):  # one read, no write
            assert current_version() == version
        request = rf.get("/roles/live/")
        request.user = AnonymousUser()
        assert (
            public_page(lambda request: HttpResponse("x"))(request).status_code == 200
        )
    draft.refresh_from_db()
    assert draft.state == m.DraftState.SCHEDULED
    assert read_content_version()[0] == version


def test_the_first_request_after_the_time_publishes_ahead_of_the_cache(
    client, scheduled
):
    draft, at = scheduled
    assert "The live summary." in client.get("/roles/live/").content.decode()
    with time_machine.travel(at + dt.timedelta(seconds=1)):
        assert "Later." in client.get("/roles/live/").content.decode()
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED


def test_each_process_checks_at_most_once_per_interval(client, scheduled, settings):
    draft, at = scheduled
    settings.DUE_CHECK_SECONDS = 3600
    client.get("/robots.txt")  # this process checks now: nothing is due yet
    with time_machine.travel(at + dt.timedelta(seconds=1), tick=False):
        client.get("/roles/live/")
        draft.refresh_from_db()
        # Time travel moves the wall clock, not the monotonic one the
        # middleware counts with: still inside the interval, so not checked.
        assert draft.state == m.DraftState.SCHEDULED
        out = StringIO()
        call_command("publish_due", stdout=out)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED
    assert "1 scheduled draft(s) published" in out.getvalue()


def test_publish_due_publishes_a_draft_whose_time_passed_before_any_check(
    scheduled,
):
    """Scheduling a draft makes the site work its schedule out again; with no
    request before the draft's time, cron's publish_due still publishes it
    (the soonest *future* time alone would never reach it)."""
    draft, at = scheduled
    with time_machine.travel(at + dt.timedelta(minutes=5)):
        out = StringIO()
        call_command("publish_due", stdout=out)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED
    assert "1 scheduled draft(s) published" in out.getvalue()


def test_publish_due_moves_the_version_on_past_an_unpublish_time():
    role = RoleFactory(
        slug="going", unpublish_at=timezone.now() + dt.timedelta(hours=1)
    )
    call_command("publish_due", stdout=StringIO())  # works out the schedule
    version = read_content_version()[0]
    with time_machine.travel(role.unpublish_at + dt.timedelta(seconds=1)):
        out = StringIO()
        call_command("publish_due", stdout=out)
    assert "content version moved on" in out.getvalue()
    assert read_content_version()[0] == version + 1


@pytest.mark.parametrize("field", ["unpublish_at", "publish_at"])
def test_a_time_that_passes_before_the_schedule_is_worked_out_is_acted_on(
    client, settings, field
):
    """A record saved with a time seconds ahead; a page cached at once; the
    first check after the save runs only after that time. The schedule, worked
    out then, must still see the time that passed since the save (the soonest
    *future* time alone missed it, and the page stayed public)."""
    settings.DUE_CHECK_SECONDS = 3600  # this client's process checks once, now
    settings.PAGE_CACHE_SECONDS = 600
    client.get("/roles/")  # the schedule is known: nothing scheduled
    at = timezone.now() + dt.timedelta(seconds=10)
    going = RoleFactory(slug="timed", name="Timed role", **{field: at})
    make_complete_guide(going)
    assert not read_content_version()[1]  # the save: schedule to work out again
    with time_machine.travel(at - dt.timedelta(seconds=5), tick=False):
        listed = 'href="/roles/timed/"' in client.get("/roles/").content.decode()
        assert listed == (field == "unpublish_at")  # cached as it is before `at`
    version = read_content_version()[0]
    with time_machine.travel(at + dt.timedelta(seconds=30), tick=False):
        call_command("publish_due", stdout=StringIO())
        assert read_content_version()[0] == version + 1
        html = client.get("/roles/").content.decode()
        assert ('href="/roles/timed/"' in html) == (field == "publish_at")
