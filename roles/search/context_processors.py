"""What every page's header search box needs to know of the search."""

from django.http import HttpRequest

from roles.search.selectors import MAX_QUERY


def search_box(request: HttpRequest) -> dict:
    """The longest query the server takes, for the header's box: it said 100
    while the search page's box and the server took 200."""
    return {"search_max_query": MAX_QUERY}
