"""Issue 21 in Chromium: two people on one record, each in a browser context of
their own - a refused save keeps the typed text (in the form and in a copy
restored later), a lock shown to the other and broken with a note, a stale
draft rebased on a CLI-like import before it is published."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from roles import models as m
from roles.editorial import workflow as wf

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-42"


@pytest.fixture
def accounts(site, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "ed", stdout=StringIO())
    call_command("create_editor", "pat", "--publisher", stdout=StringIO())


def _login(browser, site, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    return page


def test_two_editors_conflict_copy_lock_and_rebase(site, accounts, browser):
    role = m.Role.objects.get(slug="product-owner")
    url = site.url + f"/admin/roles/role/{role.pk}/change/"
    ed, pat = _login(browser, site, "ed"), _login(browser, site, "pat")
    ed.goto(url)
    pat.goto(url)

    # Both type; Ed saves first; Pat's save is refused, his text kept.
    ed.fill("#id_summary", "Ed's summary, saved first.")
    pat.fill("#id_origin", "Pat's origin, typed at length.")
    ed.click("input[name=_save_draft] >> nth=0")
    assert "Draft saved" in ed.locator(".messagelist").inner_text()
    pat.click("input[name=_save_draft] >> nth=0")
    expect(pat.locator("#workflow-conflict")).to_contain_text(
        "Someone saved this record after you opened it"
    )
    expect(pat.locator("#id_origin")).to_have_value("Pat's origin, typed at length.")
    expect(pat.get_by_role("table", name="Their change and yours")).to_be_visible()
    assert_accessible(pat)
    assert m.Draft.objects.get().doc["summary"] == "Ed's summary, saved first."

    # Later, from a fresh form, Pat restores the copy.
    pat.goto(url)
    pat.get_by_role("link", name="Restore the copy").first.click()
    expect(pat.locator("#id_origin")).to_have_value("Pat's origin, typed at length.")

    # Ed locks the record; Pat sees it, and breaks it with a note.
    ed.goto(url)
    ed.get_by_role("button", name="Lock for editing").click()
    expect(ed.locator("#edit-lock")).to_contain_text("You locked this record since")
    pat.goto(site.url + "/admin/roles/role/")
    expect(pat.get_by_text("Locked by ed since").first).to_be_visible()
    pat.goto(url)
    expect(pat.locator("#edit-lock")).to_contain_text("Locked by ed since")
    pat.fill("#id_lock_note", "Publishing a fix now.")
    pat.get_by_role("button", name="Break the lock").click()
    # The break has landed (Pat's page shows the record unlocked) before Ed looks.
    expect(pat.locator("#edit-lock")).to_contain_text("Lock for editing")
    ed.goto(url)
    expect(ed.locator("#edit-lock")).to_contain_text(
        "pat broke your lock: Publishing a fix now."
    )

    # A CLI-like import changes the live origin; the draft is stale.
    live = m.Role.objects.get(pk=role.pk)
    doc = wf.record_doc(kind="roles", object_id=role.pk)
    wf.KIND_SPECS["roles"].write({**doc, "origin": "Imported origin."}, instance=live)
    draft = m.Draft.objects.get()
    pat.goto(site.url + draft.get_absolute_url())
    expect(pat.locator("#rebase")).to_contain_text(
        "The live page changed after this draft was started"
    )
    assert_accessible(pat)
    pat.get_by_role("button", name="Rebase the draft on the live version").click()
    pat.get_by_role("button", name="Publish now").click()
    live.refresh_from_db()
    assert (live.summary, live.origin) == (
        "Ed's summary, saved first.",
        "Imported origin.",
    )


#: The refusal table's columns, as each stacked cell names itself on a phone.
CONFLICT_COLUMNS = ["When you opened the form", "Theirs (saved)", "Yours (not saved)"]


def test_the_refusal_table_is_readable_on_a_phone_and_a_desktop(
    site, accounts, browser, screenshot_dir
):
    """At 320 px the table's cells stacked with no column heading (the base,
    their and your values could not be told apart) and its caption broke a
    word per line. Each cell now says its column; the page fits; at 1280 px
    it is a table with its headings."""
    role = m.Role.objects.get(slug="product-owner")
    url = site.url + f"/admin/roles/role/{role.pk}/change/"
    ed, pat = _login(browser, site, "ed"), _login(browser, site, "pat")
    ed.goto(url)
    pat.goto(url)
    ed.fill("#id_summary", "Ed's summary, saved first, a little longer than one line.")
    pat.fill("#id_summary", "Pat's summary, typed at length on a small screen.")
    ed.click("input[name=_save_draft] >> nth=0")
    pat.click("input[name=_save_draft] >> nth=0")
    table = pat.get_by_role("table", name="Their change and yours")
    expect(table).to_be_visible()
    for width in (320, 1280):
        pat.set_viewport_size({"width": width, "height": 800})
        table.scroll_into_view_if_needed()
        pat.screenshot(path=screenshot_dir / f"admin-refusal-{width}.png")
        assert pat.evaluate("document.documentElement.scrollWidth") <= width
        box = table.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        caption = table.locator("caption").bounding_box()
        assert caption is not None and caption["width"] >= min(250, width - 60)
        headings = table.locator("thead th")
        # The column headings are there for screen readers at every width.
        assert headings.all_text_contents()[1:] == CONFLICT_COLUMNS
        labels = table.locator("tbody td").evaluate_all(
            "cells => cells.map(c => [c.dataset.label,"
            " getComputedStyle(c, '::before').content,"
            " getComputedStyle(c, '::before').display])"
        )
        assert [label for label, _, _ in labels[:3]] == CONFLICT_COLUMNS
        for label, before, display in labels:
            if width == 320:  # each cell shows its column's name
                assert before == f'"{label}"' and display != "none"
            else:  # under the headings, none needed
                assert before in ("none", "normal")
        if width == 1280:
            expect(headings.nth(2)).to_be_visible()
        assert_accessible(pat)
