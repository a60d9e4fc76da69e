"""The compose stack as shipped (issue 20, item 7): compose.yaml's defaults pass
`check --deploy`, and the repo's own nginx config on a port other than 80, in
front of two gunicorn instances sharing one database and one Redis, takes a
visitor through the questionnaire and the feedback form (the port is kept in
the Host it forwards, so the CSRF origin check passes), each security header
once."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from .browser.production_server import NginxProxy, ProductionServer
from .redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent
# Its own servers (two gunicorns, nginx, Redis): kept on one xdist worker.
pytestmark = pytest.mark.xdist_group("proxy_stack")

_VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def _compose_web_environment(given: dict[str, str]) -> dict[str, str]:
    """The web service's environment as compose would resolve it from
    ``given`` (the variables a deployer sets): ${X:-default}, ${X:?error}."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())

    def resolve(value: str) -> str:
        def one(match: re.Match) -> str:
            name, kind, word = match.groups()
            if given.get(name):
                return given[name]
            if kind == "?":
                raise AssertionError(f"compose needs {name}: {word}")
            return word or ""

        return _VARIABLE.sub(one, str(value))

    environment = compose["services"]["web"]["environment"]
    return {name: resolve(value) for name, value in environment.items()}


def test_compose_defaults_pass_check_deploy():
    env = _compose_web_environment({"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)})
    assert env["DJANGO_SECURE_SSL_REDIRECT"] in ("1", "true", "True")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_csrf_trusted_origins_derive_from_the_site_url():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = "from django.conf import settings; print(settings.CSRF_TRUSTED_ORIGINS)"
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SITE_URL": "http://localhost:8000/",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "'http://localhost:8000'" in result.stdout, result.stdout + result.stderr


def test_nginx_forwards_the_host_with_its_port():
    conf = (ROOT / "config/nginx/default.conf").read_text()
    assert re.search(r"proxy_set_header\s+Host\s+\$http_host;", conf)


class _Forms(HTMLParser):
    """The fields a browser would send for each form with an id: hidden
    inputs, the first radio of each group."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id"):
            self._form = {"action": attributes.get("action") or "", "fields": {}}
            self.forms[attributes["id"]] = self._form
        elif tag == "input" and self._form is not None:
            name, kind = attributes.get("name"), attributes.get("type", "text")
            if not name:
                return
            if kind == "hidden" or (
                kind == "radio" and name not in self._form["fields"]
            ):
                self._form["fields"][name] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


class _LoopbackIsSecure(http.cookiejar.DefaultCookiePolicy):
    """As browsers do, a Secure (``__Host-``) cookie goes to http://127.0.0.1."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok(self, cookie, request):
        return True


class _Visitor:
    """A browser without JavaScript: cookies, and Origin on every POST."""

    def __init__(self, origin: str):
        self.origin = origin
        jar = http.cookiejar.CookieJar(policy=_LoopbackIsSecure())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar)
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.origin + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def submit(self, page_url: str, html: str, form_id: str) -> tuple[str, str]:
        parser = _Forms()
        parser.feed(html)
        form = parser.forms[form_id]
        request = urllib.request.Request(
            urllib.parse.urljoin(page_url, form["action"]),
            data=urllib.parse.urlencode(form["fields"]).encode(),
            headers={"Origin": self.origin, "Referer": page_url},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            raise AssertionError(
                f"{form_id}: {error.code} {error.read().decode()[:2000]}"
            ) from error


@pytest.fixture
def stack(tmp_path, production_shared):
    """Redis, two gunicorns on one database, the repo's nginx in front."""
    for name in ("redis", "a", "b", "nginx"):
        (tmp_path / name).mkdir()
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    first = ProductionServer(tmp_path / "a", redis=redis, shared=production_shared)
    second = ProductionServer(
        tmp_path / "b",
        redis=redis,
        database_url=first.env["DATABASE_URL"],
        static_root=first.static_root,
    )
    # Replicas share the secret key (sessions are signed with it), as
    # compose's replicas share the one DJANGO_SECRET_KEY.
    second.env["DJANGO_SECRET_KEY"] = first.env["DJANGO_SECRET_KEY"]
    proxy = NginxProxy(tmp_path / "nginx", [first.port, second.port])
    servers = [first, second]
    try:
        for server in servers:
            server.env["DJANGO_SITE_URL"] = proxy.url
        first.start()
        second.start(prepare=False)
        proxy.start()
        if any(server.env["DJANGO_SITE_URL"] != proxy.url for server in servers):
            pytest.skip(f"nginx had to move to another port ({proxy.url})")
        yield proxy, servers
    finally:
        proxy.stop()
        for server in reversed(servers):
            server.stop()
        redis.kill()


def test_the_questionnaire_and_feedback_work_through_nginx_and_two_instances(stack):
    proxy, servers = stack
    results = set()
    for _visitor_number in range(4):
        visitor = _Visitor(proxy.url)
        url, html = visitor.get("/quiz/all/")
        url, html = visitor.submit(url, html, "quiz-form")
        assert "/quiz/results/" in url, html[:2000]
        results.add(url)
        url, html = visitor.submit(url, html, "feedback-form")
        assert "Thank you" in html, html[:2000]
    assert len(results) == 4
    # Both instances served some of it (nginx balances across the replicas).
    assert all(server.log.read_text().count('"POST') for server in servers), [
        server.log.read_text()[-2000:] for server in servers
    ]

    # Every security header once, whichever process (nginx or Django) set it.
    once = [
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
        "content-security-policy",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
        "permissions-policy",
    ]
    for path in [
        "/",
        "/roles/",
        "/roles/product-owner/",
        "/compare/product-manager-vs-product-owner/",
        "/quiz/all/",
        "/glossary/",
        "/search/?q=owner",
        "/api/v1/roles/",
        "/robots.txt",
        "/sitemap.xml",
        "/healthz/",
        "/static/favicon.svg",
        "/no-such-page/",
    ]:
        connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        names = [name.lower() for name, _value in response.getheaders()]
        for header in once:
            if header in ("x-frame-options", "content-security-policy") and (
                path.startswith("/static/")
            ):
                continue
            assert names.count(header) == 1, (path, header, response.getheaders())
        connection.close()

    # A 5,000-character search reaches the site (gunicorn's default request
    # line limit answered it with a bare 414): the site's own 400 page.
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
    connection.request("GET", "/search/?q=" + "a" * 5000)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    assert response.status == 400, body[:500]
    assert "at most 200 characters" in body
