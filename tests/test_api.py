"""The open data API (/api/v1/): content, licence, CORS, caching, rate limit,
and a property-based run of every operation against the OpenAPI document."""

import datetime as dt

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from roles import models as m
from roles.api.routes import api

from .conftest import count_queries
from .factories import (
    GlossaryTermFactory,
    ResponsibilityFactory,
    RoleFactory,
    SourceFactory,
    make_comparison,
    make_guide,
    make_scenario,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db):
    po = RoleFactory(name="Product Owner", slug="product-owner", also_known_as="PO")
    pm = RoleFactory(name="Product Manager", slug="product-manager")
    draft = RoleFactory(name="Draft Role", slug="draft-role", status=m.Status.DRAFT)
    for role in (po, pm):
        ResponsibilityFactory(role=role)
        SourceFactory(role=role, url="https://scrumguides.org/scrum-guide.html")
        SourceFactory(role=role)
    make_guide(po, others=[pm, draft], n=2)
    comparison = make_comparison([po, pm], title="Product Owner vs Product Manager")
    comparison.last_reviewed = dt.date(2026, 11, 20)
    comparison.save()
    term = GlossaryTermFactory(term="Product Goal", slug="product-goal")
    term.related_roles.add(po, draft)
    make_scenario([{po: 3}, {pm: 2}], key="first")
    return po, pm


def get(client, path):
    response = client.get(f"/api/v1{path}", HTTP_ORIGIN="https://reader.example")
    return response, response.json()


