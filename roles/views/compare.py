"""Comparison pages: any two to five roles side by side, and the picker."""

from __future__ import annotations

import re
from collections import OrderedDict

from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .. import comparison as cmp
from .. import seo
from ..caching import count_read, public_page, versioned
from ..forms import ComparePickerForm
from ..markdown import plain_text
from ..models import (
    MAX_COMPARED_ROLES,
    SEPARATOR,
    Comparison,
    ContextNote,
    Dimension,
    DimensionValue,
    Responsibility,
    Role,
    comparison_key,
)
from ..models.content import ROLE_SLUG_PATTERN


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
            "breadcrumbs": seo.breadcrumb_trail(
                ("Compare", reverse("roles:compare_index"))
            ),
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
        .only("name", "slug", "summary", "family", "status", "publish_at", "updated_at")
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
    crumbs = seo.breadcrumb_trail(
        ("Compare", reverse("roles:compare_index")),
        (title, reverse("roles:compare", kwargs={"slugs": key})),
    )
    description = (
        plain_text(curated.tldr, limit=300)
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
            "breadcrumbs": crumbs,
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
                seo.breadcrumbs_ld(request, crumbs),
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
