"""The questionnaire, its results and the feedback on them."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
)

from roles.comparisons.models import comparison_key
from roles.core.client import rate_limit_count, rate_limit_wait, wait_in_words
from roles.core.crispy import PACK, form_html
from roles.core.frames import Frame, render_frame
from roles.core.http import read_only
from roles.core.params import plain_int
from roles.core.seo import absolute_url
from roles.core.urls import cached_reverse
from roles.core.views import database_unavailable
from roles.publishing.cache import Throwaway, versioned, versioned_memo
from roles.questionnaire import flow, scoring
from roles.questionnaire.adaptive import MAX_QUESTIONS, MIN_QUESTIONS
from roles.questionnaire.forms import (
    ActionForm,
    FeedbackForm,
    QuizForm,
    StepForm,
    StepFormFrame,
    new_nonce,
)
from roles.questionnaire.models import Submission
from roles.questionnaire.result_card import result_card_png
from roles.questionnaire.results import (
    Questionnaire,
    StoredResult,
    estimated_minutes,
    from_snapshot,
    option_order,
    question_option_order,
)
from roles.questionnaire.role_map import role_map_for
from roles.questionnaire.selectors import (
    load_questionnaire,
    published_questionnaire,
    question_withdrawn,
    quiz_length,
    role_map_roles,
    submission_for_nonce,
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

#: What a question's key can be (a slug, at most 80 characters, as the model
#: says): anything else in a step's address is made up, not withdrawn.
QUESTION_KEY = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _remember_result(request: HttpRequest, pk) -> None:
    owned = [str(pk), *request.session.get(OWNED_RESULTS, [])]
    request.session[OWNED_RESULTS] = owned[:OWNED_LIMIT]


def _owns_result(request: HttpRequest, pk) -> bool:
    return str(pk) in request.session.get(OWNED_RESULTS, [])


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    """The site's 429 page when this client may not submit again yet. Only
    looks: a submission counts once it is stored (:func:`_count_submission`),
    so one the database could not store is not held against its sender."""
    limit, window = settings.QUIZ_RATE_LIMIT
    wait = rate_limit_wait(
        request, group="quiz-submit", limit=limit, window=window, count=False
    )
    if wait is None:
        return None
    response = render(
        request, "429.html", {"wait_words": wait_in_words(wait)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _stored_already(nonce: str) -> bool:
    """Whether these answers' result is stored: sending them again (Back and
    the same answer, a double click) finds it, limit or not, and stores
    nothing new. Not known while the database is away."""
    try:
        return submission_for_nonce(nonce) is not None
    except (OperationalError, InterfaceError):
        return False


def _count_submission(request: HttpRequest) -> None:
    limit, window = settings.QUIZ_RATE_LIMIT
    rate_limit_count(request, group="quiz-submit", limit=limit, window=window)


def _too_large(request: HttpRequest, limit: int, message: str) -> HttpResponse | None:
    """The site's 413 page when the posted body is over ``limit`` bytes."""
    if (plain_int(request.META.get("CONTENT_LENGTH")) or 0) <= limit:
        return None
    return render(request, "400.html", {"message": message}, status=413)


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- the adaptive flow: one question per page ------------------------------------

#: Signed cookie holding the flow's state (roles.questionnaire.flow.FlowState).
FLOW_COOKIE = "quiz_flow"
FLOW_SALT = "roles.questionnaire.flow"
FLOW_MAX_AGE = 7 * 24 * 3600
RESULT_UNAVAILABLE = (
    "Your answers are kept in this browser, this last one too, but your "
    "result cannot be stored just now. Please try again in a minute."
)
BAD_STATE = (
    "We could not read your saved answers (they may have expired or been "
    "changed), so the questionnaire starts again."
)


def read_flow_cookie(request: HttpRequest) -> object:
    """The flow cookie's data, checked. Written as ``signing.dumps`` (URL-safe
    base64, ``:`` and ``.``: RFC 6265 cookie-octets only). The form first
    written, signed JSON that the cookie library quoted with \\" and \\054
    escapes, is still read: Python's cookie jar (requests) sent it back
    quoted, so every step after the start failed there, but browsers hold
    such cookies for up to FLOW_MAX_AGE. Raises BadSignature or ValueError."""
    value = request.COOKIES[FLOW_COOKIE]
    if not value.startswith(("{", '"')):
        return signing.loads(value, salt=FLOW_SALT, max_age=FLOW_MAX_AGE)
    raw = request.get_signed_cookie(FLOW_COOKIE, salt=FLOW_SALT, max_age=FLOW_MAX_AGE)
    return json.loads(raw or "")


