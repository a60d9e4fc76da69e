"""Every time an editor types for a schedule - a draft's "Schedule" on its
review page, a record's "Publish from" and "Unpublish at" - is read by one
rule, in the site's time zone (Europe/London): a time that does not exist
(the clocks go forward) or happens twice (they go back) is refused with
words that say so, as are text that is not a time and a year far ahead."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from roles import models as m
from roles.editorial import times

from . import test_admin_seam as seam
from .admin_forms import admin_form_data
from .test_concurrency import _client, _url, _user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
GAP = "That time does not exist in London (the clocks go forward): choose another."
FORMAT = "Enter a date and time like 2027-03-28 14:30."

#: (date, time) typed -> what the editor is told (a fragment of it).
TYPED = {
    "gap": (("2027-03-28", "01:30"), GAP),
    "twice": (("2027-10-31", "01:30"), "happens twice in London"),
    "garbage": (("garbage", "10:00"), FORMAT),
    "bad time": (("2027-05-01", "garbage"), FORMAT),
    "far ahead": (("9999-12-31", "10:00"), "more than 5 years ahead"),
}


def _words(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'")
    return re.sub(r"\s+", " ", text)


# --- the rule ---------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_time_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError) as info:
        times.local_time(dt.datetime(2027, 3, 28, 1, 30))
    assert info.value.messages == [GAP]


@time_machine.travel(NOW, tick=False)
def test_a_time_that_happens_twice_is_refused_naming_both():
    with pytest.raises(ValidationError) as info:
        times.local_time(dt.datetime(2027, 10, 31, 1, 30))
    [message] = info.value.messages
    assert "happens twice in London (the clocks go back)" in message
    assert "01:30 BST (00:30 UTC)" in message
    assert "01:30 GMT (01:30 UTC)" in message


@time_machine.travel(NOW, tick=False)
def test_ordinary_times_either_side_of_the_changes_are_taken():
    for naive, utc in [
        (dt.datetime(2027, 3, 28, 0, 59), dt.datetime(2027, 3, 28, 0, 59)),
        (dt.datetime(2027, 3, 28, 2, 0), dt.datetime(2027, 3, 28, 1, 0)),
        (dt.datetime(2027, 10, 31, 0, 59), dt.datetime(2027, 10, 30, 23, 59)),
        (dt.datetime(2027, 10, 31, 2, 0), dt.datetime(2027, 10, 31, 2, 0)),
        (dt.datetime(2031, 12, 6, 12, 0), dt.datetime(2031, 12, 6, 12, 0)),
    ]:
        assert times.local_time(naive) == utc.replace(tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("year", [2032, 9999])
def test_a_time_more_than_five_years_ahead_is_refused(year):
    with pytest.raises(ValidationError) as info:
        times.local_time(dt.datetime(year, 12, 31, 10, 0))
    [message] = info.value.messages
    assert "more than 5 years ahead" in message


@pytest.mark.parametrize(
    "text", ["garbage", "tomorrow", "2026-13-45T10:00", "9999-99-99T99:99", " "]
)
def test_text_that_is_not_a_time_is_refused_with_an_example(text):
    with pytest.raises(ValidationError) as info:
        times.parse_local(text)
    assert info.value.messages == [FORMAT]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("text", ["2027-05-01T10:00", "2027-05-01 10:00"])
def test_a_datetime_local_value_is_read_in_london(text):
    assert times.parse_local(text) == dt.datetime(2027, 5, 1, 9, 0, tzinfo=dt.UTC)


# --- every input that takes one ------------------------------------------------------


@pytest.fixture
def publisher(django_user_model):
    return _client(_user(django_user_model, "pub1", publisher=True))


@time_machine.travel(NOW, tick=True)
@pytest.mark.parametrize("case", sorted(TYPED))
def test_the_drafts_schedule_box_says_what_is_wrong(publisher, case):
    (date, time), said = TYPED[case]
    role = seam.RECORDS["roles"]({})
    data = admin_form_data(publisher.get(_url(role)))
    publisher.post(_url(role), {**data, "_save_draft": "1"})
    draft = m.Draft.objects.get()
    response = publisher.post(
        draft.get_absolute_url(),
        {"_schedule": "1", "go_live_at": f"{date}T{time}"},
    )
    assert response.status_code == 200
    assert said in _words(response.content.decode())
    draft.refresh_from_db()
    assert draft.state == m.DraftState.DRAFT


@time_machine.travel(NOW, tick=True)
@pytest.mark.parametrize("field", ["publish_at", "unpublish_at"])
@pytest.mark.parametrize("case", sorted(TYPED))
@pytest.mark.parametrize("record", ["roles", "comparisons", "questions"])
def test_every_record_forms_schedule_fields_say_what_is_wrong(
    publisher, record, case, field
):
    (date, time), said = TYPED[case]
    obj = seam.RECORDS[record]({})
    before = (obj.publish_at, obj.unpublish_at)
    data = admin_form_data(publisher.get(_url(obj)))
    data.update({f"{field}_0": date, f"{field}_1": time, "_save": "1"})
    response = publisher.post(_url(obj), data)
    assert response.status_code == 200
    assert said in _words(response.content.decode())
    obj.refresh_from_db()
    assert (obj.publish_at, obj.unpublish_at) == before
    assert not m.Draft.objects.exists()
