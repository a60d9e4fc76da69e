"""Comparison pages: any two to five roles side by side, and the picker."""

from __future__ import annotations

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from roles.catalogue.glossary import PageGlossary
from roles.catalogue.models import Role, current_slugs
from roles.catalogue.selectors import term_refs
from roles.comparisons.converters import RoleSet
from roles.comparisons.forms import ComparePickerForm
from roles.comparisons.models import Comparison
from roles.comparisons.selectors import (
    ContextChoiceError,
    Redirect,
    comparison_page,
    comparison_seo,
)
from roles.core import seo
from roles.core.http import read_only
from roles.publishing.cache import count_read, public_page


def _bad_comparison(
    request: HttpRequest, message: str, *, back: str = ""
) -> HttpResponse:
    """The 400 page for a comparison address we cannot show; ``back`` is the
    comparison itself when only the address's query was wrong."""
    return render(
        request,
        "roles/compare_error.html",
        {"message": message, "back": back},
        status=400,
    )


@read_only
@public_page
def compare_index(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.published().only("name", "slug"))
    form = ComparePickerForm(
        request.GET if "roles" in request.GET or "compare" in request.GET else None,
        role_choices=[(r.slug, r.name) for r in roles],
    )
    if form.is_bound and form.is_valid():
        # The converter puts the slugs in canonical order.
        return redirect("roles:compare", slugs=form.cleaned_data["roles"])
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


@read_only
def compare(request: HttpRequest, slugs: RoleSet) -> HttpResponseBase:
    try:
        response = _compare_page(request, slugs)
    except Http404:
        # A role was renamed: its old comparison addresses move for good.
        moved = current_slugs(list(slugs.parts))
        if moved == list(slugs.parts):
            raise
        return HttpResponsePermanentRedirect(
            _with_query(request, reverse("roles:compare", kwargs={"slugs": moved}))
        )
    if response.status_code == 200 and not request.GET:
        count_read(slugs.key)
    return response


@public_page
def _compare_page(request: HttpRequest, slugs: RoleSet) -> HttpResponse:
    if slugs.error:
        return _bad_comparison(request, slugs.error)
    try:
        page = comparison_page(
            user=request.user, role_set=slugs, context=request.GET.getlist("context")
        )
    except ContextChoiceError as error:
        return _bad_comparison(
            request,
            str(error),
            back=reverse("roles:compare", kwargs={"slugs": slugs.key}),
        )
    if page is None:
        raise Http404("No such role.")
    if isinstance(page, Redirect):
        return HttpResponsePermanentRedirect(_with_query(request, page.url))
    differences_only = request.GET.get("diff") == "1"
    response = render(
        request,
        "roles/compare.html",
        {
            "page": page,
            "rows": page.result.differing_rows
            if differences_only
            else page.result.rows,
            "differences_only": differences_only,
            "page_glossary": PageGlossary(term_refs()),
            **comparison_seo(request, page)._asdict(),
            "breadcrumbs": page.breadcrumbs,
        },
    )
    if page.preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _with_query(request: HttpRequest, path: str) -> str:
    query = request.GET.urlencode()
    return f"{path}?{query}" if query else path
