"""Real visitors against the production configuration: gunicorn, the
production settings, Redis and the database, several browsers one after
another, and Redis killed mid-test."""

import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import assert_accessible
from .production_server import NginxProxy, ProductionServer

# One production site (gunicorn, Redis, a database) for the module: its tests
# stay on one xdist worker rather than each worker starting its own.
pytestmark = pytest.mark.xdist_group("production_site")


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, browser, production_shared):
    server = ProductionServer(
        tmp_path_factory.mktemp("production"), shared=production_shared
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _visitor(browser):
    return browser.new_context(java_script_enabled=False).new_page()


def _take_questionnaire(page, site, choice: int) -> str:
    page.goto(site.url + "/quiz/all/")
    for fieldset in page.locator("#quiz-form fieldset").all():
        radios = fieldset.locator("input[type=radio]")
        radios.nth(min(choice, radios.count() - 1)).check()
    page.locator("#quiz-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/quiz/results/" in page.url, page.content()[:3000]
    return page.url


def test_three_visitors_in_a_row_each_get_their_own_result_and_can_give_feedback(
    production_site, browser
):
    results = []
    for choice in range(3):
        page = _visitor(browser)
        url = _take_questionnaire(page, production_site, choice)
        results.append(url)
        page.locator("#feedback-form input[type=radio]").first.check()
        page.locator("#feedback-form button[type=submit]").click()
        page.wait_for_load_state()
        assert "Thank you" in page.content()
        page.context.close()
    assert len(set(results)) == 3
    # axe needs scripts: it checks the last result page in a scripted browser.
    checker = browser.new_context().new_page()
    checker.goto(results[-1])
    assert_accessible(checker)
    checker.context.close()


def test_killing_redis_mid_visit_leaves_the_site_up(production_site, browser):
    page = _visitor(browser)
    page.goto(production_site.url + "/roles/product-owner/")
    production_site.redis.kill()
    try:
        for path in [
            "/",
            "/roles/",
            "/roles/product-owner/",
            "/compare/",
            "/quiz/",
            "/quiz/all/",
        ]:
            assert production_site.get(path)[0] == 200, path
        _take_questionnaire(page, production_site, 1)
        status, body = production_site.get("/healthz/")
        assert status == 200
        assert json.loads(body)["status"] == "degraded"
    finally:
        production_site.redis.start()
    page.context.close()


def test_an_import_from_another_process_shows_on_the_next_request(
    production_site, tmp_path
):
    assert production_site.get("/roles/scrum-master/")[0] == 200
    exported = tmp_path / "content.json"
    doc = json.loads(production_site.manage("export_content").stdout)
    role = next(r for r in doc["roles"] if r["slug"] == "scrum-master")
    role["summary"] = "Imported from another process while the site was serving."
    exported.write_text(json.dumps(doc))
    production_site.manage("import_content", str(exported))
    status, html = production_site.get("/roles/scrum-master/")
    assert status == 200
    assert "Imported from another process" in html


def test_every_log_line_is_json_with_a_request_id(production_site):
    production_site.get("/no-such-page/")
    production_site.get("/")
    lines = production_site.log_lines()
    access = [line for line in lines if line.get("logger") == "gunicorn.access"]
    assert access, "gunicorn wrote access lines"
    assert all(line["request_id"] not in ("", "-") for line in access)
    not_found = [line for line in lines if line.get("status") in (404, "404")]
    assert not_found and all(line["request_id"] != "-" for line in not_found)


# --- Behind the reverse proxy of compose.yaml -------------------------------------


@pytest.fixture(scope="module")
def proxy(production_site, tmp_path_factory):
    import shutil

    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        pytest.skip(
            "nginx is not installed (apt-get install nginx-light; .ci/run does)"
        )
    server = NginxProxy(tmp_path_factory.mktemp("nginx"), production_site.port)
    server.start()
    yield server
    server.stop()


def _request(url, *, data=None, headers=None, cookies=None):
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    body = response.read()
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return response.status, response.headers, body, jar


def _login(proxy, password, spoofed):
    _, _, body, jar = _request(proxy.url + "/admin/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.decode(),
            "username": "ed",
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    status, *_ = _request(
        proxy.url + "/admin/login/",
        data=data,
        headers={"X-Forwarded-For": spoofed, "Referer": proxy.url + "/admin/login/"},
        cookies=jar,
    )
    return status


def test_through_the_proxy_a_spoofed_forwarded_for_does_not_bypass_the_lockout(
    production_site, proxy
):
    production_site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "User.objects.create_user('ed', password='a-long-test-password', is_staff=True)",
    )
    for n in range(10):
        _login(proxy, "wrong-password", f"198.51.100.{n}")
    assert _login(proxy, "a-long-test-password", "198.51.100.200") == 429


def test_the_proxy_buffers_trickling_bodies_so_other_visitors_are_served(proxy):
    """Eight POSTs whose bodies never finish used to hold every gunicorn
    thread; nginx holds them instead."""
    trickling = []
    try:
        for _ in range(8):
            sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
            sock.sendall(
                b"POST /quiz/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 5000\r\n\r\nq-a=0"
            )
            trickling.append(sock)
        for path in ["/", "/roles/product-owner/", "/quiz/", "/quiz/all/"]:
            status, *_ = _request(proxy.url + path)
            assert status == 200, path
    finally:
        for sock in trickling:
            sock.close()


def test_the_proxy_compresses_html_and_sets_headers_on_every_response(proxy):
    status, headers, _, _ = _request(
        proxy.url + "/roles/product-owner/", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Request-ID"]
