from __future__ import annotations

import re
from collections import OrderedDict
from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from . import comparison as cmp
from . import seo
from .caching import count_read, current_version, public_page, reads, versioned
from .forms import ComparePickerForm, FeedbackForm, QuizForm
from .http import client_ip
from .markdown import render_markdown
from .models import (
    MAX_COMPARED_ROLES,
    SEPARATOR,
    Comparison,
    ContextNote,
    Dimension,
    DimensionValue,
    Family,
    Responsibility,
    Role,
    Submission,
    comparison_key,
)
from .models.content import ROLE_SLUG_PATTERN
from .quiz import load_questionnaire, published_questionnaire
from .services import submission_create


class DraftAwareMixin:
    """Content pages: the public sees published items; staff also see drafts,
    which are marked, never cached and never indexed."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        obj = context.get("object")
        if obj is not None and not obj.is_published():
            patch_cache_control(response, private=True, no_store=True)
        return response


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.published().only("name", "slug", "summary", "family")
    families = OrderedDict((label, []) for _, label in Family.choices)
    labels = dict(Family.choices)
    for role in roles:
        families[labels[role.family]].append(role)
    curated = list(Comparison.objects.published().only("title", "key"))
    counts = reads([c.key for c in curated])
    comparisons = sorted(curated, key=lambda c: (-counts[c.key], c.title))[:8]
    return render(
        request,
        "roles/home.html",
        {
            "families": [(label, items) for label, items in families.items() if items],
            "comparisons": comparisons,
            "og_title": "Role Guides: product, project and delivery roles explained",
        },
    )


class RoleListView(ListView):
    template_name = "roles/role_list.html"
    context_object_name = "roles"

    def get_queryset(self):
        return Role.objects.published().only(
            "name", "slug", "summary", "family", "origin"
        )


class RoleDetailView(DraftAwareMixin, DetailView):
    model = Role
    template_name = "roles/role_detail.html"
    context_object_name = "role"

    def get_queryset(self):
        return super().get_queryset().for_guide()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.object
        responsibilities = list(role.responsibilities.all())
        context["themes"] = [
            (theme, list(items))
            for theme, items in groupby(responsibilities, key=lambda r: r.theme)
        ]
        context["comparisons"] = (
            Comparison.objects.published()
            .filter(comparison_roles__role=role)
            .only("title", "key")
            .distinct()
        )
        context["other_roles"] = (
            Role.objects.published().exclude(pk=role.pk).only("name", "slug")
        )
        context["og_title"] = f"{role.name}: what the role is and does"
        context["og_description"] = role.summary
        context["og_type"] = "article"
        context["structured_data"] = seo.page_ld(
            seo.article_ld(
                self.request,
                headline=f"{role.name}: what the role is and does",
                description=role.summary,
                modified=role.updated_at,
                reviewed=role.last_reviewed,
            ),
            seo.breadcrumbs_ld(
                self.request,
                [
                    ("Home", reverse("roles:home")),
                    ("Roles", reverse("roles:role_list")),
                    (role.name, role.get_absolute_url()),
                ],
            ),
        )
        return context


def _bad_comparison(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "roles/compare_error.html", {"message": message}, status=400)


@require_GET
@public_page
def compare_index(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.published().only("name", "slug"))
    form = ComparePickerForm(
        request.GET if "roles" in request.GET or "compare" in request.GET else None,
        role_choices=[(r.slug, r.name) for r in roles],
    )
    if form.is_bound and form.is_valid():
        return redirect(
            "roles:compare", slugs=comparison_key(form.cleaned_data["roles"])
        )
    status = 400 if form.is_bound else 200
    comparisons = Comparison.objects.published().only("title", "key", "tldr")
    return render(
        request,
        "roles/compare_index.html",
        {
            "form": form,
            "comparisons": comparisons,
            "og_title": "Compare roles side by side",
        },
        status=status,
    )


@require_GET
def compare(request: HttpRequest, slugs: str) -> HttpResponse:
    response = _compare_page(request, slugs)
    if response.status_code == 200 and not request.GET:
        count_read(slugs)
    return response


@public_page
def _compare_page(request: HttpRequest, slugs: str) -> HttpResponse:
    parts = slugs.split(SEPARATOR)
    if len(parts) < 2:
        return _bad_comparison(request, "A comparison needs at least two roles.")
    if len(parts) > MAX_COMPARED_ROLES:
        return _bad_comparison(
            request,
            f"A comparison shows at most {MAX_COMPARED_ROLES} roles side by side; "
            f"this address names {len(parts)}.",
        )
    if any(not re.fullmatch(ROLE_SLUG_PATTERN, part) for part in parts):
        return _bad_comparison(
            request, "This address does not name roles in a form we recognise."
        )
    if len(set(parts)) != len(parts):
        return _bad_comparison(request, "A role cannot be compared with itself.")
    roles = list(
        Role.objects.visible_to(request.user)
        .filter(slug__in=parts)
        .only("name", "slug", "summary", "status", "publish_at", "updated_at")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("theme").order_by(
                    "order", "id"
                ),
            ),
            Prefetch("dimension_values", queryset=DimensionValue.objects.all()),
        )
    )
    if len(roles) != len(parts):
        raise Http404("No such role.")
    key = comparison_key(parts)
    if slugs != key:
        return HttpResponseRedirect(
            _with_query(request, f"/compare/{key}/"), status=301
        )
    # One query finds the curated comparison for these roles and every related
    # one (sharing a role); their members come in a second.
    comparisons = list(
        Comparison.objects.visible_to(request.user)
        .filter(comparison_roles__role__in=roles)
        .distinct()
        .with_roles()
        .order_by("title")
    )
    curated = next((c for c in comparisons if c.key == key), None)
    related = [c for c in comparisons if c.key != key and c.is_published()]
    notes = (
        list(
            ContextNote.objects.filter(comparison=curated)
            .select_related("factor")
            .order_by("factor__order", "factor__name", "order", "id")
        )
        if curated
        else []
    )
    by_slug = {role.slug: role for role in roles}
    if curated:
        order = [m.role.slug for m in curated.comparison_roles.all()]
        roles = [by_slug[s] for s in order if s in by_slug] + [
            r for r in roles if r.slug not in order
        ]
    else:
        roles.sort(key=lambda r: r.name)
    dimensions = versioned(
        "dimensions",
        lambda: [
            (d.pk, d.slug, d.name, d.description) for d in Dimension.objects.all()
        ],
    )
    dim_slugs = {pk: slug for pk, slug, _, _ in dimensions}
    result = cmp.compare(
        [
            cmp.RoleData(
                slug=role.slug,
                name=role.name,
                responsibilities=[
                    (cmp.ThemeRef(r.theme.slug, r.theme.name, r.theme.order), r.text)
                    for r in role.responsibilities.all()
                ],
                values={
                    dim_slugs[v.dimension_id]: v.value
                    for v in role.dimension_values.all()
                },
            )
            for role in roles
        ],
        [cmp.DimensionRef(slug, name, text) for _, slug, name, text in dimensions],
    )
    differences_only = request.GET.get("diff") == "1"
    contexts = _context_groups(notes, request.GET.get("context", ""))
    title = curated.title if curated else " vs ".join(r.name for r in roles)
    description = (
        strip_tags(render_markdown(curated.tldr)).strip()[:300]
        if curated
        else f"{title} compared side by side: focus, decisions, time horizon, "
        "shared and distinct responsibilities."
    )
    preview = [
        str(item)
        for item in [curated, *roles]
        if item is not None and not item.is_published()
    ]
    response = render(
        request,
        "roles/compare.html",
        {
            "roles": roles,
            "result": result,
            "rows": result.differing_rows if differences_only else result.rows,
            "differences_only": differences_only,
            "curated": curated,
            "suits": (
                [(m.role, m.suits) for m in curated.comparison_roles.all() if m.suits]
                if curated
                else []
            ),
            "contexts": contexts,
            "related": related,
            "title": title,
            "key": key,
            "preview": preview,
            "og_title": title,
            "og_type": "article",
            "og_description": description,
            "structured_data": seo.page_ld(
                seo.article_ld(
                    request,
                    headline=title,
                    description=description,
                    modified=max(
                        [r.updated_at for r in roles]
                        + ([curated.updated_at] if curated else [])
                    ),
                    reviewed=curated.last_reviewed if curated else None,
                ),
                seo.breadcrumbs_ld(
                    request,
                    [
                        ("Home", reverse("roles:home")),
                        ("Compare", reverse("roles:compare_index")),
                        (title, reverse("roles:compare", kwargs={"slugs": key})),
                    ],
                ),
            ),
        },
    )
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _with_query(request: HttpRequest, path: str) -> str:
    query = request.GET.urlencode()
    return f"{path}?{query}" if query else path


def _context_groups(notes, selected: str):
    """Context notes grouped by factor, with one note selected in each group:
    the one named by ``?context=<factor>:<n>``, else the first."""
    groups: OrderedDict = OrderedDict()
    for note in notes:
        groups.setdefault(note.factor, []).append(note)
    chosen_factor, _, chosen_index = selected.partition(":")
    out = []
    for factor, notes in groups.items():
        index = 0
        if factor.slug == chosen_factor and chosen_index.isdigit():
            index = min(int(chosen_index), len(notes) - 1)
        out.append(
            {
                "factor": factor,
                "notes": [
                    {"note": note, "position": i, "selected": i == index}
                    for i, note in enumerate(notes)
                ],
            }
        )
    return out


# --- Questionnaire --------------------------------------------------------------


def _rate_limited(request: HttpRequest) -> bool:
    """A fixed window per client in the shared cache: at most N submissions per
    window. Works across gunicorn processes and containers because the cache is
    shared (Redis in production)."""
    limit, window = settings.QUIZ_RATE_LIMIT
    key = f"quiz-rate:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return False
    return count > limit


def _quiz_summary(questionnaire, preview: bool) -> dict[str, int]:
    def count() -> dict[str, int]:
        questions = len(questionnaire.questions)
        return {
            "question_count": questions,
            "role_count": len(questionnaire.roles),
            "minutes": max(1, round(questions * 15 / 60)),
        }

    return count() if preview else versioned("quiz-summary", count)


@require_http_methods(["GET", "POST"])
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
            if _rate_limited(request):
                return render(request, "429.html", status=429)
            submission = submission_create(
                questionnaire=questionnaire, answers=form.answers()
            )
            return redirect(submission)
        status = 400
    else:
        # Built only if the template needs it: the blank form's HTML is cached.
        form = SimpleLazyObject(lambda: QuizForm(questionnaire=questionnaire))
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
            # The blank form's HTML is the same for everyone until content changes.
            "content_version": current_version(),
            "og_title": "Which role am I? A questionnaire about the work you enjoy",
        },
        status=status,
    )
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
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
