"""The glossary: every term the guides use, each with an anchor."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.models import Role
from roles.core.http import read_only
from roles.publishing.cache import public_page


@read_only
@public_page
def glossary(request: HttpRequest) -> HttpResponse:
    related_roles = Prefetch(
        "related_roles",
        queryset=Role.objects.published().only("name", "slug").order_by("name"),
    )
    # A false arg-type from django-stubs 5.2's plugin on a manager built with
    # as_manager() (typeddjango/django-stubs#3263, fixed in 6.x).
    terms = GlossaryTerm.objects.prefetch_related(
        related_roles  # type: ignore[arg-type]
    ).order_by("term")
    letters = [
        (letter, list(items))
        for letter, items in groupby(terms, key=lambda t: t.term[:1].upper())
    ]
    return render(
        request,
        "roles/glossary.html",
        {
            "letters": letters,
            "og_title": "Glossary: the terms the role guides use",
            "og_description": "Short definitions of Scrum, project, business "
            "analysis, SAFe and product terms, each with a source.",
        },
    )
