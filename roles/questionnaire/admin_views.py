"""Editor tools beyond the model admin: questionnaire health and analytics.
Staff only; read-only."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from roles.catalogue.models import Role
from roles.publishing.cache import versioned
from roles.questionnaire import scoring
from roles.questionnaire.audit import (
    FAIR_HIGH,
    FAIR_LOW,
    audit,
    calibration,
    missed,
)
from roles.questionnaire.forms import AnalyticsPeriodForm
from roles.questionnaire.models import Submission
from roles.questionnaire.selectors import (
    blind_personas,
    calibration_rows,
    load_questionnaire,
)

ANALYTICS_SAMPLE = 20_000


def _bars(rows: list[tuple[str, int]]) -> list[dict]:
    top = max((count for _, count in rows), default=0) or 1
    total = sum(count for _, count in rows) or 1
    return [
        {
            "label": label,
            "count": count,
            "share": round(count / total * 100),
            "width": round(count / top * 200),
        }
        for label, count in rows
    ]


@staff_member_required
@require_safe
def quiz_health(request: HttpRequest) -> HttpResponse:
    report = versioned(
        "quiz-audit-v4",
        lambda: audit(load_questionnaire(), blind=blind_personas()),
    )
    checks = report.checks()
    context = {
        **admin.site.each_context(request),
        "title": "Questionnaire health",
        "audit": report,
        "checks": checks,
        "missed": missed(checks),
        "bounds": (FAIR_LOW, FAIR_HIGH),
    }
    return render(request, "admin/roles/quiz_health.html", context)


@staff_member_required
@require_safe
def quiz_analytics(request: HttpRequest) -> HttpResponse:
    period = AnalyticsPeriodForm.for_request(request.GET, timezone.localdate())
    base = {**admin.site.each_context(request), "title": "Questionnaire analytics"}
    if not period.is_valid():
        context = {**base, "period": period}
        return render(request, "admin/roles/quiz_analytics.html", context, status=400)
    submissions = _in_period(period.cleaned_data["start"], period.cleaned_data["end"])
    questionnaire = load_questionnaire()
    # Every role's name, offline ones too: a result may name one.
    names = dict(Role.objects.values_list("slug", "name"))
    weekly = (
        submissions.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(count=Count("id"))
        .order_by("week")
    )
    tops = (
        submissions.values("top_role_slug")
        .annotate(count=Count("id"))
        .order_by("-count", "top_role_slug")
    )
    fit: dict[str, dict[str, int]] = defaultdict(lambda: {"yes": 0, "no": 0, "none": 0})
    for row in submissions.values("top_role_slug", "fit").annotate(count=Count("id")):
        bucket = {True: "yes", False: "no", None: "none"}[row["fit"]]
        fit[row["top_role_slug"]][bucket] += row["count"]
    answer_counts: dict[str, Counter] = defaultdict(Counter)
    for answers in submissions.order_by("-created_at").values_list(
        "answers", flat=True
    )[:ANALYTICS_SAMPLE]:
        for key, value in answers.items():
            answer_counts[key][value] += 1
    per_question = []
    for question in questionnaire.questions:
        counts = answer_counts.get(question.key, Counter())
        if question.kind == scoring.SCENARIO:
            labels = [(i, o.text) for i, o in enumerate(question.options)]
        else:
            labels = list(scoring.SCALE.items())
        per_question.append(
            {
                "text": question.text,
                "bars": _bars(
                    [(label, counts.get(value, 0)) for value, label in labels]
                ),
            }
        )
    context = {
        **base,
        "period": period,
        "total": submissions.count(),
        "weekly": _bars(
            [(row["week"].strftime("%d %b %Y"), row["count"]) for row in weekly]
        ),
        "tops": _bars(
            [
                (names.get(r["top_role_slug"], r["top_role_slug"]), r["count"])
                for r in tops
            ]
        ),
        "fit": [
            {"role": names.get(slug, slug), **counts}
            for slug, counts in sorted(
                fit.items(), key=lambda item: names.get(item[0], item[0])
            )
        ],
        "per_question": per_question,
        "calibration": calibration(questionnaire, calibration_rows(submissions)),
    }
    return render(request, "admin/roles/quiz_analytics.html", context)


def _in_period(start, end) -> QuerySet[Submission]:
    """Submissions from the start of ``start`` to the end of ``end``, local
    time (the dates the editor chose)."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Submission.objects.filter(created_at__gte=since, created_at__lt=until)