def test_role_list_has_published_roles_and_the_licence(client, content):
    response, data = get(client, "/roles/")
    assert response.status_code == 200
    assert [r["slug"] for r in data["roles"]] == ["product-manager", "product-owner"]
    assert data["meta"]["licence"] == "CC BY 4.0"
    assert (
        response["Link"]
        == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["roles"][1]["url"] == "http://testserver/roles/product-owner/"
    assert (
        data["roles"][1]["api_url"] == "http://testserver/api/v1/roles/product-owner/"
    )


def test_role_detail_has_responsibilities_dimensions_skills_and_paths(client, content):
    _, data = get(client, "/roles/product-owner/")
    role = data["role"]
    assert role["also_known_as"] == ["PO"]
    assert len(role["skills"]) == 2 and role["skills"][0]["level"] == "practitioner"
    assert len(role["responsibilities"]) == 1
    assert [p["to_role"]["slug"] for p in role["career_paths_out"]] == [
        "product-manager"
    ]
    assert [p["from_role"]["slug"] for p in role["career_paths_in"]] == [
        "product-manager"
    ]
    assert [r["slug"] for r in role["related_roles"]] == ["product-manager"]
    assert role["career_paths_out"][0]["skills_to_build"] == [
        "Discovery",
        "Business cases",
    ]


def test_drafts_are_not_served(client, content):
    response, data = get(client, "/roles/draft-role/")
    assert response.status_code == 404
    assert data == {"detail": "No published role “draft-role”."}
    _, glossary = get(client, "/glossary/")
    assert glossary["terms"][0]["related_roles"] == ["product-owner"]


def test_comparison_has_its_roles_sources_and_review_date(client, content):
    _, data = get(client, "/comparisons/product-manager-vs-product-owner/")
    comparison = data["comparison"]
    assert comparison["roles"] == ["product-owner", "product-manager"]
    assert comparison["last_reviewed"] == "2026-11-20"
    urls = [s["url"] for s in comparison["sources"]]
    assert urls.count("https://scrumguides.org/scrum-guide.html") == 1
    assert len(urls) == 3


def test_questionnaire_is_the_published_one(client, content):
    _, data = get(client, "/questionnaire/")
    assert [q["key"] for q in data["questions"]] == ["first"]
    assert data["questions"][0]["options"][0]["points"] == {"product-owner": 3}


def test_api_responses_are_cached_like_pages(client, content):
    first = client.get("/api/v1/roles/")
    second = client.get("/api/v1/roles/", HTTP_ORIGIN="https://reader.example")
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second["Access-Control-Allow-Origin"] == "*"
    m.Role.objects.filter(slug="product-owner").update(summary="Changed.")
    from roles.publishing.signals import bump_content_version

    bump_content_version()
    assert "Changed." in client.get("/api/v1/roles/").content.decode()


def test_api_is_rate_limited_per_client(client, content, settings):
    settings.API_RATE_LIMIT = (3, 60)
    codes = [client.get("/api/v1/glossary/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = client.get("/api/v1/glossary/")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Too many requests")


def test_writes_are_refused(client, content):
    assert client.post("/api/v1/roles/").status_code == 405


def test_openapi_document_and_docs_page(client, content):
    schema = client.get("/api/v1/openapi.json").json()
    assert "CC BY 4.0" in schema["info"]["description"]
    assert set(schema["paths"]) >= {
        "/api/v1/roles/",
        "/api/v1/roles/{slug}/",
        "/api/v1/comparisons/",
        "/api/v1/comparisons/{key}/",
        "/api/v1/glossary/",
        "/api/v1/glossary/{slug}/",
        "/api/v1/questionnaire/",
    }
    html = client.get("/api/v1/docs/").content.decode()
    assert '<html lang="en-GB">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: the CSP stays strict
    # The site's own page: its header (with the search), footer and stylesheet.
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "/static/css/main.css" in html
    assert html.count("creativecommons.org/licenses/by/4.0") == 1  # said once


@pytest.mark.parametrize(
    "path", ["/roles/", "/roles/product-owner/", "/comparisons/", "/glossary/"]
)
def test_api_query_count_does_not_grow_with_content(client, content, path):
    few = count_queries(client, f"/api/v1{path}")
    for _ in range(10):
        role = RoleFactory()
        make_guide(role, others=[content[0]], n=2)
        GlossaryTermFactory().related_roles.add(role)
    make_comparison([content[1], role], title="More")
    many = count_queries(client, f"/api/v1{path}")
    assert few == many


# --- property-based: every operation against its OpenAPI schema ----------------

# The document as the site serves it, built without a request (collection has
# no database, and every request runs the due-publication step first).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()
schema.location = "/api/v1/openapi.json"


@pytest.fixture
def api_content(content):
    """Schemathesis calls the WSGI application directly: keep Django from
    closing the test's database connection at each request's end, as the
    test client does (on PostgreSQL it would close the open transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield content
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_matches_its_schema_and_never_fails(case, api_content):
    case.call_and_validate()


def test_api_root_is_an_index_of_its_endpoints_and_licence(client, content):
    """/api/v1/ is the API's front door: what it serves, where, and under
    which licence (it once answered the site's 404 page)."""
    response, data = get(client, "/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert (
        response["Link"]
        == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    assert data["meta"]["licence"] == "CC BY 4.0"
    assert data["docs"] == "http://testserver/api/v1/docs/"
    assert data["openapi"] == "http://testserver/api/v1/openapi.json"
    endpoints = {e["name"]: e for e in data["endpoints"]}
    assert set(endpoints) == {
        "roles",
        "role",
        "comparisons",
        "comparison",
        "glossary",
        "term",
        "questionnaire",
    }
    assert endpoints["roles"]["url"] == "http://testserver/api/v1/roles/"
    assert endpoints["role"]["url"] == "http://testserver/api/v1/roles/{slug}/"
    examples = {"slug": {"role": "product-owner", "term": "product-goal"}}
    for endpoint in data["endpoints"]:
        assert endpoint["summary"]
        path = endpoint["url"].removeprefix("http://testserver")
        path = path.replace("{slug}", examples["slug"].get(endpoint["name"], ""))
        path = path.replace("{key}", "product-manager-vs-product-owner")
        assert client.get(path).status_code == 200, path  # each one answers


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/roles/a%2Fb/", "/api/v2/"])
def test_an_unknown_api_address_is_a_json_404(client, content, path):
    """A client of the API reads JSON errors: not the site's HTML 404 page."""
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "/api/v1/" in response.json()["detail"]


def test_pages_outside_the_api_keep_the_html_404(client, content):
    response = client.get("/apiary/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_comparison_named_in_another_order_redirects_to_its_address(client, content):
    """The site's comparison pages answer roles in any order with a 301 to
    the one address; the API said the comparison did not exist."""
    listed = client.get("/api/v1/comparisons/").json()
    key = listed["comparisons"][0]["key"] if "comparisons" in listed else None
    key = key or m.Comparison.objects.published().first().key
    reordered = "-vs-".join(reversed(key.split("-vs-")))
    response = client.get(f"/api/v1/comparisons/{reordered}/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/comparisons/{key}/"
    assert client.get(response["Location"]).status_code == 200
    unknown = client.get("/api/v1/comparisons/a-nobody-vs-z-no-one/")
    assert unknown.status_code == 404 and unknown.json()["detail"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize(
    "path", ["/api/v1/roles/", "/api/v1/openapi.json", "/api/v1/docs/", "/api/v1/x/"]
)
def test_the_api_answers_a_method_it_does_not_take_in_json(content, method, path):
    """A POST was answered with an HTML 405 (or, for the OpenAPI document and
    the docs, the site's "That form has expired" page): the API is read-only,
    and says so in JSON."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).generic(method, path)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "read-only" in response.json()["detail"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_scripts_on_other_sites_can_read_the_headers_that_matter(client, content):
    response = client.get("/api/v1/roles/", HTTP_ORIGIN="https://consumer.example")
    exposed = {
        h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")
    }
    assert {"link", "etag", "retry-after"} <= exposed
    preflight = client.options(
        "/api/v1/roles/",
        HTTP_ORIGIN="https://consumer.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"].lower()


def test_a_renamed_roles_old_api_addresses_redirect_as_its_pages_do(client, content):
    """After a slug change the pages redirect from the old address; the API
    said "No published role", which is false."""
    comparison = m.Comparison.objects.published().first()
    role = comparison.comparison_roles.order_by("order").first().role
    old = role.slug
    m.FormerSlug.objects.create(slug=f"{old}-old", role=role)
    response = client.get(f"/api/v1/roles/{old}-old/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/roles/{old}/"
    renamed = comparison.key.replace(old, f"{old}-old")
    response = client.get(f"/api/v1/comparisons/{renamed}/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/comparisons/{comparison.key}/"
    assert client.get("/api/v1/roles/never-a-role/").status_code == 404


def test_every_api_error_is_json_and_carries_the_licence(client, content):
    """Clients read the API's errors as JSON, whatever answers them: an
    unknown address, a method it does not take, and the database away (which
    gave the site's HTML 503 page, without the licence header)."""
    from django.db import OperationalError, connection
    from django.test import Client

    def database_down(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    visitor = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        outage = visitor.get("/api/v1/glossary/", HTTP_ORIGIN="https://example.org")
    answers = {
        404: client.get("/api/v1/nowhere/"),
        405: client.post("/api/v1/roles/"),
        503: outage,
    }
    for status, response in answers.items():
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json"), status
        assert response.json()["detail"], status
        assert response["Link"] == (
            '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        ), status
    assert int(outage["Retry-After"]) > 0
    assert outage["Cache-Control"] == "no-store"
    assert outage["Access-Control-Allow-Origin"] == "*"


LICENCE = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
EVERY_API_PATH = [
    "/api/v1/",
    "/api/v1/roles/",
    "/api/v1/roles/product-owner/",
    "/api/v1/comparisons/",
    "/api/v1/comparisons/product-manager-vs-product-owner/",
    "/api/v1/glossary/",
    "/api/v1/glossary/product-goal/",
    "/api/v1/questionnaire/",
    "/api/v1/docs/",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("path", EVERY_API_PATH)
def test_options_is_answered_alike_on_every_api_route(client, content, path):
    """OPTIONS (not a preflight) was an HTML 405 "Allow: GET" on the data,
    while the docs and the OpenAPI document sent their whole body with 200,
    and a POST named GET, HEAD, OPTIONS: now 204, the true Allow, no body."""
    response = client.options(path)
    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b""
    assert response["Link"] == LICENCE


@pytest.mark.parametrize("path", EVERY_API_PATH)
def test_a_not_modified_api_answer_keeps_the_licence(client, content, path):
    """A 304 (If-None-Match) dropped the licence header the README promises
    on every response."""
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"], path
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Link"] == LICENCE


@pytest.mark.parametrize("host", ["evil.example", "bad host!"])
def test_a_bad_host_gets_a_json_400_from_the_api(client, content, host):
    """The site's HTML 400 page answered a disallowed Host on the API."""
    response = client.get("/api/v1/roles/", HTTP_HOST=host)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert response["Link"] == LICENCE


@pytest.mark.parametrize(
    ("key", "status", "says"),
    [
        ("product-owner-vs-nobody-at-all", 404, "nobody-at-all"),
        ("product-owner-vs-product-owner", 404, "itself"),
        ("a-vs-b-vs-c-vs-d-vs-e-vs-f", 404, "two to five roles"),
        ("product-owner", 404, "two to five roles"),
    ],
)
def test_a_comparison_key_that_cannot_exist_is_a_json_error_not_a_redirect(
    client, content, key, status, says
):
    """/comparisons/product-owner-vs-agile-coach/ or a six-role key answered
    301 to the canonical key, which then 404ed."""
    response = client.get(f"/api/v1/comparisons/{key}/")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert says in response.json()["detail"]


def test_an_api_redirect_has_a_json_body_and_is_documented(client, content):
    """The 301s were empty text/html, and openapi.json left them out."""
    response = client.get("/api/v1/comparisons/product-owner-vs-product-manager/")
    assert response.status_code == 301
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["location"] == response["Location"]
    assert body["detail"]
    assert response["Link"] == LICENCE
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/roles/{slug}/", "/api/v1/comparisons/{key}/"]:
        assert "301" in paths[path]["get"]["responses"], path


FORM = "a key is lower-case letters, digits and hyphens"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/api/v1/roles/PRODUCT-OWNER/", f"No role has a key “PRODUCT-OWNER”: {FORM}"),
        ("/api/v1/roles/%00/", f"No role has a key like that: {FORM}"),
        ("/api/v1/roles/product_owner/", f"No role has a key “product_owner”: {FORM}"),
        ("/api/v1/roles/" + "a" * 81 + "/", "a key is at most 80 characters."),
        (
            "/api/v1/comparisons/PRODUCT-MANAGER-vs-product-owner/",
            f"No comparison has a key “PRODUCT-MANAGER-vs-product-owner”: {FORM}",
        ),
        ("/api/v1/glossary/RACI/", f"No glossary term has a key “RACI”: {FORM}"),
    ],
)
def test_a_key_in_the_wrong_form_is_a_json_404_with_a_plain_sentence(
    client, content, path, says
):
    """Found by a tester: these answered 422 with pydantic's own dump
    ("string_pattern_mismatch", the regular expression); every other key the
    API cannot find is a 404 with a sentence."""
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert "pattern" not in detail and "string_" not in detail
    assert says in detail
    assert "\x00" not in detail and "a" * 41 not in detail
    assert response["Link"] == LICENCE


def test_openapi_no_longer_promises_a_422_for_a_path_key(client, content):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/roles/{slug}/",
        "/api/v1/comparisons/{key}/",
        "/api/v1/glossary/{slug}/",
    ]:
        responses = paths[path]["get"]["responses"]
        assert "422" not in responses and "404" in responses, path


@pytest.mark.parametrize(
    "key",
    ["product-owner", "product-owner-vs-product-owner", "a-vs-b-vs-c-vs-d-vs-e-vs-f"],
)
def test_why_a_comparison_key_cannot_exist_reads_as_one_sentence(client, content, key):
    """Found by a tester: "No comparison can have this key: A comparison needs
    …", a capital after the colon."""
    detail = client.get(f"/api/v1/comparisons/{key}/").json()["detail"]
    prefix = "No comparison can have this key: "
    assert detail.startswith(prefix)
    assert detail[len(prefix)].islower(), detail
