"""Site search: a GET form in the header, results on /search/?q=…"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roles.publishing.cache import public_page
from roles.search.forms import SearchForm
from roles.search.selectors import search as run_search

SUGGESTIONS = ("PO", "backlog", "Scrum Master", "RACI", "career path")


@require_GET
@public_page
def search(request: HttpRequest) -> HttpResponse:
    results = run_search(request.GET.get("q"))
    response = render(
        request,
        "roles/search.html",
        {
            "results": results,
            "form": SearchForm(initial={"q": results.query}),
            "suggestions": SUGGESTIONS,
            "og_title": "Search the role guides",
        },
    )
    # Result pages are for people, not for search engines' indexes.
    response["X-Robots-Tag"] = "noindex"
    return response