def _read_state(request: HttpRequest) -> tuple[flow.FlowState | None, bool]:
    """The flow's state and whether the cookie was bad (tampered, expired or
    not a state): (None, False) when there is none."""
    if FLOW_COOKIE not in request.COOKIES:
        return None, False
    try:
        return flow.FlowState.from_json(read_flow_cookie(request)), False
    except (signing.BadSignature, ValueError):
        return None, True


def _write_state(
    request: HttpRequest, response: HttpResponse, state: flow.FlowState
) -> HttpResponse:
    response.set_cookie(
        FLOW_COOKIE,
        signing.dumps(state.to_json(), salt=FLOW_SALT, compress=True),
        max_age=FLOW_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return _no_store(response)


def _step_url(key: str) -> str:
    # A published question's key (the view checks it first): a step page
    # needs two or three of these, and reversing each cost it a twentieth.
    return cached_reverse("roles:quiz_step", key)


def _start_page(
    request: HttpRequest, *, problem: str = "", status: int = 200
) -> HttpResponse:
    questionnaire = published_questionnaire()
    length = quiz_length()
    state, _ = _read_state(request)
    resume = None
    if not problem and state is not None and state.answers:
        state = state.valid_for(questionnaire.by_key)
        resume = state.next_key(questionnaire.adaptive)
    opened = bool(questionnaire.questions)
    frame = _frame(
        _quiz_memo(request),
        request,
        "roles/quiz_start.html",
        # What decides the frame (the problem is one of this module's texts).
        key=(problem, resume is not None, opened),
        fixed={
            "length": length,
            "role_count": len(questionnaire.roles),
            "problem": problem,
            "resume": resume is not None,
            "opened": opened,
            "og_title": "Which role am I? A questionnaire about the work you enjoy",
        },
        slots=START_SLOTS,
    )
    start_form = (
        form_html(
            ActionForm(
                action=cached_reverse("roles:quiz_begin"),
                label="Start now" if not resume else "Start again",
                css_class="btn btn-primary quiz-start",
                # quiz-step.js posts it and swaps in the first question.
                form_id="quiz-start-form",
            ),
            get_token(request),
        )
        if opened
        else ""
    )
    response = HttpResponse(
        frame.fill(
            {
                "start_form": start_form,
                "resume_url": _step_url(resume) if resume else "",
            }
        ),
        status=status,
    )
    if problem:
        response.delete_cookie(FLOW_COOKIE, samesite="Lax")
    return _no_store(response)


@read_only
def quiz_start(request: HttpRequest) -> HttpResponse:
    """What the questionnaire is and how long it usually takes, and Start."""
    _, bad = _read_state(request)
    if bad:
        return _start_page(request, problem=BAD_STATE, status=400)
    return _start_page(request)


@require_POST
def quiz_begin(request: HttpRequest) -> HttpResponse:
    """A fresh flow (new answers, new option order) at the first question."""
    questionnaire = published_questionnaire()
    state = flow.FlowState(new_nonce())
    key = state.next_key(questionnaire.adaptive)
    if key is None:
        return redirect("roles:quiz")
    return _write_state(request, redirect(_step_url(key)), state)


def _submission_nonce(state: flow.FlowState) -> str:
    """One stored result per set of answers: the same answers posted twice
    (a second tab, a double click) find the first result; changed answers
    (Back, then a different choice) store a new one."""
    digest = hashlib.sha256(
        json.dumps(sorted(state.answers.items())).encode()
    ).hexdigest()[:20]
    return f"{state.nonce[:40]}-{digest}"


def _finish(
    request: HttpRequest,
    questionnaire: Questionnaire,
    state: flow.FlowState,
    *,
    key: str,
) -> HttpResponse:
    nonce = _submission_nonce(state)
    if (limited := _rate_limited(request)) and not _stored_already(nonce):
        # "Your answers were not lost": the answer that met the limit is kept
        # for sending again. (The same answers again find their result.)
        return _write_state(request, _no_store(limited), state)
    order = option_order(questionnaire, state.nonce)
    try:
        stored = submission_create(
            questionnaire=questionnaire,
            answers=dict(state.answers),
            nonce=nonce,
            option_order={k: v for k, v in order.items() if k in state.answers},
            adaptive=True,
        )
    except (OperationalError, InterfaceError) as error:
        return _result_unavailable(request, error, state, key=key)
    if stored.created:
        _count_submission(request)
        _remember_result(request, stored.submission.pk)
    # The state stays: Back from the result finds the answers (each step then
    # says the result is ready), and "Answer more questions" continues from
    # them.
    done = flow.FlowState(state.nonce, state.answers, marks=state.marks, done=True)
    return _write_state(request, redirect(stored.submission), done)


def _result_unavailable(
    request: HttpRequest, error: Exception, state: flow.FlowState, *, key: str
) -> HttpResponse:
    """The database cannot store the result: the site's 503 page, saying the
    answers are kept, with a button that sends the last one again; the flow's
    cookie keeps them all, so the same step (reloaded, or sent again) finishes
    once the database is back."""
    fields = [("answer", str(state.answers[key]))]
    if "finish" in request.POST:
        fields.append(("finish", request.POST["finish"]))
    response = database_unavailable(
        error,
        request=request,
        context={
            "message": RESULT_UNAVAILABLE,
            "resend": {
                "action": _step_url(key),
                "fields": fields,
                "label": "Show my result",
            },
        },
    )
    return _write_state(request, response, state)


def _quiz_memo(request: HttpRequest) -> dict:
    """What the questionnaire's pages need that is the same for every
    visitor - their frames (roles.core.frames: the page around a visitor's
    own values) and the step forms' crispy helpers - kept in this process
    for the current content version. Never for a previewing editor (a frame
    would hold the preview's banner), nor with DEBUG on (runserver reloads an
    edited template in place: a kept frame would go on showing the old
    one)."""
    if settings.DEBUG or getattr(request, "editor_preview", None):
        return Throwaway()
    return versioned_memo("quiz-pages")


def _frame(
    memo: dict,
    request: HttpRequest,
    template_name: str,
    *,
    key: tuple,
    fixed: dict,
    slots: tuple[str, ...],
) -> Frame:
    """``template_name`` as a frame: rendered with ``fixed`` once per ``key``
    (everything in ``fixed`` that can differ within a content version must be
    in it), its ``slots`` filled per request."""
    frame = memo.get((template_name, *key))
    if frame is None:
        frame = memo[(template_name, *key)] = render_frame(
            template_name, fixed, request, slots=slots
        )
    return frame


#: What the start page and a step page output as they are (roles.core.frames).
START_SLOTS = ("start_form", "resume_url")
STEP_SLOTS = (
    "number",
    "to_go",
    "usual",
    "of",
    "done",
    "of_answered",
    "back_url",
    "step_form",
)


def _withdrawn(key: str) -> bool:
    """Whether ``key`` is a withdrawn question's, not a made-up address;
    while the database is away the step pages work from the cache, and the
    page then says only that there is no such question."""
    if not QUESTION_KEY.fullmatch(key):
        return False  # no question ever had it (nor can PostgreSQL take a NUL)
    try:
        return question_withdrawn(key)
    except (OperationalError, InterfaceError):
        return False


def _question_gone(
    request: HttpRequest, questionnaire: Questionnaire, key: str
) -> HttpResponse:
    """A question that is not (or no longer) published: a 404 that says
    which (withdrawn, or no question of that address at all) and, to a
    visitor in the flow, leads on to their next question, answers kept."""
    state, bad = _read_state(request)
    following = None
    if state is not None and not bad:
        state = state.valid_for(questionnaire.by_key)
        following = state.next_key(questionnaire.adaptive)
    response = render(
        request,
        "roles/quiz_gone.html",
        {
            "next_url": _step_url(following) if following else None,
            "withdrawn": _withdrawn(key),
        },
        status=404,
    )
    patch_cache_control(response, private=True)
    if state is not None and not bad:
        return _write_state(request, response, state)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def quiz_step(request: HttpRequest, key: str) -> HttpResponse:
    """One question: GET shows it (with the answer given before, if any);
    POST records the answer and redirects to the next question, or stores
    the result once it is settled."""
    questionnaire = published_questionnaire()
    by_key = questionnaire.by_key
    question = by_key.get(key)
    if question is None:
        return _question_gone(request, questionnaire, key)
    state, bad = _read_state(request)
    if bad:
        return _start_page(request, problem=BAD_STATE, status=400)
    posted = request.method == "POST"
    stored = state
    if state is None:
        if not posted:
            return redirect("roles:quiz")
        # The state expired between two questions: keep this answer.
        state = flow.FlowState(new_nonce())
    if posted and (
        too_large := _too_large(
            request, 10_000, "That answer is far larger than any real one."
        )
    ):
        return too_large
    state = state.valid_for(by_key)
    adaptive = questionnaire.adaptive
    order = question_option_order(question, state.nonce)
    finish = len(state.answers) >= MIN_QUESTIONS and bool(state.more or state.queue)
    if (
        posted
        and finish
        and "finish" in request.POST
        and not request.POST.getlist("answer")
    ):
        # "See my result now" with nothing chosen: the answers given so far
        # decide; this question stays unanswered.
        return _finish(request, questionnaire, state, key=key)
    action = _step_url(key)
    previous = state.answers.get(key)
    memo = _quiz_memo(request)
    helper, attributes = memo.get(("helper", key, finish)) or (None, None)
    if helper is None:
        helper = StepForm.build_helper(question, action, finish=finish)
        attributes = helper.get_attributes(template_pack=PACK)
        memo[("helper", key, finish)] = (helper, attributes)
    hint = questionnaire.hints.get(key, "")
    if posted or isinstance(memo, Throwaway):
        # A sent answer is checked by the form; where nothing is kept (a
        # preview, DEBUG, a staged draft) cutting the form into a frame (a
        # form per answer) would only cost this request.
        form = StepForm(
            request.POST if posted else None,
            initial={"answer": str(previous)} if previous is not None else None,
            question=question,
            hint=hint,
            order=order,
            action=action,
            helper=helper,
        )
        if posted and form.is_valid():
            state = state.answer(question, form.value)
            following = state.next_key(adaptive)
            # "See my result now" counts only where the page offered it; an
            # answer revisited from its result and sent unchanged goes back
            # to that result (the state is still done).
            if following is None or state.done or (finish and "finish" in request.POST):
                return _finish(request, questionnaire, state, key=key)
            return _write_state(request, redirect(_step_url(following)), state)
        # The pack's form, drawn without the crispy tag (form_html).
        step_form = form_html(form, get_token(request), attributes=attributes)
    else:
        form_frame = memo.get(("form", key, finish))
        if form_frame is None:
            form_frame = memo[("form", key, finish)] = StepFormFrame(
                question, hint=hint, action=action, finish=finish, helper=helper
            )
        step_form = form_frame.fill(get_token(request), order, previous)
    length = quiz_length()
    back = state.previous(key)
    progress = flow.progress(state, key, typical=length.questions, total=len(by_key))
    fixed = {
        "question": question,
        "error": posted,
        "back_to_start": back is None,
        "last": progress.to_go == 0,
        "has_usual": bool(progress.usual),
        "ready": progress.ready,
    }
    frame = _frame(
        memo,
        request,
        "roles/quiz_step.html",
        key=(key, *(fixed[k] for k in sorted(fixed) if k != "question")),
        fixed=fixed,
        slots=STEP_SLOTS,
    )
    page = frame.fill(
        {
            "number": progress.number,
            "to_go": progress.to_go,
            "usual": progress.usual,
            "of": progress.of,
            "done": progress.done,
            "of_answered": progress.of_answered,
            "back_url": _step_url(back) if back else cached_reverse("roles:quiz"),
            "step_form": step_form,
        }
    )
    response = HttpResponse(page, status=400 if posted else 200)
    if state == stored:
        # The cookie already holds this state: signing it again would only
        # cost the step (showing a question changes nothing).
        return _no_store(response)
    return _write_state(request, response, state)


@require_http_methods(["GET", "HEAD"])
def quiz_result_any_case(request: HttpRequest, pk: str) -> HttpResponse:
    """A result's address with its id in capitals: the same result, at its
    one (lower-case) address, with the query string kept."""
    url = reverse("roles:quiz_result", kwargs={"pk": uuid.UUID(pk)})
    query = request.get_full_path().partition("?")[2]
    return redirect(f"{url}?{query}" if query else url, permanent=True)


def _snapshot_questions(snapshot: object) -> dict[str, scoring.QuestionSpec]:
    """The questions a stored result was answered on, by key (none from a
    snapshot that cannot be read: its answers are then asked again)."""
    if not isinstance(snapshot, dict):
        return {}
    try:
        return from_snapshot(snapshot).by_key
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}


