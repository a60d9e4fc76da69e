"""The open data API, version 1: read-only JSON for roles, comparisons, the
glossary and the published questionnaire, with an OpenAPI document and docs.

Every response carries the content licence (in ``meta`` and a ``Link``
header). Responses are cached like pages (``public_page``: per content
version, anonymous GETs), rate-limited per client, and open to any origin
(``Access-Control-Allow-Origin: *`` and the preflight, from django-cors-headers
for /api/v1/, CORS_* in the settings; the API has no cookies or write methods,
so nothing is exposed that a page would not show)."""

from __future__ import annotations

from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import (
    HttpRequest,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from roles import models as m
from roles.catalogue.selectors import SourceRef, sources_union, term_uses_in_guides
from roles.comparisons.converters import role_set_error
from roles.comparisons.selectors import term_uses_in_comparisons
from roles.core.client import rate_limit_wait
from roles.core.http import LICENCE_URL, api_error
from roles.core.params import shortened
from roles.core.seo import absolute_url
from roles.publishing.cache import public_page
from roles.questionnaire.selectors import published_questionnaire

API_VERSION = "1"
LICENCE_NAME = "CC BY 4.0"
ATTRIBUTION = "Role Guides"
LICENCE_TEXT = (
    f"The content (guides, comparisons, glossary, questionnaire) is published "
    f"under the Creative Commons Attribution 4.0 licence ({LICENCE_NAME}, "
    f"{LICENCE_URL}): reuse it freely, crediting “{ATTRIBUTION}” and linking "
    "to the page a record's `url` gives."
)
DEFAULT_RATE_LIMIT = (300, 60)  # requests per client per minute
SLUG = Path(
    ...,
    pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    max_length=80,
    examples=["product-owner"],
)
KEY = Path(
    ...,
    pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    max_length=320,
    examples=["product-manager-vs-product-owner"],
)


# --- cross-cutting: licence header, rate limit, page cache ------------------------


def _rate_limited(request: HttpRequest) -> int | None:
    limit, window = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return rate_limit_wait(request, group="api", limit=limit, window=window)


def open_data(view):
    """Wrap an API view: rate limit, cache like a page (the licence header is
    added to every API response by the middleware)."""
    cached = public_page(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response: HttpResponseBase
        if wait := _rate_limited(request):
            response = api_error(
                f"Too many requests: try again in {wait} seconds.", 429
            )
            response["Retry-After"] = str(wait)
        else:
            response = cached(request, *args, **kwargs)
        return response

    return wrapped


# --- schemas ------------------------------------------------------------------------


class Meta(Schema):
    api_version: str
    licence: str
    licence_url: str
    attribution: str


def _meta() -> Meta:
    return Meta(
        api_version=API_VERSION,
        licence=LICENCE_NAME,
        licence_url=LICENCE_URL,
        attribution=ATTRIBUTION,
    )


class Endpoint(Schema):
    name: str
    url: str
    summary: str


class ApiIndex(Schema):
    meta: Meta
    licence_text: str
    docs: str
    openapi: str
    endpoints: list[Endpoint]


class Error(Schema):
    detail: str


class Moved(Schema):
    """A permanent redirect (301): the address now, also in ``Location``."""

    detail: str
    location: str


# Each schema reads its values from the model (attributes, dotted aliases
# and ``resolve_*`` methods): the views hand model objects to the response
# schemas, so an API field is written once, here.


class RoleRef(Schema):
    slug: str
    name: str
    url: str
    api_url: str

    @staticmethod
    def resolve_url(role: m.Role) -> str:
        return absolute_url(role.get_absolute_url())

    @staticmethod
    def resolve_api_url(role: m.Role) -> str:
        return absolute_url(reverse("api-v1:role", kwargs={"slug": role.slug}))


class RoleSummary(RoleRef):
    family: str
    summary: str


class RoleList(Schema):
    meta: Meta
    roles: list[RoleSummary]


class ResponsibilityOut(Schema):
    theme: str = Field(alias="theme.slug")
    text: str


class DimensionOut(Schema):
    dimension: str = Field(alias="dimension.slug")
    name: str = Field(alias="dimension.name")
    value: str


class SkillOut(Schema):
    name: str
    level: str
    note: str


class WayInOut(Schema):
    title: str
    text: str


class WeekOut(Schema):
    activity: str
    hours: int
    text: str


class AntiPatternOut(Schema):
    name: str
    text: str


class PathOut(Schema):
    from_role: RoleRef
    to_role: RoleRef
    summary: str
    new_responsibilities: list[str] = Field(alias="new_responsibility_list")
    skills_to_build: list[str] = Field(alias="skills_to_build_list")


class SourceOut(Schema):
    title: str
    url: str
    publisher: str


class RoleDetail(RoleSummary):
    also_known_as: list[str] = Field(alias="aliases")
    origin: str
    last_reviewed: date | None
    overview: str
    responsibilities: list[ResponsibilityOut]
    dimensions: list[DimensionOut] = Field(alias="dimension_values")
    skills: list[SkillOut]
    ways_in: list[WayInOut]
    typical_week: list[WeekOut]
    anti_patterns: list[AntiPatternOut]
    related_roles: list[RoleRef]
    career_paths_out: list[PathOut] = Field(alias="public_paths_out")
    career_paths_in: list[PathOut] = Field(alias="public_paths_in")
    sources: list[SourceOut]

    @staticmethod
    def resolve_related_roles(role: m.Role) -> list[m.Role]:
        # public_related: a Prefetch(to_attr=...) of Role.objects.for_guide()
        links = role.public_related  # type: ignore[attr-defined]
        return [link.related for link in links]


class RoleDocument(Schema):
    meta: Meta
    role: RoleDetail


class ComparisonSummary(Schema):
    key: str
    title: str
    url: str
    api_url: str
    roles: list[str]
    last_reviewed: date | None

    @staticmethod
    def resolve_url(comparison: m.Comparison) -> str:
        return absolute_url(comparison.get_absolute_url())

    @staticmethod
    def resolve_api_url(comparison: m.Comparison) -> str:
        return absolute_url(
            reverse("api-v1:comparison", kwargs={"key": comparison.key})
        )

    @staticmethod
    def resolve_roles(comparison: m.Comparison) -> list[str]:
        return [member.role.slug for member in comparison.comparison_roles.all()]


class ComparisonList(Schema):
    meta: Meta
    comparisons: list[ComparisonSummary]


class ComparisonDetail(ComparisonSummary):
    tldr: str
    body: str
    suits: dict[str, str]
    sources: list[SourceOut]

    @staticmethod
    def resolve_suits(comparison: m.Comparison) -> dict[str, str]:
        return {
            member.role.slug: member.suits
            for member in comparison.comparison_roles.all()
            if member.suits
        }

    @staticmethod
    def resolve_sources(comparison: m.Comparison) -> list[SourceRef]:
        return sources_union(
            [member.role for member in comparison.comparison_roles.all()]
        )


class ComparisonDocument(Schema):
    meta: Meta
    comparison: ComparisonDetail


class TermOut(Schema):
    slug: str
    term: str
    abbreviation: str
    aliases: list[str] = Field(alias="alias_list")
    definition: str
    url: str
    source: SourceOut
    related_roles: list[str] = Field(
        description="The roles the editors associate with the term (slugs). "
        "Their guides need not use it: see used_in_roles for those that do."
    )
    used_in_roles: list[str] = Field(
        description="The published role guides whose text links the term "
        "(slugs): those the glossary page lists under “Used in the guides”."
    )
    used_in_comparisons: list[str] = Field(
        description="The published comparisons whose text links the term "
        "(keys, as in /api/v1/comparisons/{key}/)."
    )

    @staticmethod
    def resolve_url(term: m.GlossaryTerm) -> str:
        return absolute_url(term.get_absolute_url())

    @staticmethod
    def resolve_source(term: m.GlossaryTerm) -> SourceOut:
        return SourceOut(
            title=term.source_title,
            url=term.source_url,
            publisher=term.source_publisher,
        )

    @staticmethod
    def resolve_related_roles(term: m.GlossaryTerm) -> list[str]:
        return [role.slug for role in term.related_roles.all()]


class Glossary(Schema):
    meta: Meta
    terms: list[TermOut]


class TermDocument(Schema):
    meta: Meta
    term: TermOut


class OptionOut(Schema):
    text: str
    points: dict[str, int]


class QuestionOut(Schema):
    key: str
    kind: str
    text: str
    options: list[OptionOut]
    weights: dict[str, int]


class QuestionnaireOut(Schema):
    meta: Meta
    roles: list[str]
    questions: list[QuestionOut]
    scoring: str


# --- the API --------------------------------------------------------------------------

api = NinjaAPI(
    title="Role Guides open data",
    version=API_VERSION,
    description=(
        "Read-only JSON for the role guides, curated comparisons, the glossary "
        "and the published questionnaire. Only published content appears. "
        "Responses are cached until the content changes and rate-limited per "
        "client; any origin may read them (CORS).\n\n" + LICENCE_TEXT
    ),
    urls_namespace="api-v1",
    docs=Swagger(
        # Deep links put an <a> inside each operation's toggle button (nested
        # interactive controls, small targets): off, for accessibility.
        # No "Schemas" section (-1): Swagger UI titles it an <h4> beside the
        # tags' <h3>s, so it read as part of the last tag, a level below
        # "Endpoints" skipped; each schema is shown at its operation (the
        # response's "Schema" tab) and in the OpenAPI document.
        settings={"defaultModelsExpandDepth": -1, "deepLinking": False}
    ),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


#: What each operation's path key names, for the sentence a key in the
#: wrong form gets (any other operation: "record").
KEY_NOUNS = {"role": "role", "comparison": "comparison", "term": "glossary term"}


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponseBase:
    """A path key in the wrong form (upper case, "%00", too long) names
    nothing, as a key in the right form that names nothing does: a JSON 404
    with a sentence, for every path parameter with a pattern, rather than
    pydantic's 422 dump ("string_pattern_mismatch" and the expression).
    Anything else keeps the 422."""
    errors = exc.errors
    if not errors or any(tuple(e.get("loc", ()))[:1] != ("path",) for e in errors):
        return api.create_response(request, {"detail": errors}, status=422)
    first = errors[0]
    match = request.resolver_match
    noun = KEY_NOUNS.get((match and match.url_name) or "", "record")
    loc = tuple(first.get("loc", ()))
    value = match.kwargs.get(str(loc[-1])) if match and loc else None
    shown = shortened(value) if isinstance(value, str) else ""
    named = f" “{shown}”" if shown else " like that"
    if first.get("type") == "string_too_long":
        limit = (first.get("ctx") or {}).get("max_length")
        why = f"a key is at most {limit} characters" if limit else "it is too long"
        return api_error(f"No {noun} has a key{named}: {why}.", 404)
    return api_error(
        f"No {noun} has a key{named}: a key is lower-case letters, digits and "
        "hyphens, like “product-owner”.",
        404,
    )


@api.get(
    "/roles/",
    response={200: RoleList, 429: Error},
    url_name="roles",
    summary="Every published role",
    tags=["roles"],
)
@decorate_view(open_data)
def role_list(request):
    roles = m.Role.objects.published().only("slug", "name", "family", "summary")
    return RoleList(
        meta=_meta(),
        roles=list(roles),
    )


@api.get(
    "/roles/{slug}/",
    response={
        200: RoleDocument,
        301: Moved,
        404: Error,
        429: Error,
    },
    url_name="role",
    summary="One role's guide: responsibilities, dimensions, skills, paths",
    tags=["roles"],
)
@decorate_view(open_data)
def role_detail(request, slug: str = SLUG):
    role = (
        m.Role.objects.published()
        .for_guide()
        .prefetch_related(
            Prefetch(
                "dimension_values",
                queryset=m.DimensionValue.objects.select_related("dimension"),
            )
        )
        .filter(slug=slug)
        .first()
    )
    if role is None:
        (now,) = m.current_slugs([slug])
        if now != slug:  # a former slug: the address now, as the pages do
            return _moved(reverse("api-v1:role", kwargs={"slug": now}))
        return Status(404, Error(detail=f"No published role “{slug}”."))
    return Status(200, RoleDocument(meta=_meta(), role=role))


@api.get(
    "/comparisons/",
    response={200: ComparisonList, 429: Error},
    url_name="comparisons",
    summary="Every published curated comparison",
    tags=["comparisons"],
)
@decorate_view(open_data)
def comparison_list(request):
    comparisons = m.Comparison.objects.published().with_roles()
    return ComparisonList(
        meta=_meta(),
        comparisons=list(comparisons),
    )


@api.get(
    "/comparisons/{key}/",
    response={
        200: ComparisonDocument,
        301: Moved,
        404: Error,
        429: Error,
    },
    url_name="comparison",
    summary="One curated comparison, with the union of its roles' sources",
    tags=["comparisons"],
)
@decorate_view(open_data)
def comparison_detail(request, key: str = KEY):
    slugs = key.split(m.SEPARATOR)
    if error := role_set_error(slugs):
        # No comparison can have this key (one role, six, a role twice): said
        # at once, in the site's comparison pages' words, not a 301 to a 404.
        # 404 rather than the pages' 400: the key is well-formed by the
        # schema, and names a document that cannot exist.
        why = error[0].lower() + error[1:]
        return Status(404, Error(detail=f"No comparison can have this key: {why}"))
    slugs = m.current_slugs(slugs)  # a former slug names the role it was
    canonical = m.comparison_key(slugs)
    comparison = (
        m.Comparison.objects.published()
        .prefetch_related(
            Prefetch(
                "comparison_roles",
                queryset=m.ComparisonRole.objects.select_related("role")
                .prefetch_related("role__sources")
                .order_by("order", "id"),
            )
        )
        .filter(key=canonical)
        .first()
    )
    if comparison is None:
        published = set(
            m.Role.objects.published()
            .filter(slug__in=slugs)
            .values_list("slug", flat=True)
        )
        if unknown := [slug for slug in slugs if slug not in published]:
            names = ", ".join(f"“{slug}”" for slug in unknown)
            return Status(404, Error(detail=f"No published role {names}."))
        return Status(
            404, Error(detail=f"No published comparison of these roles: “{key}”.")
        )
    if canonical != key:
        # Another order or a former slug: the one address, as the site's
        # comparison pages answer it.
        return _moved(reverse("api-v1:comparison", kwargs={"key": canonical}))
    return Status(200, ComparisonDocument(meta=_meta(), comparison=comparison))


def _moved(path: str) -> HttpResponsePermanentRedirect:
    """A 301 with a small JSON body (the API answers only in JSON)."""
    body = Moved(detail=f"Moved permanently to {path}", location=path)
    return HttpResponsePermanentRedirect(
        path, content=body.model_dump_json(), content_type="application/json"
    )


def _with_uses(terms) -> list[Any]:
    """The terms, each with the pages that link it (worked out once per
    content version, not per term)."""
    in_guides, in_comparisons = term_uses_in_guides(), term_uses_in_comparisons()
    terms = list(terms)
    for term in terms:
        term.used_in_roles = sorted(u.key for u in in_guides.get(term.slug, ()))
        term.used_in_comparisons = sorted(
            u.key for u in in_comparisons.get(term.slug, ())
        )
    return terms


def _terms():
    related_roles = Prefetch(
        "related_roles",
        queryset=m.Role.objects.published().only("slug").order_by("slug"),
    )
    # A false arg-type from django-stubs 5.2's plugin on a manager built with
    # as_manager() (typeddjango/django-stubs#3263, fixed in 6.x).
    return m.GlossaryTerm.objects.prefetch_related(
        related_roles  # type: ignore[arg-type]
    )


@api.get(
    "/glossary/",
    response={200: Glossary, 429: Error},
    url_name="glossary",
    summary="Every glossary term",
    tags=["glossary"],
)
@decorate_view(open_data)
def glossary(request):
    return Glossary(meta=_meta(), terms=_with_uses(_terms()))


@api.get(
    "/glossary/{slug}/",
    response={200: TermDocument, 404: Error, 429: Error},
    url_name="term",
    summary="One glossary term",
    tags=["glossary"],
)
@decorate_view(open_data)
def glossary_term(request, slug: str = SLUG):
    term = _terms().filter(slug=slug).first()
    if term is None:
        return Status(404, Error(detail=f"No glossary term “{slug}”."))
    return Status(200, TermDocument(meta=_meta(), term=_with_uses([term])[0]))


@api.get(
    "/questionnaire/",
    response={200: QuestionnaireOut, 429: Error},
    url_name="questionnaire",
    summary="The published questionnaire with each answer's points per role",
    tags=["questionnaire"],
)
@decorate_view(open_data)
def questionnaire(request):
    data = published_questionnaire()
    return QuestionnaireOut(
        meta=_meta(),
        roles=data.role_slugs,
        questions=[
            QuestionOut(
                key=q.key,
                kind=q.kind,
                text=q.text,
                options=[
                    OptionOut(text=o.text, points=dict(o.points)) for o in q.options
                ],
                weights=dict(q.weights),
            )
            for q in data.questions
        ],
        scoring=(
            "A scenario option gives its points to each role. An agreement "
            "statement gives weight × s / 2, where s runs from -2 (strongly "
            "disagree) to +2 (strongly agree). Points become how likely a person "
            "in each role is to give each answer (a softmax with a fitted "
            "temperature per role), and the result is each role's posterior "
            "probability under a uniform prior: see /quiz/how-scoring-works/."
        ),
    )


@api.get(
    "/",
    response={200: ApiIndex, 429: Error},
    url_name="index",
    summary="This index: every endpoint, the documentation and the licence",
    tags=["index"],
)
@decorate_view(open_data)
def index(request):
    prefix = reverse("api-v1:index")
    return ApiIndex(
        meta=_meta(),
        licence_text=LICENCE_TEXT,
        docs=absolute_url(reverse("api-v1:openapi-view")),
        openapi=absolute_url(reverse("api-v1:openapi-json")),
        endpoints=[
            Endpoint(
                name=operation.url_name,
                url=absolute_url(prefix + path.lstrip("/")),
                summary=operation.summary,
            )
            for path, path_view in api.default_router.path_operations.items()
            for operation in path_view.operations
            if operation.url_name not in (None, "index")
        ],
    )


def api_urls():
    """The API's URL patterns (the licence header on every response, the
    OpenAPI document's and a 304 included, is MethodNotAllowedPageMiddleware's,
    which answers for the whole of /api/)."""
    return api.urls
