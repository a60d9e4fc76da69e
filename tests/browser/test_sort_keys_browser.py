"""Rows of a sortable inline can be ordered by keyboard alone: the
first/last icons take Enter, and Move up/down move a row one place within its
theme. Save stores the order shown."""

from io import StringIO

import pytest
from django.core.management import call_command

from roles import models as m
from tests.factories import (
    ResponsibilityFactory,
    RoleFactory,
    ThemeFactory,
    make_complete_guide,
    make_scenario,
)

from .conftest import assert_accessible
from .test_editor_browser import PASSWORD, _change, _login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pat(monkeypatch):
    """A publisher, as `create_editor --publisher` makes them."""
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "pat", "--publisher", stdout=StringIO())
    return "pat"


def test_rows_move_one_place_or_to_the_end_by_keyboard(live_server, browser, pat):
    role = make_complete_guide(RoleFactory(slug="analyst", name="Analyst"))
    first = ThemeFactory(name="First theme", slug="first", order=1)
    second = ThemeFactory(name="Second theme", slug="second", order=2)
    texts = {
        "a": "Alpha duty.",
        "b": "Bravo duty.",
        "c": "Charlie duty.",
        "d": "Delta.",
    }
    for key, theme, order in (("a", first, 1), ("b", first, 2), ("c", first, 3)):
        ResponsibilityFactory(role=role, theme=theme, text=texts[key], order=order)
    ResponsibilityFactory(role=role, theme=second, text=texts["d"], order=4)
    context, page = _login(browser, live_server, "pat")
    _change(page, live_server, role)
    group = page.locator("#responsibilities-group")

    def shown() -> list[str]:
        rows = group.locator("tbody > tr.has_original textarea").all()
        return [next(k for k, v in texts.items() if v == r.input_value()) for r in rows]

    def row(key: str):
        return group.locator("tbody > tr.has_original").filter(
            has=page.locator(f"textarea:text-is('{texts[key]}')")
        )

    assert shown() == ["a", "b", "c", "d"]
    row("a").get_by_role("button", name="Move down one place").focus()
    page.keyboard.press("Enter")
    assert shown() == ["b", "a", "c", "d"]
    page.keyboard.press("Enter")
    assert shown() == ["b", "c", "a", "d"]
    page.keyboard.press("Enter")  # last of its theme: it does not join "d"
    assert shown() == ["b", "c", "a", "d"]
    assert page.locator("#sort-keys-status").inner_text() == "Already last."
    # The first/last icons are in the tab order and take Enter and Space.
    icon = row("a").locator("i.move-begin")
    assert icon.get_attribute("tabindex") == "0"
    icon.focus()
    page.keyboard.press("Enter")
    assert shown() == ["a", "b", "c", "d"]
    row("b").locator("i.move-end").focus()
    page.keyboard.press(" ")
    assert shown() == ["a", "c", "b", "d"]
    assert_accessible(page)
    page.click("input[name=_continue] >> nth=-1")
    assert "changed successfully" in page.locator(".messagelist").inner_text()
    saved = [
        next(k for k, v in texts.items() if v == r.text)
        for r in m.Responsibility.objects.filter(role=role).order_by(
            "theme__order", "order"
        )
    ]
    assert saved == ["a", "c", "b", "d"]
    context.close()


def test_two_rows_swapped_by_keyboard_are_saved_swapped(live_server, browser, pat):
    """With two rows the renumbering took the swapped pair for a list sorted
    the other way round (first number larger than the last) and gave them
    back their old numbers: Save stored nothing."""
    role = RoleFactory(slug="pair", name="Pair")
    make_complete_guide(role)
    m.Responsibility.objects.filter(role=role).delete()
    theme = ThemeFactory(name="Only theme", slug="only", order=1)
    ResponsibilityFactory(role=role, theme=theme, text="First duty.", order=1)
    ResponsibilityFactory(role=role, theme=theme, text="Second duty.", order=2)
    context, page = _login(browser, live_server, "pat")
    _change(page, live_server, role)
    group = page.locator("#responsibilities-group")
    second = group.locator("tbody > tr.has_original").filter(
        has=page.locator("textarea:text-is('Second duty.')")
    )
    second.get_by_role("button", name="Move up one place").focus()
    page.keyboard.press("Enter")
    shown = [
        r.input_value() for r in group.locator("tbody > tr.has_original textarea").all()
    ]
    assert shown == ["Second duty.", "First duty."]
    page.click("input[name=_continue] >> nth=-1")
    assert "changed successfully" in page.locator(".messagelist").inner_text()
    saved = list(
        m.Responsibility.objects.filter(role=role)
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert saved == ["Second duty.", "First duty."]
    context.close()


def test_a_questions_options_reordered_in_the_browser_are_saved(
    live_server, browser, pat
):
    """The option rows had no order field: moving one threw in
    adminsortable2's script and Save kept the old order."""
    pm = RoleFactory(name="PM", slug="pm")
    question = make_scenario([{pm: 1}, {pm: 2}, {pm: 3}], key="ordered")
    first, second, third = question.options.order_by("order")
    context, page = _login(browser, live_server, "pat")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _change(page, live_server, question)
    group = page.locator("#options-group")
    group.locator("tbody > tr.has_original").first.get_by_role(
        "button", name="Move down one place"
    ).click()
    page.click("input[name=_continue] >> nth=-1")
    assert "changed successfully" in page.locator(".messagelist").inner_text()
    assert not errors, errors
    assert list(question.options.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
        third.pk,
    ]
    context.close()
