"""The questionnaire, its results and the feedback on them."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from ..caching import versioned
from ..forms import FeedbackForm, QuizForm
from ..http import rate_limit_wait
from ..models import (
    Role,
    Submission,
    comparison_key,
)
from ..quiz import load_questionnaire, published_questionnaire
from ..services import submission_create


def _rate_limited(request: HttpRequest) -> int | None:
    """Seconds until this client may submit again, or None."""
    limit, window = settings.QUIZ_RATE_LIMIT
    return rate_limit_wait(request, group="quiz-submit", limit=limit, window=window)


def _quiz_summary(questionnaire, preview: bool) -> dict[str, int]:
    def count() -> dict[str, int]:
        questions = len(questionnaire.questions)
        return {
            "question_count": questions,
            "role_count": len(questionnaire.roles),
            "minutes": max(1, round(questions * 15 / 60)),
        }

    return count() if preview else versioned("quiz-summary", count)


@require_http_methods(["GET", "HEAD", "POST"])
def quiz(request: HttpRequest) -> HttpResponse:
    preview = request.user.is_staff and request.GET.get("preview") == "1"
    if preview:
        # Editors see draft and scheduled questions too; nothing is submitted.
        questionnaire = load_questionnaire(include_drafts=True)
    else:
        # Loaded only when needed: a blank form's HTML comes from the cache.
        questionnaire = SimpleLazyObject(published_questionnaire)
    if request.method == "POST" and not preview:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.QUIZ_MAX_BODY_BYTES:
            return render(
                request,
                "400.html",
                {"message": "That submission is far larger than any real answer set."},
                status=413,
            )
        form = QuizForm(request.POST, questionnaire=questionnaire)
        if form.is_valid():
            if wait := _rate_limited(request):
                response = render(request, "429.html", {"wait": wait}, status=429)
                response["Retry-After"] = str(wait)
                return response
            submission = submission_create(
                questionnaire=questionnaire, answers=form.answers()
            )
            return redirect(submission)
        status = 400
    else:
        # Never cached as HTML: it holds this visitor's CSRF token.
        form = QuizForm(questionnaire=questionnaire)
        status = 200
    bound = request.method == "POST" and not preview
    response = render(
        request,
        "roles/quiz.html",
        {
            "form": form,
            "preview": preview,
            **_quiz_summary(questionnaire, preview),
            "bound": bound,
            "unanswered": form.unanswered() if bound else [],
            "og_title": "Which role am I? A questionnaire about the work you enjoy",
        },
        status=status,
    )
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def quiz_result(request: HttpRequest, pk) -> HttpResponse:
    # The snapshot is for re-scoring and audits; the page needs only the result.
    submission = get_object_or_404(
        Submission.objects.defer("snapshot", "answers"), pk=pk
    )
    ranking = submission.result["ranking"]
    top = ranking[0] if ranking else None
    between = None
    if len(ranking) >= 2 and ranking[0]["match"] - ranking[1]["match"] <= 10:
        between = (ranking[0], ranking[1])
    published = set(
        Role.objects.published()
        .filter(slug__in=[row["role"] for row in ranking[:2]])
        .values_list("slug", flat=True)
    )
    response = render(
        request,
        "roles/quiz_result.html",
        {
            "submission": submission,
            "ranking": ranking,
            "top": top,
            "between": between,
            "between_key": comparison_key([between[0]["role"], between[1]["role"]])
            if between and {between[0]["role"], between[1]["role"]} <= published
            else None,
            "top_published": bool(top and top["role"] in published),
            "feedback_form": FeedbackForm(),
            "thanks": request.GET.get("thanks") == "1",
            "og_title": (
                f"Which role am I? {top['name']}: {top['match']}% match"
                if top
                else "Which role am I?"
            ),
            "og_description": (top["summary"] if top else "")
            + " Take the questionnaire to find your own match.",
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def quiz_feedback(request: HttpRequest, pk) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.only("id"), pk=pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "400.html",
            {"message": "Choose “Yes” or “No” to tell us whether the result fits."},
            status=400,
        )
    Submission.objects.filter(pk=submission.pk).update(fit=form.cleaned_data["fit"])
    return HttpResponseRedirect(submission.get_absolute_url() + "?thanks=1#feedback")
