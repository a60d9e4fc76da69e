"""The glossary: every term the guides use, each with an anchor."""

from __future__ import annotations

from itertools import groupby
from typing import NamedTuple

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.selectors import TermUse, term_uses_in_guides
from roles.comparisons.selectors import term_uses_in_comparisons
from roles.core.http import read_only
from roles.publishing.cache import public_page


class GlossaryEntry(NamedTuple):
    term: GlossaryTerm
    guides: tuple[TermUse, ...]  # the published guides whose text links it
    comparisons: tuple[TermUse, ...]  # the published comparisons that do


@read_only
@public_page
def glossary(request: HttpRequest) -> HttpResponse:
    # "Used in" is where the pages link the term, worked out with the linker's
    # matching (never the editors' related roles, which drifted from the text).
    in_guides = term_uses_in_guides()
    in_comparisons = term_uses_in_comparisons()
    entries = [
        GlossaryEntry(t, in_guides.get(t.slug, ()), in_comparisons.get(t.slug, ()))
        for t in GlossaryTerm.objects.order_by("term")
    ]
    letters = [
        (letter, list(items))
        for letter, items in groupby(entries, key=lambda e: e.term.term[:1].upper())
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
