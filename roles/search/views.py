"""Site search: a GET form in the header, results on /search/?q=…"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roles.core.client import rate_limit_wait
from roles.publishing.cache import public_page
from roles.search.forms import SearchForm
from roles.search.selectors import MAX_QUERY, QueryTooLong
from roles.search.selectors import search as run_search

SUGGESTIONS = ("PO", "backlog", "Scrum Master", "RACI", "career path")


@require_GET
@public_page
def search(request: HttpRequest) -> HttpResponse:
    # The empty page is cached whole (public_page); a query's results are
    # cached as data per content version (selectors.search), and each query
    # counts against the client's search rate limit.
    if request.GET:
        limit, window = settings.SEARCH_RATE_LIMIT
        if wait := rate_limit_wait(request, group="search", limit=limit, window=window):
            response = render(
                request, "429.html", {"wait": wait, "searching": True}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
    try:
        results = run_search(request.GET.get("q"))
    except QueryTooLong:
        return render(
            request,
            "400.html",
            {
                "message": f"That search is too long: a search is at most "
                f"{MAX_QUERY} characters. Try a word or two."
            },
            status=400,
        )
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
