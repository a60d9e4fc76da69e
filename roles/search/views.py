"""Site search: a GET form in the header, results on /search/?q=…"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from roles.core.client import rate_limit_wait, wait_in_words
from roles.core.http import read_only
from roles.publishing.cache import public_page, versioned
from roles.search.forms import SearchForm
from roles.search.selectors import MAX_QUERY, QueryTooLong, clean_query
from roles.search.selectors import search as run_search

SUGGESTIONS = ("PO", "backlog", "Scrum Master", "RACI", "career path")


@read_only
@public_page
def search(request: HttpRequest) -> HttpResponse:
    # The empty page is cached whole (public_page, which leaves query strings
    # alone). With a query: the client's search rate limit, then the results
    # (cached as data per content version and normalised query, see
    # selectors.search), and for visitors the page itself per content version
    # and query as typed: it holds no token and nothing of one visitor.
    if request.GET:
        limit, window = settings.SEARCH_RATE_LIMIT
        if wait := rate_limit_wait(request, group="search", limit=limit, window=window):
            response = render(
                request,
                "429.html",
                {"wait_words": wait_in_words(wait), "searching": True},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
    try:
        query = clean_query(request.GET.get("q"))
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
    if query and not request.user.is_authenticated:
        digest = hashlib.sha256(query.encode()).hexdigest()[:32]
        content = versioned(
            f"search-page:{digest}", lambda: _results_page(request, query).content
        )
        response = HttpResponse(content)
        response["X-Robots-Tag"] = "noindex"
        return response
    return _results_page(request, query)


def _results_page(request: HttpRequest, query: str) -> HttpResponse:
    results = run_search(query)
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
