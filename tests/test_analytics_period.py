"""Questionnaire analytics covers a chosen date range (the last 12 weeks
unless the editor picks another), says which, and keeps each question's
answers folded so the page stays a sane height."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from roles import models as m

pytestmark = pytest.mark.django_db


def _submission(when: dt.datetime, slug: str = "product-owner") -> None:
    row = m.Submission.objects.create(
        answers={}, snapshot={}, result={}, top_role_slug=slug
    )
    m.Submission.objects.filter(pk=row.pk).update(created_at=when)


def _count(html: str) -> int:
    found = re.search(r"(\d+) stored result", html)
    assert found, html[:500]
    return int(found.group(1))


@pytest.fixture
def spread():
    now = timezone.now()
    for days in (1, 10, 40, 200):
        _submission(now - dt.timedelta(days=days))
    return now


def test_the_default_period_is_the_last_twelve_weeks(staff_client, spread):
    html = staff_client.get(reverse("quiz_analytics")).content.decode()
    assert _count(html) == 3
    start = (timezone.localdate() - dt.timedelta(weeks=12)).isoformat()
    assert f'value="{start}"' in html


def test_a_chosen_range_counts_only_its_submissions(staff_client, spread):
    today = timezone.localdate()
    query = {
        "start": (today - dt.timedelta(days=45)).isoformat(),
        "end": (today - dt.timedelta(days=5)).isoformat(),
    }
    html = staff_client.get(reverse("quiz_analytics"), query).content.decode()
    assert _count(html) == 2
    everything = {"start": "2000-01-01", "end": today.isoformat()}
    html = staff_client.get(reverse("quiz_analytics"), everything).content.decode()
    assert _count(html) == 4


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "yesterday"}, "Enter a valid date"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "end on or after"),
        ({"start": "1800-01-01"}, "from 2000 onwards"),
    ],
)
def test_a_bad_range_is_a_400_with_the_reason(staff_client, query, message):
    response = staff_client.get(reverse("quiz_analytics"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_each_questions_answers_are_folded(staff_client, seeded):
    html = staff_client.get(reverse("quiz_analytics")).content.decode()
    questions = m.Question.objects.count()
    assert html.count('<details class="answers">') == questions
    assert '<details class="answers" open' not in html


def test_analytics_names_roles_and_says_what_it_leaves_out(staff_client, seeded):
    """Confusions were listed by slug; a role taken offline showed as its
    slug; readers whose stated or result role is no longer in the
    questionnaire were dropped from the calibration without a word."""
    now = timezone.now()
    for stated, top in [
        ("product-owner", "product-manager"),
        ("product-owner", "product-manager"),
        ("scrum-master", "scrum-master"),
        ("delivery-manager", "scrum-master"),
    ]:
        row = m.Submission.objects.create(
            answers={},
            snapshot={},
            result={},
            top_role_slug=top,
            stated_role_slug=stated,
        )
        m.Submission.objects.filter(pk=row.pk).update(created_at=now)
    m.Role.objects.filter(slug="delivery-manager").update(status=m.Status.DRAFT)
    from roles.publishing.signals import bump_content_version

    bump_content_version()
    html = staff_client.get(reverse("quiz_analytics")).content.decode()
    assert "Said Product Owner, got Product Manager: 2" in html
    assert "product-owner" not in html.split("Most confused", 1)[1].split("</ul>")[0]
    assert "3 readers said which role they do now" in html
    assert "1 more named a role the questionnaire no longer has" in html


def test_every_chart_and_table_on_analytics_scrolls_within_itself(staff_client, spread):
    """At 375 px the bar charts made the whole page 456 px wide: each sits in
    its own scroll region, as the calibration matrix does."""
    html = staff_client.get(reverse("quiz_analytics")).content.decode()
    charts = html.count('<table class="bar-chart">')
    assert charts >= 2
    assert html.count('<div class="table-scroll" tabindex="0" role="region"') >= charts
