"""Role guides: the home page, the role list and each role's page."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from roles.catalogue.glossary import PageGlossary
from roles.catalogue.models import Family, Role, current_slugs
from roles.catalogue.selectors import RoleCard, role_cards, term_refs
from roles.comparisons.models import Comparison, comparison_key
from roles.core import seo
from roles.core.http import read_only
from roles.core.urls import slug_url
from roles.publishing.cache import public_page, reads
from roles.publishing.models import PublishableQuerySet
from roles.questionnaire.selectors import quiz_length

if TYPE_CHECKING:
    # What the mixin is mixed into, so that its methods are checked against it.
    _DetailViewBase = DetailView[Any]
else:
    _DetailViewBase = object


class DraftAwareMixin(_DetailViewBase):
    """Content pages: the public sees published items; staff also see drafts,
    which are marked, never cached and never indexed."""

    def get_queryset(self):
        # The queryset of a Publishable model's default manager.
        queryset = cast(PublishableQuerySet, super().get_queryset())
        return queryset.visible_to(self.request.user)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        obj = context.get("object")
        if obj is not None and not obj.is_published():
            patch_cache_control(response, private=True, no_store=True)
        return response


class FamilyGroup(NamedTuple):
    family: str  # the Family value: names its colour and icon in the CSS
    label: str
    roles: list[RoleCard]


def family_groups(roles) -> list[FamilyGroup]:
    """Roles grouped by family, in the families' order; empty families left out."""
    groups = [FamilyGroup(value, label, []) for value, label in Family.choices]
    by_value = {group.family: group for group in groups}
    for role in roles:
        by_value[role.family].roles.append(role)
    return [group for group in groups if group.roles]


@read_only
@public_page
def home(request: HttpRequest) -> HttpResponse:
    curated = list(Comparison.objects.published().only("title", "key", "tldr"))
    counts = reads([c.key for c in curated])
    comparisons = sorted(curated, key=lambda c: (-counts[c.key], c.title))[:8]
    return render(
        request,
        "roles/home.html",
        {
            "families": family_groups(role_cards()),
            "comparisons": comparisons,
            # "Most read" only once readers have read something.
            "ranked_by_reads": any(counts[c.key] for c in comparisons),
            # The questionnaire's real typical length (its adaptive flow).
            "quiz_length": quiz_length(),
            "og_title": "Role Guides: product, project and delivery roles explained",
        },
    )


class RoleListView(ListView):
    template_name = "roles/role_list.html"
    context_object_name = "roles"

    def get_queryset(self):
        return role_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["families"] = family_groups(context["roles"])
        context["breadcrumbs"] = seo.breadcrumb_trail(
            ("Roles", reverse("roles:role_list"))
        )
        return context


class RoleDetailView(DraftAwareMixin, DetailView):
    model = Role
    template_name = "roles/role_detail.html"
    context_object_name = "role"

    def get_queryset(self):
        return super().get_queryset().for_guide()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            (moved,) = current_slugs([kwargs["slug"]])
            if moved == kwargs["slug"]:
                raise
            return HttpResponsePermanentRedirect(
                reverse("roles:role_detail", kwargs={"slug": moved})
            )

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
        # Each at its comparison's own address (the index's ?roles= form
        # answers with a redirect there).
        context["other_roles"] = [
            (
                other.name,
                slug_url("roles:compare", comparison_key([role.slug, other.slug])),
            )
            for other in role_cards()
            if other.slug != role.slug
        ]
        context["page_glossary"] = PageGlossary(term_refs())
        # Plain text (validate_plain_text), shown as typed: the page, the meta
        # description and JSON-LD say the same words.
        summary = " ".join(role.summary.split())
        crumbs = seo.breadcrumb_trail(
            ("Roles", reverse("roles:role_list")),
            (role.name, role.get_absolute_url()),
        )
        context["breadcrumbs"] = crumbs
        context["og_title"] = f"{role.name}: what the role is and does"
        context["og_description"] = summary
        context["og_type"] = "article"
        context["structured_data"] = seo.page_ld(
            seo.article_ld(
                self.request,
                headline=f"{role.name}: what the role is and does",
                description=summary,
                modified=role.updated_at,
                reviewed=role.last_reviewed,
            ),
            seo.breadcrumbs_ld(self.request, crumbs),
        )
        return context
