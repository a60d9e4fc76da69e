"""Times editors type for a schedule (a draft's "Schedule", a record's
"Publish from" and "Unpublish at"), read by one rule in the site's time zone.

A wall-clock time is not always one moment: in Europe/London 01:30 on the
last Sunday of March does not happen (the clocks go forward), and 01:30 on
the last Sunday of October happens twice (they go back). Django's own form
field refuses both with a message about "ambiguous or non-existent" times,
and a hand-read ``datetime-local`` value was quietly taken as either; here
both are refused in words that say which, and the two meanings of a repeated
time are named. A time more than ``YEARS_AHEAD`` years on is a typing slip."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

YEARS_AHEAD = 5
FORMAT_HINT = "Enter a date and time like 2027-03-28 14:30."


def place() -> str:
    """The site's time zone as editors know it: "London" for Europe/London."""
    name = str(timezone.get_current_timezone_name())
    return name.rsplit("/", 1)[-1].replace("_", " ")


def _years_on(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%H:%M} UTC"


def local_time(naive: dt.datetime, *, now: dt.datetime | None = None) -> dt.datetime:
    """The moment ``naive`` (a wall-clock time in the site's time zone) names
    (an aware value is that moment already: only its distance is checked).
    Raises ValidationError, in words for the editor, when it names none (the
    clocks go forward), two (they go back), or is too far ahead."""
    if timezone.is_aware(naive):  # a moment already (typed with its offset)
        exact, naive = naive, timezone.make_naive(naive)
    else:
        exact = None
    now_local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    limit = _years_on(now_local, YEARS_AHEAD)
    if naive > limit:
        raise ValidationError(
            f"{naive:%d %b %Y} is more than {YEARS_AHEAD} years ahead: choose a "
            f"time before {limit:%d %b %Y}.",
            code="too_far",
        )
    if exact is not None:
        return exact
    zone = timezone.get_current_timezone()
    first, second = (
        naive.replace(tzinfo=zone, fold=0),
        naive.replace(fold=1, tzinfo=zone),
    )
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(dt.UTC)
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            f"That time does not exist in {place()} (the clocks go forward): "
            "choose another.",
            code="no_such_time",
        )
    raise ValidationError(
        f"{naive:%H:%M} on {naive:%d %b %Y} happens twice in {place()} (the clocks "
        f"go back): first {naive:%H:%M} {first.tzname()} ({_utc(first)}), then an "
        f"hour later {naive:%H:%M} {second.tzname()} ({_utc(second)}). Choose a "
        "time outside that hour.",
        code="twice",
    )


def parse_local(text: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """A typed date and time (a ``datetime-local`` box's "2027-03-28T14:30",
    or "2027-03-28 14:30"), as ``local_time`` reads it."""
    try:
        parsed = parse_datetime((text or "").strip())
    except ValueError:  # well-formed but impossible: month 13, hour 99
        parsed = None
    if parsed is None:
        raise ValidationError(FORMAT_HINT, code="invalid")
    return local_time(parsed, now=now)