@require_http_methods(["GET", "HEAD", "POST"])
def quiz_continue(request: HttpRequest, pk) -> HttpResponse:
    """Back into the flow from a result, with its answers: GET ``?q=key``
    (a "what would settle it" link) asks that question and the result's other
    settling questions again; POST ("Answer more questions") asks past the
    stopping rule."""
    submission = get_object_or_404(
        Submission.objects.only("id", "answers", "result", "snapshot"), pk=pk
    )
    if not _owns_result(request, submission.pk):
        # Someone else's answers are not yours to continue from.
        return redirect("roles:quiz")
    questionnaire = published_questionnaire()
    by_key = questionnaire.by_key
    current, _ = _read_state(request)
    answers = submission.answers if isinstance(submission.answers, dict) else {}
    answers = {k: v for k, v in answers.items() if type(v) is int}
    # Each answer marked with what it meant when given (the result's
    # snapshot), so one whose option was removed or changed since is asked
    # again rather than read as the option now at its place.
    answered_then = _snapshot_questions(submission.snapshot)
    options: dict[str, Any] = {}
    if request.method == "POST":
        options["more"] = True
    else:
        wanted = request.GET.get("q", "")
        settlers = [q.key for q in submission.stored_result.settlers]
        queue = [wanted] if wanted in by_key else []
        queue += [k for k in settlers if k not in queue]
        options["queue"] = tuple(queue)
    state = flow.FlowState.given(
        current.nonce if current else new_nonce(),
        {k: v for k, v in answers.items() if k in answered_then},
        answered_then,
        **options,
    )
    state = state.valid_for(by_key)
    following = state.next_key(questionnaire.adaptive)
    if following is None:
        return redirect(submission)
    return _write_state(request, redirect(_step_url(following)), state)


