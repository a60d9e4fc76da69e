"""Each sortable list's order history (``…/order/history/``) in a browser:
axe finds nothing, with a restore among the changes and the whole orders
open, at 1280 and 320 px; and without JavaScript the orders open and an
earlier order is restored with the page's plain form.

axe runs in a context with JavaScript on: it is a script injected into the
page, and with scripts off its ``axe.run()`` never settles (its promise
waits on timers that never fire), so a check there hangs until the test
times out. The page itself needs no script, which the JavaScript-off
journey checks."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from roles import models as m
from roles.editorial.order_history import order_change_record

from ..test_typed_order import IDS, SORTABLE
from .conftest import AXE_OPTIONS
from .test_editor_browser import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _history_url(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_order_history")


def _order(model) -> list[int]:
    return list(model._default_manager.values_list("pk", flat=True))


def _record_changes(model, user) -> None:
    """A typed order (the last row first), then a restore of the order
    before it, then another typed order: two typed orders by the same user
    in the same minute (their sections' names must differ, axe's
    landmark-unique)."""
    before = _order(model)
    assert len(before) >= 2, f"{model} needs two rows to reorder"
    after = [before[-1], *before[:-1]]
    typed = order_change_record(
        model=model, user=user, how=m.OrderHow.TYPED, before=before, after=after
    )
    order_change_record(
        model=model,
        user=user,
        how=m.OrderHow.RESTORED,
        before=after,
        after=before,
        restored_from=typed,
    )
    order_change_record(
        model=model, user=user, how=m.OrderHow.TYPED, before=before, after=after
    )


def _context(browser, site, user, *, javascript: bool, width: int = 1280):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site.url}])
    return context


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    # Every rule axe has, best practices too (landmark-unique: each change's
    # section is a landmark named by its heading).
    options = {key: value for key, value in AXE_OPTIONS.items() if key != "runOnly"}
    found = Axe().run(page, options=options).response["violations"]
    return [f"{v['id']} on {[n['target'] for n in v['nodes']][:4]}" for v in found]


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_the_order_history_passes_axe_open_and_closed_at_1280_and_320_px(
    site, browser, django_user_model, screenshot_dir, model, model_admin
):
    user = django_user_model.objects.create_superuser("root", "", PASSWORD)
    _record_changes(model, user)
    problems: list[str] = []
    for width in (1280, 320):
        context = _context(browser, site, user, javascript=True, width=width)
        page = context.new_page()
        response = page.goto(site.url + _history_url(model))
        assert response.status == 200 and "/login/" not in page.url
        expect(page.locator(".order-change")).to_have_count(3)
        problems += [f"{width} px, closed: {v}" for v in _violations(page)]
        for summary in page.locator(".order-change summary").all():
            summary.click()
        expect(page.locator(".order-lists").first).to_be_visible()
        problems += [f"{width} px, open: {v}" for v in _violations(page)]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"{wide} px wide at {width} px")
        name = model._meta.model_name
        page.screenshot(
            path=str(screenshot_dir / f"order-history-{name}-{width}.png"),
            full_page=True,
        )
        context.close()
    assert problems == [], "\n".join(problems)


def test_without_javascript_the_orders_open_and_an_order_is_restored(
    site, browser, django_user_model
):
    model = m.Theme
    user = django_user_model.objects.create_superuser("root", "", PASSWORD)
    before = _order(model)
    after = [before[-1], *before[:-1]]
    order_change_record(
        model=model, user=user, how=m.OrderHow.TYPED, before=before, after=after
    )
    model_admin_order = model._meta.ordering[0]
    for position, pk in enumerate(after):
        model._default_manager.filter(pk=pk).update(**{model_admin_order: position})
    context = _context(browser, site, user, javascript=False)
    page = context.new_page()
    page.goto(site.url + _history_url(model))
    change = page.locator(".order-change")
    expect(change).to_have_count(1)
    lists = change.locator(".order-lists")
    expect(lists).to_be_hidden()
    change.locator("summary").click()  # a native disclosure: no script
    expect(lists).to_be_visible()
    change.get_by_role("button", name="Restore the order before this change").click()
    expect(page.locator(".messagelist")).to_contain_text("The order is restored")
    assert _order(model) == before
    expect(page.locator(".order-change")).to_have_count(2)
    context.close()


def _changelist(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def _live_order(model) -> list[int]:
    return list(
        model._default_manager.order_by("order", "pk").values_list("pk", flat=True)
    )


def test_a_drag_on_a_list_another_publisher_changed_is_refused_with_a_message(
    site, browser, django_user_model, screenshot_dir
):
    """Publisher A has the context factors open; publisher B types another
    order; A's drag on the stale page is not saved and A is told to reload.
    Reloaded, A's drags are saved, two in a row from the same page."""
    model = m.ContextFactor
    a = django_user_model.objects.create_superuser("pub-a", "", PASSWORD)
    b = django_user_model.objects.create_superuser("pub-b", "", PASSWORD)
    context = _context(browser, site, a, javascript=True)
    page = context.new_page()
    page.goto(site.url + _changelist(model))
    handles = page.locator("#result_list .handle")
    expect(handles.first).to_be_visible()
    before = _live_order(model)
    assert len(before) >= 3
    # B moves the last row to the top.
    theirs = [before[-1], *before[:-1]]
    for position, pk in enumerate(theirs, start=1):
        model._default_manager.filter(pk=pk).update(order=position)
    order_change_record(
        model=model, user=b, how=m.OrderHow.TYPED, before=before, after=theirs
    )
    handles.nth(0).drag_to(handles.nth(2))
    alert = page.locator(".messagelist li.error[role=alert]")
    expect(alert).to_contain_text("reload the page")
    page.screenshot(path=str(screenshot_dir / "drag-refused-1280.png"))
    assert _live_order(model) == theirs
    page.get_by_role("link", name="Reload the page").click()
    expect(alert).to_have_count(0)
    handles.nth(0).drag_to(handles.nth(2))
    page.wait_for_timeout(500)
    once = _live_order(model)
    assert once[:3] == [theirs[1], theirs[2], theirs[0]], (once, theirs)
    handles.nth(0).drag_to(handles.nth(1))
    page.wait_for_timeout(500)
    expect(alert).to_have_count(0)
    assert _live_order(model)[:2] == [once[1], once[0]]
    context.close()


