"""Every control of every inline on the role form - the ordering buttons
(First, Last, Move up, Move down), the Delete boxes, the Add another links -
is a target of at least 24 by 24 CSS px, or has the spacing WCAG 2.2 SC
2.5.8 allows instead, and holds its label, at 320 px and at the desktop
width. The First and Last ordering buttons of every sortable inline (the
related roles' among them) were held at 24 px by adminsortable2's
``width: 0`` while their labels spilled over both edges, up against the
next button."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from roles import models as m

from .test_editor_browser import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

MIN = 24  # CSS px
#: What an editor clicks or taps in an inline (text fields and menus are
#: large: they are not what this is about).
CONTROLS = (
    "a[href], button, [role=button], summary, "
    "input[type=checkbox], input[type=submit], input[type=button]"
)

# Each visible control's box, named by its inline, its class and its name.
_BOXES = """(selector) => [...document.querySelectorAll('.inline-group')].flatMap(group =>
    [...group.querySelectorAll(selector)].flatMap(el => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!r.width || !r.height || style.visibility === 'hidden') return [];
        const name = el.getAttribute('aria-label') || el.getAttribute('title')
            || el.textContent.trim() || el.name || '';
        // Its label (drawn text included) wider than the target itself.
        const spills = el.scrollWidth > el.clientWidth + 1
            || el.scrollHeight > el.clientHeight + 1;
        return [{group: group.id, what: `${el.tagName.toLowerCase()}.${el.className}`,
                 name: name.slice(0, 40), x: r.left, y: r.top, w: r.width, h: r.height,
                 spills: el.tagName !== 'INPUT' && spills}];
    }))"""


def _too_small(boxes: list[dict]) -> list[str]:
    """The targets under 24 by 24 px without the spacing SC 2.5.8 allows: a
    24 px circle centred on them overlaps no other target and no other
    small target's circle."""

    def centre(b):
        return b["x"] + b["w"] / 2, b["y"] + b["h"] / 2

    def near_box(c, b) -> bool:  # the circle around c meets box b
        dx = max(b["x"] - c[0], 0, c[0] - (b["x"] + b["w"]))
        dy = max(b["y"] - c[1], 0, c[1] - (b["y"] + b["h"]))
        return dx * dx + dy * dy < (MIN / 2) ** 2

    small = [b for b in boxes if b["w"] < MIN - 0.01 or b["h"] < MIN - 0.01]
    out = []
    for b in small:
        c = centre(b)
        crowded = any(
            o is not b
            and (
                near_box(c, o)
                or (
                    o in small
                    and (c[0] - centre(o)[0]) ** 2 + (c[1] - centre(o)[1]) ** 2 < MIN**2
                )
            )
            for o in boxes
        )
        if crowded:
            out.append(
                f"#{b['group']} {b['what']} “{b['name']}”: "
                f"{b['w']:.1f}×{b['h']:.1f} px, with another target within reach"
            )
    return out


@pytest.fixture
def role_form(site, browser, django_user_model):
    user = django_user_model.objects.create_superuser("root", "", PASSWORD)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    role = m.Role.objects.get(slug="product-owner")
    assert role.related_links.count() >= 2 and role.paths_out.exists()

    def open_at(width: int):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": site.url}]
        )
        page = context.new_page()
        page.goto(site.url + f"/admin/roles/role/{role.pk}/change/")
        page.wait_for_load_state("load")
        return context, page

    return open_at


@pytest.mark.parametrize("width", [320, 1280])
def test_every_inline_control_on_the_role_form_is_a_24_px_target(
    role_form, screenshot_dir, width
):
    context, page = role_form(width)
    boxes = page.evaluate(_BOXES, CONTROLS)
    groups = {b["group"] for b in boxes}
    # Every inline of the form is measured, its ordering buttons included.
    assert {"related_links-group", "responsibilities-group"} <= groups, groups
    related = [b for b in boxes if b["group"] == "related_links-group"]
    assert any("move-begin" in b["what"] for b in related), related
    assert any("sort-step" in b["what"] for b in related), related
    problems = _too_small(boxes) + [
        f"#{b['group']} {b['what']} “{b['name']}”: its label spills out of "
        f"its {b['w']:.1f}×{b['h']:.1f} px target"
        for b in boxes
        if b["spills"]
    ]
    # The page itself never scrolls sideways (wide inlines scroll in place).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#related_links-group").screenshot(
        path=str(screenshot_dir / f"related-links-{width}.png")
    )
    context.close()
    assert problems == [], "\n".join(problems)
