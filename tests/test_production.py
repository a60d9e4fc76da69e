"""Production settings, security headers (graded by the MDN HTTP Observatory's
rules), caching, search-engine files, health checks, logging."""

import importlib
import json
import logging
import os
import re
import subprocess
import sys
from itertools import combinations
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import pytest
import yaml
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from roles import models as m

from .factories import GUIDE_INLINES, RoleFactory, UserFactory, make_complete_guide

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
SECRET = "x" * 20 + "production-test-secret-key-0123456789abcdef"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "roleguides.example,testserver",
}


def _manage(*args, env=None):
    # As a deployment would: without the browser tests' async escape hatch.
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", ["", "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = _manage("check", env={"DJANGO_SECRET_KEY": secret})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.fixture
def production(monkeypatch):
    """The production module's security settings applied to this process."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    importlib.reload(importlib.import_module("config.settings.base"))
    module = importlib.reload(importlib.import_module("config.settings.production"))
    names = [
        n
        for n in dir(module)
        if n.isupper()
        and n.startswith(
            (
                "SECURE_",
                "SESSION_",
                "CSRF_",
                "CONTENT_SECURITY",
                "PERMISSIONS",
                "X_FRAME",
            )
        )
    ]
    with override_settings(**{n: getattr(module, n) for n in names}):
        yield Client()


def observatory_grade(response, *, html: bool) -> tuple[int, list[str]]:
    """The MDN HTTP Observatory's scoring (baseline 100, modifiers per test)
    for what a single response can show. Returns the score and the failures."""
    score, failures = 100, []
    csp = response.get("Content-Security-Policy", "")
    directives = {
        part.strip().split(" ", 1)[0]: part.strip()
        for part in csp.split(";")
        if part.strip()
    }
    if not csp:
        score -= 25
        failures.append("csp-not-implemented")
    elif "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        score -= 20
        failures.append("csp-implemented-with-unsafe")
    elif directives.get("default-src", "").endswith("'none'"):
        score += 10
    cookies = response.cookies.values()
    if cookies:
        if all(c["secure"] and c["samesite"] for c in cookies) and all(
            c["httponly"] for c in cookies if "session" in c.key
        ):
            score += 5
        else:
            score -= 20
            failures.append("cookies-without-secure-flag-or-samesite")
    hsts = response.get("Strict-Transport-Security", "")
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1)) if hsts else 0
    if max_age < 15_552_000:
        score -= 20
        failures.append("hsts-not-implemented-or-short")
    referrer = response.get("Referrer-Policy", "")
    if referrer in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }:
        score += 5
    elif referrer:
        score -= 5
        failures.append("referrer-policy-unsafe")
    if response.get("X-Content-Type-Options") != "nosniff":
        score -= 5
        failures.append("x-content-type-options-not-implemented")
    if html:
        if "frame-ancestors 'none'" in csp or "frame-ancestors 'self'" in csp:
            score += 5
        elif response.get("X-Frame-Options") not in {"DENY", "SAMEORIGIN"}:
            score -= 20
            failures.append("x-frame-options-not-implemented")
    if response.get("Cross-Origin-Resource-Policy") not in {"same-origin", "same-site"}:
        failures.append("corp-not-implemented")
    return score, failures


def _assert_security_headers(response, *, html=True):
    assert (
        response["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    score, failures = observatory_grade(response, html=html)
    assert failures == []
    assert score >= 100  # A+


def test_public_page_headers_grade_a_plus(production, seeded):
    response = production.get("/", secure=True)
    assert response.status_code == 200
    _assert_security_headers(response)


def test_admin_headers_and_cookies_grade_a_plus(production):
    response = production.get("/admin/login/", secure=True)
    assert response.status_code == 200
    _assert_security_headers(response)
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_plain_http_is_redirected_to_https(production):
    response = production.get("/roles/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_proxy_https_header_is_trusted(production, seeded):
    response = production.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


# --- Admin hardening -------------------------------------------------------------


def _login(client, password, ip="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": "10.0.0.2" if forwarded else ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": password},
        **extra,
    )


def test_admin_locks_out_after_five_failed_logins():
    UserFactory(username="ed", is_staff=True)
    client = Client()
    for _ in range(4):
        assert _login(client, "wrong-password").status_code == 200
    assert _login(client, "wrong-password").status_code == 429  # the fifth locks
    locked = _login(client, "a-long-test-password")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    # Another address is not locked out.
    assert (
        _login(Client(), "a-long-test-password", ip="198.51.100.9").status_code == 302
    )


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"], TRUSTED_PROXY_COUNT=1)
def test_lockout_uses_the_client_address_behind_the_proxy():
    UserFactory(username="ed", is_staff=True)
    for _ in range(5):
        _login(Client(), "wrong", forwarded="192.0.2.1")
    assert (
        _login(Client(), "a-long-test-password", forwarded="192.0.2.1").status_code
        == 429
    )
    # Same proxy, another visitor: not locked out.
    assert (
        _login(Client(), "a-long-test-password", forwarded="192.0.2.2").status_code
        == 302
    )
    # A visitor cannot spoof an address by adding its own X-Forwarded-For entry.
    spoofed = _login(Client(), "a-long-test-password", forwarded="192.0.2.2, 192.0.2.1")
    assert spoofed.status_code == 429


def test_admin_path_is_configurable():
    from django.urls import clear_url_caches

    import config.urls

    try:
        with override_settings(ADMIN_URL="backstage/"):
            clear_url_caches()
            importlib.reload(config.urls)
            assert Client().get("/backstage/").status_code == 302
            assert Client().get("/admin/").status_code == 404
    finally:
        clear_url_caches()
        importlib.reload(config.urls)
    assert Client().get("/admin/").status_code == 302


# --- Caching ------------------------------------------------------------------------


def test_public_pages_come_from_the_cache_and_an_edit_shows_on_the_next_request(client):
    role = RoleFactory(slug="cached", summary="First summary.")
    assert client.get("/roles/cached/")["X-Cache"] == "miss"
    second = client.get("/roles/cached/")
    assert second["X-Cache"] == "hit"
    assert "First summary." in second.content.decode()
    role.summary = "Edited summary."
    role.save()
    assert "Edited summary." in client.get("/roles/cached/").content.decode()


def test_an_admin_edit_is_visible_on_the_next_public_request(staff_client, client):
    role = make_complete_guide(
        RoleFactory(slug="via-admin", name="Via Admin", summary="Old.")
    )
    client.get("/roles/")
    assert client.get("/roles/")["X-Cache"] == "hit"
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = {
        "name": "Via Admin Renamed",
        "slug": "via-admin",
        "family": role.family,
        "summary": "New.",
        "overview": role.overview,
        "status": "published",
    }
    for prefix in ("responsibilities", "sources", "dimension_values", *GUIDE_INLINES):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    assert staff_client.post(url, data).status_code == 302
    assert "Via Admin Renamed" in client.get("/roles/").content.decode()


def test_a_scheduled_publish_time_passing_shows_without_any_save(client):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    RoleFactory(name="Scheduled Role", publish_at=start + dt.timedelta(minutes=5))
    assert "Scheduled Role" not in client.get("/roles/").content.decode()
    assert client.get("/roles/")["X-Cache"] == "hit"
    with time_machine.travel(start + dt.timedelta(minutes=6)):
        assert "Scheduled Role" in client.get("/roles/").content.decode()


def test_drafts_and_previews_are_never_cached(staff_client, client):
    RoleFactory(slug="draft", status=m.Status.DRAFT, summary="Secret draft.")
    preview = staff_client.get("/roles/draft/")
    assert preview.status_code == 200
    assert "X-Cache" not in preview
    assert "no-store" in preview["Cache-Control"]
    assert client.get("/roles/draft/").status_code == 404
    assert "Secret draft." not in client.get("/roles/").content.decode()


def test_pages_with_a_csrf_token_are_never_cached(client, seeded):
    first = client.get("/quiz/all/")
    assert "X-Cache" not in first
    other = Client()
    token_a = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', first.content.decode()
    )
    token_b = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        other.get("/quiz/all/").content.decode(),
    )
    assert token_a.group(1) != token_b.group(1)


def test_conditional_get_answers_304(client, seeded):
    first = client.get("/roles/product-owner/")
    etag = first["ETag"]
    assert (
        client.get("/roles/product-owner/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    )


# --- Search engines -------------------------------------------------------------------


def test_sitemap_lists_roles_comparisons_and_the_quiz_with_lastmod(client, seeded):
    RoleFactory(slug="hidden-draft", status=m.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/roles/product-owner/</loc>" in xml
    assert (
        "<loc>http://testserver/compare/product-manager-vs-product-owner/</loc>" in xml
    )
    assert "<loc>http://testserver/quiz/</loc>" in xml
    assert "<lastmod>" in xml
    assert "hidden-draft" not in xml


def _sitemap_paths(client) -> list[str]:
    xml = client.get("/sitemap.xml").content.decode()
    return [
        loc.removeprefix("http://testserver")
        for loc in re.findall(r"<loc>([^<]*)</loc>", xml)
    ]


def test_sitemap_lists_every_pair_of_published_roles_once_in_canonical_order(
    client, seeded
):
    """Any pair of published roles has a page (computed from the guides, the
    editors' words on top where a curated comparison exists): each is listed
    once, at its canonical address, whether curated or not; sets of three to
    five roles are not listed (there are thousands)."""
    RoleFactory(slug="hidden-draft", status=m.Status.DRAFT)
    slugs = sorted(m.Role.objects.published().values_list("slug", flat=True))
    compared = [
        p
        for p in _sitemap_paths(client)
        if p.startswith("/compare/") and p != "/compare/"
    ]
    assert len(compared) == len(set(compared))
    assert set(compared) == {f"/compare/{a}-vs-{b}/" for a, b in combinations(slugs, 2)}
    curated = m.Comparison.objects.published().first()
    assert curated.get_absolute_url() in compared


def test_every_comparison_the_sitemap_lists_is_indexable_at_that_address(
    client, seeded
):
    """The sitemap and the pages agree: each listed comparison answers 200,
    names itself as canonical and is not marked noindex."""
    compared = [p for p in _sitemap_paths(client) if p.startswith("/compare/")]
    for path in compared:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'<link rel="canonical" href="http://testserver{path}">' in html, path
        assert "noindex" not in html, path


def test_sitemap_takes_the_same_queries_whatever_the_content_size(client):
    from .conftest import count_queries
    from .factories import make_comparison

    roles = [RoleFactory() for _ in range(3)]
    make_comparison(roles[:2])
    few = count_queries(client, "/sitemap.xml")
    more = [RoleFactory() for _ in range(12)]
    make_comparison(more[:3])
    make_comparison([roles[2], more[5]])
    many = count_queries(client, "/sitemap.xml")
    assert few == many
    # One query for the fixed pages' date, not one per page.
    assert few <= 8, few
    assert len(_sitemap_paths(client)) > 100


@pytest.mark.parametrize(
    "host", ["localhost:31337", "testserver", "127.0.0.1:8000", "localhost"]
)
def test_sitemap_urls_come_from_the_site_url_never_the_request(
    client, seeded, settings, host
):
    """Django's sitemap view builds URLs from the request (RequestSite): a
    crafted Host poisoned the cached sitemap and a normal one lost the port."""
    settings.SITE_URL = "https://roles.example:8443"
    settings.ALLOWED_HOSTS = ["*"]
    for secure in (False, True):
        xml = client.get("/sitemap.xml", HTTP_HOST=host, secure=secure)
        xml = xml.content.decode()
        locs = re.findall(r"<loc>([^<]*)</loc>", xml)
        assert locs, xml
        assert all(loc.startswith("https://roles.example:8443/") for loc in locs)
        assert "https://roles.example:8443/roles/product-owner/" in locs


def test_robots_txt_disallows_results_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /quiz/results/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_pages_carry_social_tags_and_structured_data(client, seeded):
    html = client.get("/roles/product-owner/").content.decode()
    assert (
        '<meta property="og:title" content="Product Owner: what the role is and does">'
        in html
    )
    assert 'name="twitter:card"' in html
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        ).group(1)
    )
    types = {item["@type"] for item in data["@graph"]}
    assert types == {"Article", "BreadcrumbList"}
    compare = client.get("/compare/product-manager-vs-product-owner/").content.decode()
    assert 'og:title" content="Product Owner vs Product Manager"' in compare
    assert '"@type": "BreadcrumbList"' in compare


def test_structured_data_cannot_break_out_of_its_element(client):
    RoleFactory(slug="tricky", name="Role </script><script>alert(1)</script>")
    html = client.get("/roles/tricky/").content.decode()
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ).group(1)
    assert "<" not in block


# --- Health and logs ---------------------------------------------------------------------


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz/", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch(
        "roles.core.health.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_json_logs_carry_the_request_id_and_tracebacks(client):
    from roles.core.logging import JsonFormatter, RequestIdFilter, request_id_var

    token = request_id_var.set("abc123")
    try:
        record = logging.LogRecord(
            "roles", logging.ERROR, __file__, 1, "Boom %s", ("x",), None
        )
        try:
            raise ValueError("broken")
        except ValueError:
            record.exc_info = sys.exc_info()
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "abc123"
    assert line["message"] == "Boom x"
    assert "ValueError: broken" in line["traceback"]
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="from-proxy-1")
    assert response["X-Request-ID"] == "from-proxy-1"
    assert (
        len(client.get("/robots.txt", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"])
        == 32
    )


# --- Deployment files ------------------------------------------------------------------------


def test_compose_runs_the_same_gunicorn_command_as_the_image():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert {"web", "db", "redis", "migrate"} <= set(compose["services"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    assert compose["services"]["web"]["command"] == json.loads(cmd)
    assert "HEALTHCHECK" in dockerfile and "/healthz/" in dockerfile
    assert re.search(r"^USER \d+", dockerfile, re.M)
    assert "migrate" not in cmd


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (
            0,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.9"},
            "10.0.0.2",
        ),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.9"},
            "192.0.2.9",
        ),
        (
            1,
            {"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "192.0.2.9"},
            "198.51.100.1",
        ),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.9"},
            "192.0.2.9",
        ),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.9, 10.0.0.1"},
            "192.0.2.9",
        ),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "not-an-ip"},
            "10.0.0.2",
        ),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        (0, {}, None),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(rf, proxies, meta, expected):
    """Only requests straight from 10.0.0.0/8 (our proxies here) may name a
    client in X-Forwarded-For."""
    from roles.core.client import client_ip

    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"], TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected
    assert client_ip(None) is None


def _spoofed_login(password: str, n: int):
    return Client().post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": password},
        REMOTE_ADDR="203.0.113.50",
        HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
    )


@pytest.mark.parametrize("env", ["base", "production"])
def test_with_the_defaults_a_spoofed_forwarded_for_cannot_bypass_the_lockout(env):
    """25 wrong passwords with varying spoofed addresses used to leave the
    attacker free to log in with the right one."""
    from django.conf import settings

    assert settings.TRUSTED_PROXIES == []
    if env == "production":
        module = _reload_production_module()
        assert module.TRUSTED_PROXIES == []
    UserFactory(username="ed", is_staff=True)
    for n in range(25):
        _spoofed_login("wrong-password", n)
    assert _spoofed_login("a-long-test-password", 99).status_code == 429
    # ...nor lock out anyone else by naming their address.
    victim = Client().post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": "a-long-test-password"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert victim.status_code == 302


def _reload_production_module():
    with mock.patch.dict(os.environ, PRODUCTION_ENV):
        importlib.reload(importlib.import_module("config.settings.base"))
        module = importlib.reload(importlib.import_module("config.settings.production"))
    importlib.reload(importlib.import_module("config.settings.base"))
    return module


def test_production_refuses_a_wildcard_allowed_host():
    result = _manage("check", env={"DJANGO_ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "wildcards are refused" in result.stderr


def test_local_settings_serve_pages_with_debug_off_and_no_collectstatic(tmp_path):
    """DJANGO_DEBUG=0 in local settings used to make every page a 500 until
    collectstatic had been run."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'local.sqlite3'}",
        # Not the checkout's staticfiles/, which collectstatic may have filled.
        "DJANGO_STATIC_ROOT": str(tmp_path / "staticfiles"),
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("REDIS_URL", None)
    run = {"cwd": ROOT, "capture_output": True, "text": True, "timeout": 300}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], env={**clean, **env}, **run
    )
    assert migrate.returncode == 0, migrate.stderr
    script = (
        "from django.test import Client; c = Client(HTTP_HOST='127.0.0.1');"
        "r = c.get('/'); print('STATUS', r.status_code);"
        'import re; css = re.search(r\'href="(/static/[^"]+\\.css)"\', r.content.decode());'
        "print('STATUS', c.get(css.group(1)).status_code)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        env={**clean, **env},
        **run,
    )
    statuses = [
        line.split()[1] for line in result.stdout.splitlines() if "STATUS" in line
    ]
    assert statuses == ["200", "200"], result.stdout + result.stderr