def _moves(model) -> list[m.OrderChange]:
    return list(m.OrderChange.objects.for_model(model).filter(how=m.OrderHow.MOVED))


def _move_to_last_page(page, pk: int) -> None:
    """Tick one row, choose "Move selected to last page" and Go, as a
    publisher does."""
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator('select[name="action"]').first.select_option("move_to_last_page")
    page.get_by_role("button", name="Go").first.click()
    page.wait_for_load_state("load")


def test_a_move_on_a_list_another_publisher_changed_is_refused_without_javascript(
    site, browser, django_user_model, screenshot_dir, monkeypatch
):
    """Publisher A has the context factors open, two a page; publisher B
    puts the last row first; A's "Move selected to last page" from the
    stale page (a plain form: scripts off) moves nothing and says why on
    the list drawn again, which is the order now. From it, A's move is
    saved."""
    model = m.ContextFactor
    monkeypatch.setattr(admin.site._registry[model], "list_per_page", 2)
    a = django_user_model.objects.create_superuser("pub-a", "", PASSWORD)
    b = django_user_model.objects.create_superuser("pub-b", "", PASSWORD)
    context = _context(browser, site, a, javascript=False)
    page = context.new_page()
    page.goto(site.url + _changelist(model) + "?p=1")
    before = _live_order(model)
    assert len(before) >= 5
    theirs = [before[-1], *before[:-1]]
    for position, pk in enumerate(theirs, start=1):
        model._default_manager.filter(pk=pk).update(order=position)
    order_change_record(
        model=model, user=b, how=m.OrderHow.TYPED, before=before, after=theirs
    )
    _move_to_last_page(page, before[0])
    error = page.locator(".messagelist li.error")
    expect(error).to_contain_text("Nothing is moved: the list below is the order now")
    expect(error.get_by_role("link", name="See what changed")).to_have_attribute(
        "href", _history_url(model)
    )
    page.screenshot(path=str(screenshot_dir / "move-refused-1280.png"))
    assert _live_order(model) == theirs
    assert _moves(model) == []
    # The list drawn again shows B's order: its first row is B's.
    first = model._default_manager.get(pk=theirs[0])
    expect(page.locator("#result_list tbody tr").first).to_contain_text(str(first))
    _move_to_last_page(page, theirs[0])
    expect(page.locator(".messagelist li.error")).to_have_count(0)
    assert _live_order(model)[-1] == theirs[0]
    assert len(_moves(model)) == 1
    context.close()


def test_a_move_after_a_drag_from_the_same_page_is_saved(
    site, browser, django_user_model, monkeypatch
):
    """The page's own drag changes the order it drew: the move that
    follows, from the same page, is not taken for a stale one."""
    model = m.ContextFactor
    monkeypatch.setattr(admin.site._registry[model], "list_per_page", 2)
    a = django_user_model.objects.create_superuser("pub-a", "", PASSWORD)
    context = _context(browser, site, a, javascript=True)
    page = context.new_page()
    page.goto(site.url + _changelist(model) + "?p=1")
    handles = page.locator("#result_list .handle")
    expect(handles.first).to_be_visible()
    before = _live_order(model)
    handles.nth(0).drag_to(handles.nth(1))
    page.wait_for_timeout(500)
    dragged = _live_order(model)
    assert dragged[:2] == [before[1], before[0]]
    _move_to_last_page(page, dragged[0])
    expect(page.locator(".messagelist li.error")).to_have_count(0)
    assert _live_order(model)[-1] == dragged[0]
    assert len(_moves(model)) == 1
    context.close()
