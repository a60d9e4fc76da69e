"""The questionnaire, its results and the feedback on them."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from roles.comparisons.models import comparison_key
from roles.core.client import rate_limit_wait
from roles.core.seo import absolute_url
from roles.publishing.cache import versioned
from roles.questionnaire.forms import FeedbackForm, QuizForm
from roles.questionnaire.models import Submission
from roles.questionnaire.result_card import result_card_png
from roles.questionnaire.results import StoredResult, estimated_minutes
from roles.questionnaire.role_map import role_map_for
from roles.questionnaire.selectors import (
    load_questionnaire,
    published_questionnaire,
    role_map_roles,
)
from roles.questionnaire.services import submission_create, submission_feedback_set

#: Cookie keeping this browser's form nonce (and so its option order) across
#: reloads until it submits; a plain cookie, so viewing the quiz writes nothing.
NONCE_COOKIE = "quiz_nonce"
#: Session key: the results this browser took (only they may give feedback).
OWNED_RESULTS = "quiz-results"
OWNED_LIMIT = 50
NOT_YOURS = (
    "Only the browser that took the questionnaire can say whether this result "
    "fits. Take the questionnaire yourself to get your own result."
)


def _remember_result(request: HttpRequest, pk) -> None:
    owned = [str(pk), *request.session.get(OWNED_RESULTS, [])]
    request.session[OWNED_RESULTS] = owned[:OWNED_LIMIT]


def _owns_result(request: HttpRequest, pk) -> bool:
    return str(pk) in request.session.get(OWNED_RESULTS, [])


def _rate_limited(request: HttpRequest) -> int | None:
    """Seconds until this client may submit again, or None."""
    limit, window = settings.QUIZ_RATE_LIMIT
    return rate_limit_wait(request, group="quiz-submit", limit=limit, window=window)


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def quiz(request: HttpRequest) -> HttpResponse:
    preview = request.user.is_staff and request.GET.get("preview") == "1"
    # Editors previewing see draft and scheduled questions too; nothing is
    # submitted. The data is cached, never the form's HTML (it holds a CSRF
    # token and this respondent's one-time nonce).
    questionnaire = (
        load_questionnaire(include_drafts=True)
        if preview
        else published_questionnaire()
    )
    bound = request.method == "POST" and not preview
    if bound:
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
            stored = submission_create(
                questionnaire=questionnaire,
                answers=form.answers(),
                nonce=form.nonce,
                option_order=form.order,
            )
            if stored.created:
                _remember_result(request, stored.submission.pk)
            response = redirect(stored.submission)
            response.delete_cookie(NONCE_COOKIE, samesite="Lax")
            return response
    else:
        form = QuizForm(
            questionnaire=questionnaire,
            nonce=request.COOKIES.get(NONCE_COOKIE, ""),
            can_submit=not preview,
        )
    questions = form.questions()
    response = render(
        request,
        "roles/quiz.html",
        {
            "form": form,
            "preview": preview,
            "question_count": len(questionnaire.questions),
            "role_count": len(questionnaire.roles),
            "minutes": estimated_minutes(questionnaire.questions),
            "bound": bound,
            "unanswered": [q for q in questions if q.error] if bound else [],
            "og_title": "Which role am I? A questionnaire about the work you enjoy",
        },
        status=400 if bound else 200,
    )
    if not preview:
        response.set_cookie(
            NONCE_COOKIE,
            form.nonce,
            max_age=24 * 3600,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return _no_store(response)


def _feedback_form(data=None, *, submission: Submission | None = None) -> FeedbackForm:
    roles = versioned(
        "quiz-role-choices",
        lambda: [(r.slug, r.name) for r in published_questionnaire().roles],
    )
    if submission is None:
        return FeedbackForm(data, role_choices=roles)
    return FeedbackForm(
        data,
        role_choices=roles,
        action=reverse("roles:quiz_feedback", kwargs={"pk": submission.pk}),
        initial={"current_role": submission.stated_role_slug or ""},
    )


@require_safe
def quiz_scoring(request: HttpRequest) -> HttpResponse:
    """The public "How is this scored?" page."""
    questionnaire = published_questionnaire()
    return render(
        request,
        "roles/quiz_scoring.html",
        {
            "role_count": len(questionnaire.roles),
            "clear_percent": round(questionnaire.model.clear * 100),
        },
    )


@require_safe
def quiz_result(request: HttpRequest, pk) -> HttpResponse:
    # The snapshot is for re-scoring and audits; the page needs only the result.
    submission = get_object_or_404(
        Submission.objects.defer("snapshot", "answers"), pk=pk
    )
    result: StoredResult = submission.stored_result
    map_roles = role_map_roles()
    published = {r.slug for r in map_roles}
    top, second = result.top, result.runner_up
    compare_key = (
        comparison_key([top.role, second.role])
        if top and second and {top.role, second.role} <= published
        else None
    )
    owner = _owns_result(request, submission.pk)
    title = result.headline()
    response = render(
        request,
        "roles/quiz_result.html",
        {
            "submission": submission,
            "result": result,
            "ranking": result.rows,
            "top": top,
            "second": second,
            "headline": title,
            "published": published,
            "compare_key": compare_key,
            "owner": owner,
            "feedback_form": _feedback_form(submission=submission) if owner else None,
            "thanks": request.GET.get("thanks") == "1" and owner,
            "role_map": role_map_for(map_roles, you=result.you),
            "og_title": f"Which role am I? {title}"
            + (
                f" ({top.label} likely)"
                if top and result.is_clear and result.version >= 3
                else f" ({top.match} match)"
                if top and result.is_clear
                else ""
            ),
            "og_description": (top.summary + " " if top and result.is_clear else "")
            + "Take the questionnaire to find your own match.",
            "og_image_url": absolute_url(
                reverse("roles:quiz_result_image", kwargs={"pk": submission.pk})
            ),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    if owner:
        patch_cache_control(response, private=True)
    return response


@require_safe
def quiz_result_image(request: HttpRequest, pk) -> HttpResponse:
    """The result as a 1200×630 PNG card for link previews. A stored result
    never changes, so the image is rendered once and kept in the cache."""
    key = f"quiz-og:{pk}"
    png = cache.get(key)
    if png is None:
        submission = get_object_or_404(Submission.objects.only("id", "result"), pk=pk)
        png = result_card_png(submission.stored_result, site_name=settings.SITE_NAME)
        cache.set(key, png, 7 * 24 * 3600)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_POST
def quiz_feedback(request: HttpRequest, pk) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.only("id"), pk=pk)
    if not _owns_result(request, submission.pk):
        return render(request, "400.html", {"message": NOT_YOURS}, status=403)
    form = _feedback_form(request.POST)
    if not form.is_valid():
        return render(
            request,
            "400.html",
            {"message": "Choose “Yes” or “No” to tell us whether the result fits."},
            status=400,
        )
    stated = form.cleaned_data["current_role"]
    submission_feedback_set(
        submission_id=submission.pk,
        fit=form.cleaned_data["fit"],
        stated_role_slug=stated,
    )
    return HttpResponseRedirect(submission.get_absolute_url() + "?thanks=1#feedback")