# --- Issue 20, item 8: sessions, log-in redirect, warnings, the manifest ------------


def test_a_staff_session_lasts_at_most_twelve_hours(client, settings):
    UserFactory(username="ed", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert settings.STAFF_SESSION_SECONDS <= 12 * 3600
    assert 0 < client.session.get_expiry_age() <= 12 * 3600
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert 0 < int(cookie["max-age"]) <= 12 * 3600


def test_a_visitors_session_keeps_the_default_age(client, settings, seeded):
    """Only staff sessions are shortened: a visitor's owned results stay."""
    client.get("/quiz/all/")
    session = client.session
    session["probe"] = 1
    session.save()
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_an_unsafe_next_after_log_in_lands_on_the_admin_home(client, next_url):
    UserFactory(username="ed", is_staff=True)
    response = client.post(
        "/admin/login/?" + urlencode({"next": next_url}),
        {"username": "ed", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_python_warnings_go_through_the_json_logs():
    result = _manage(
        "shell",
        "-c",
        "import warnings; warnings.warn('probe-warning-20', DeprecationWarning)",
        env={"DJANGO_LOG_FORMAT": "json", "PYTHONWARNINGS": "always"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert any("probe-warning-20" in r["message"] for r in records), result
    assert "probe-warning-20" not in result.stderr


@pytest.mark.parametrize("autorefresh", [True, False])
def test_the_static_manifest_is_not_served(settings, tmp_path, autorefresh):
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_AUTOREFRESH = autorefresh
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')
    (tmp_path / "kept.txt").write_text("a static file")
    client = Client()
    assert client.get("/static/kept.txt").status_code == 200
    response = client.get("/static/staticfiles.json")
    assert response.status_code == 404
    assert b"paths" not in response.content


def test_a_database_that_never_answers_fails_fast_not_at_gunicorns_timeout():
    """A PostgreSQL address that accepts the connection but never answers (a
    frozen server): the production settings give up within seconds."""
    import json
    import socket
    import subprocess
    import sys
    import threading
    import time

    import psycopg

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # the kernel completes the handshake; nobody answers
    port = listener.getsockname()[1]
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": f"postgres://u@127.0.0.1:{port}/db",
        }
        code = (
            "import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr[-2000:]
        options = json.loads(out.stdout.strip().splitlines()[-1])
        outcome: list[BaseException] = []

        def connect() -> None:
            try:
                psycopg.connect(
                    host="127.0.0.1", port=port, user="u", dbname="db", **options
                )
            except BaseException as error:
                outcome.append(error)

        began = time.monotonic()
        attempt = threading.Thread(target=connect, daemon=True)
        attempt.start()
        attempt.join(15)  # without a connect timeout it would wait for ever
        assert not attempt.is_alive(), "the connection attempt hung"
        assert isinstance(outcome[0], psycopg.OperationalError)
        assert time.monotonic() - began < 10
    finally:
        listener.close()


def test_gunicorn_recycles_workers_rarely_and_forks_them_from_a_loaded_app():
    """A recycled worker starts with empty process memory: while Redis is
    down it renders its pages and rebuilds the derived data again. Recycling
    every 2,000 requests (a new worker every ~5 s per worker under load) cost
    half of the throughput with Redis down in make bench; preloading makes
    the new worker a fork instead of a fresh import of Django."""
    import runpy

    config = runpy.run_path(
        str(Path(__file__).resolve().parents[1] / "config/gunicorn.py")
    )
    assert config["preload_app"] is True
    assert config["max_requests"] >= 50_000
    assert 0 < config["max_requests_jitter"] < config["max_requests"]


def test_source_maps_are_collected_but_not_compressed(settings):
    """The API explorer's source maps (~20 MB) were half of collectstatic's
    time, compressed for no visitor; scripts and stylesheets still are."""
    from whitenoise.compress import Compressor

    compressor = Compressor(extensions=settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS)
    assert not compressor.should_compress("ninja/swagger-ui-bundle.js.map")
    assert compressor.should_compress("ninja/swagger-ui-bundle.js")
    assert compressor.should_compress("css/main.css")
