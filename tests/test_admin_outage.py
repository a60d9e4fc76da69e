"""An editor's save that meets a database outage: nothing they typed is lost.
The site's 503 page keeps what was sent and offers to send it again."""

import re
from html import unescape

import pytest
from django.db import OperationalError, connection
from django.test import Client

from roles import models as m

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes_fail(execute, sql, params, many, context):
    """The database went away between reading the form and saving it."""
    if sql.lstrip().upper().startswith(WRITES):
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def _hidden_fields(html: str) -> list[tuple[str, str]]:
    form = html[html.index("<form") : html.index("</form>")]
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]*)" value="([^"]*)"', form
        )
    ]


@pytest.fixture
def editor(django_user_model):
    client = Client(raise_request_exception=False)
    user = django_user_model.objects.create_user(
        "ed", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def test_an_admin_save_refused_by_an_outage_can_be_sent_again(editor):
    typed = {
        "name": 'Outage <& "quotes">',
        "slug": "outage",
        "order": "3",
    }
    with connection.execute_wrapper(_writes_fail):
        refused = editor.post("/admin/roles/theme/add/", typed)
    assert refused.status_code == 503
    html = refused.content.decode()
    assert "not saved" in html
    action = re.search(r'<form method="post" action="([^"]*)"', html).group(1)
    assert unescape(action) == "/admin/roles/theme/add/"
    fields = _hidden_fields(html)
    # What was typed, exactly, and a CSRF token for sending it again.
    assert {k: v for k, v in fields if k in typed} == typed
    assert [k for k, _ in fields].count("csrfmiddlewaretoken") == 1
    assert not m.Theme.objects.filter(slug="outage").exists()

    # The database is back: the button sends it, once.
    again = editor.post(action, dict(fields))
    assert again.status_code == 302
    assert m.Theme.objects.get(slug="outage").name == typed["name"]


def test_a_refused_login_is_never_echoed_back(client, django_user_model):
    """Passwords are not written into a page, whatever the outage."""
    django_user_model.objects.create_user(
        "ed", password="a-long-test-password", is_staff=True
    )
    visitor = Client(raise_request_exception=False)

    def all_fail(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(all_fail):
        refused = visitor.post(
            "/admin/login/", {"username": "ed", "password": "a-long-test-password"}
        )
    assert refused.status_code == 503
    assert "a-long-test-password" not in refused.content.decode()
    assert "<form" not in refused.content.decode()


def test_a_post_that_failed_before_its_csrf_check_is_not_offered_again(editor):
    """A form posted from another site reaches no resend button: only a post
    that passed the CSRF check is offered to be sent again."""
    forged = Client(enforce_csrf_checks=True, raise_request_exception=False)
    forged.cookies = editor.cookies

    def all_fail(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(all_fail):
        refused = forged.post("/admin/roles/theme/add/", {"name": "x"})
    assert refused.status_code in (403, 503)
    assert "<form" not in refused.content.decode()