# --- the full questionnaire, every question on one page ------------------------------


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
        if too_large := _too_large(
            request,
            settings.QUIZ_MAX_BODY_BYTES,
            "That submission is far larger than any real answer set.",
        ):
            return too_large
        form = QuizForm(request.POST, questionnaire=questionnaire)
        if form.is_valid():
            if (limited := _rate_limited(request)) and not _stored_already(form.nonce):
                return limited
            stored = submission_create(
                questionnaire=questionnaire,
                answers=form.answers(),
                nonce=form.nonce,
                option_order=form.order,
            )
            if stored.created:
                _count_submission(request)
                _remember_result(request, stored.submission.pk)
            done = redirect(stored.submission)
            done.delete_cookie(NONCE_COOKIE, samesite="Lax")
            return done
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
            "og_title": "Which role am I? All questions on one page",
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
        initial={
            "current_role": submission.stated_role_slug or "",
            # The answer already sent, to change (none yet: nothing chosen).
            "fit": {True: "yes", False: "no", None: None}[submission.fit],
        },
    )


@read_only
def quiz_scoring(request: HttpRequest) -> HttpResponse:
    """The public "How is this scored?" page."""
    questionnaire = published_questionnaire()
    return render(
        request,
        "roles/quiz_scoring.html",
        {
            "role_count": len(questionnaire.roles),
            "clear_percent": round(questionnaire.model.clear * 100),
            "settle_percent": round(questionnaire.adaptive.settle * 100),
            "min_questions": MIN_QUESTIONS,
            "max_questions": MAX_QUESTIONS,
            "total_questions": len(questionnaire.questions),
        },
    )


