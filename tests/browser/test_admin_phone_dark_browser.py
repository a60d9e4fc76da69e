"""A publisher reviewing on a phone in the dark colour scheme: the draft's
changes are readable (axe's contrast rules), and the review and history
pages fit 320 px."""

import pytest
import reversion
from django.contrib.auth import get_user_model

from roles import models as m
from roles.editorial import workflow as wf

from .conftest import assert_accessible
from .test_editor_browser import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_draft_review_and_history_on_a_dark_phone(site, browser, screenshot_dir):
    root = get_user_model().objects.create_superuser("root", "", PASSWORD)
    role = m.Role.objects.get(slug="product-owner")
    doc = wf.record_doc(kind="roles", object_id=role.pk)
    doc["summary"] = doc["summary"] + " A sentence added for review."
    draft = wf.draft_save(kind="roles", object_id=role.pk, doc=doc, user=root)
    draft = wf.draft_submit(draft=draft, user=root)  # with the review's comment box
    # A second version: the history's table then sits in its compare form
    # (the page was 427 px wide, its dates broken into "202 / 6, / 17:").
    with reversion.create_revision():
        role.origin = role.origin + " Changed once."
        role.save()
        reversion.set_user(root)
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, color_scheme="dark"
    )
    page = context.new_page()
    page.goto(site.url + "/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    for name, path in [
        ("draft", f"/admin/roles/draft/{draft.pk}/change/"),
        ("history", f"/admin/roles/role/{role.pk}/history/"),
    ]:
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        page.screenshot(
            path=screenshot_dir / f"admin-{name}-320-dark.png", full_page=True
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
        if name == "history":
            dates = page.locator("#change-history tbody th[scope=row] a")
            assert dates.count() >= 2
            for date in dates.all():  # one line each, whole
                assert date.evaluate("a => a.getClientRects().length") == 1, (
                    date.inner_text()
                )
        assert_accessible(page)
    context.close()
