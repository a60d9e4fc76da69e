"""On a phone, no control of an admin change form sits on top of another.

Every registered model with inline rows is opened at 375 px (and 1280 px)
and the visible labels, fields and buttons of its form are compared pairwise:
none may cover part of another. Found from the admin registry, so an inline
added tomorrow is covered too. (adminsortable2 gives a stacked row's header a
fixed height; on a narrow screen its Delete box and ordering buttons spilled
over the row's first label.)"""

import pytest
from django.contrib import admin
from django.urls import reverse

from .test_editor_browser import PASSWORD, _login

pytestmark = pytest.mark.django_db(transaction=True)

# Pairs of visible controls and labels whose boxes intersect by more than a
# pixel each way. A label wrapping its own field, and an element inside
# another, are not overlaps.
_OVERLAPS = """() => {
  const selector = 'label, input:not([type=hidden]), select, textarea, button, '
    + '[role=button], a.button, .inline-related h3 b, .inline_label';
  const form = document.querySelector('#content-main form');
  const shown = [...form.querySelectorAll(selector)].filter(el => {
    const r = el.getBoundingClientRect();
    // checkVisibility: not inside a closed <details>, display:none or hidden.
    return r.width > 1 && r.height > 1 && !el.closest('.empty-form')
      && el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
  });
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + (el.textContent.trim() ? ` "${el.textContent.trim().slice(0, 30)}"` : '');
  const found = [];
  for (let i = 0; i < shown.length; i++) {
    // Line boxes, not the bounding box: a wrapped inline label flows around
    // floated buttons without covering them.
    const a = shown[i], ra = [...a.getClientRects()];
    for (let j = i + 1; j < shown.length; j++) {
      const b = shown[j];
      if (a.contains(b) || b.contains(a)) continue;
      const rb = [...b.getClientRects()];
      const hit = ra.some(p => rb.some(q =>
        Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1
        && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1));
      if (hit) found.push(`${name(a)} covers ${name(b)}`);
    }
  }
  return found.slice(0, 12);
}"""


def _change_forms_with_inlines() -> list[str]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.inlines:
            continue
        first = model.objects.order_by("pk").first()
        if first is not None:
            opts = model._meta
            name = f"admin:{opts.app_label}_{opts.model_name}_change"
            pages.append(reverse(name, args=[first.pk]))
    return pages


def test_no_control_of_a_change_form_covers_another(site, browser, django_user_model):
    django_user_model.objects.create_superuser("root", "", PASSWORD)
    pages = _change_forms_with_inlines()
    assert reverse("admin:roles_role_change", args=[1]).rsplit("/", 3)[0] in str(
        pages
    ), "the role form, with its stacked sortable sources, is among the pages"
    context, desk = _login(browser, site, "root")
    problems = []
    for path in pages:
        for width in (375, 1280):
            desk.set_viewport_size({"width": width, "height": 900})
            assert desk.goto(site.url + path).status == 200, path
            problems.extend(
                f"{path} at {width} px: {o}" for o in desk.evaluate(_OVERLAPS)
            )
    context.close()
    assert problems == [], "\n".join(problems)


# The list's title and each of its object-tools buttons (Type the order,
# Order history, Recover…, Add…), where the boxes of the title's line and
# a button intersect by more than a pixel each way (the text's line boxes,
# not the heading's block, which spans the page).
_TITLE_COVERED = """() => {
  const title = document.querySelector('#content h1');
  const tools = [...document.querySelectorAll('.object-tools li')];
  if (!title || !tools.length) return ['no title or no object tools'];
  const found = [];
  const text = document.createRange();
  text.selectNodeContents(title);
  for (const p of text.getClientRects()) {
    for (const tool of tools) {
      const q = tool.getBoundingClientRect();
      if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1
          && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1) {
        found.push(`"${tool.textContent.trim()}" covers "${title.textContent.trim()}"`);
      }
    }
  }
  return found;
}"""


def test_no_object_tools_button_covers_a_sortable_list_title(
    site, browser, django_user_model, screenshot_dir
):
    """A publisher's sortable lists have four buttons by their title (Type
    the order, Order history, Recover deleted…, Add…): at 1280 px they
    covered "Select context factor to change"."""
    from ..test_typed_order import SORTABLE

    django_user_model.objects.create_superuser("root", "", PASSWORD)
    context, desk = _login(browser, site, "root")
    problems = []
    for model, _ in SORTABLE:
        opts = model._meta
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for width in (1280, 320):
            desk.set_viewport_size({"width": width, "height": 900})
            assert desk.goto(site.url + path).status == 200, path
            problems.extend(
                f"{path} at {width} px: {o}" for o in desk.evaluate(_TITLE_COVERED)
            )
            desk.screenshot(
                path=str(screenshot_dir / f"list-{opts.model_name}-{width}.png")
            )
    context.close()
    assert problems == [], "\n".join(problems)