@read_only
def quiz_result(request: HttpRequest, pk) -> HttpResponse:
    # The snapshot is for re-scoring and audits; the page needs the result and
    # which questions were answered (what would settle it says which were not).
    submission = get_object_or_404(Submission.objects.defer("snapshot"), pk=pk)
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
    more_form = (
        ActionForm(
            action=reverse("roles:quiz_continue", kwargs={"pk": submission.pk}),
            label="Answer more questions",
            css_class="btn btn-outline-primary",
        )
        if owner and result.is_adaptive and result.asked < result.total
        else None
    )
    settling = result.settling(
        submission.answers if isinstance(submission.answers, dict) else ()
    )
    # How likely, in the page's own words (a result stored before version 3
    # says its match out of 100, as it always did).
    title_note = (
        f" ({top.label} likely)"
        if top and result.is_clear and result.version >= 3
        else f" ({top.match} match)"
        if top and result.is_clear
        else ""
    )
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
            "more_form": more_form,
            "settling": settling,
            "settle_unanswered": sum(1 for _, seen in settling if not seen),
            "feedback_form": _feedback_form(submission=submission) if owner else None,
            "thanks": request.GET.get("thanks") == "1" and owner,
            "role_map": role_map_for(map_roles, you=result.you),
            "title_note": title_note,
            "og_title": f"Which role am I? {title}{title_note}",
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


@read_only
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
