"""The edit lock's keep-alive when the server cannot be reached (a database
outage answers 503): it says so, and it backs off instead of sending one
request per keystroke."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from roles import models as m

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-42"


def test_the_lock_keep_alive_backs_off_and_warns_while_the_server_is_away(
    site, browser, monkeypatch
):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "ed", stdout=StringIO())
    role = m.Role.objects.get(slug="product-owner")
    url = site.url + f"/admin/roles/role/{role.pk}/change/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/admin/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(url)
    page.get_by_role("button", name="Lock for editing").click()
    expect(page.locator("#edit-lock")).to_contain_text("You locked this record since")

    pings = []

    def away(route):
        pings.append(route.request.url)
        route.fulfill(status=503, body="{}", headers={"Retry-After": "30"})

    page.route("**/lock/", away)
    page.get_by_role("button", name="Keep my lock").click()
    warning = page.locator(".edit-lock-warning")
    expect(warning).to_contain_text("cannot reach the server")
    page.locator("#id_summary").press_sequentially(" typed while away", delay=5)
    page.wait_for_timeout(300)
    assert len(pings) == 1, pings  # the button's; no request per keystroke
    expect(warning).to_contain_text("cannot reach the server")

    page.unroute("**/lock/")
    page.get_by_role("button", name="Keep my lock").click()
    expect(warning).not_to_contain_text("cannot reach the server")
    context.close()
