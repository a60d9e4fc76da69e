"""Every admin page — each registered model's list, add
form, change form and history, a history comparison, a draft's review, the
questionnaire's health and analytics — passes axe and fits a 375 px screen
without sideways scrolling. Pages are found from the admin registry, so a
model registered tomorrow is covered too."""

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse
from reversion.models import Version

from roles import models as m

from .conftest import AXE_TAGS
from .test_editor_browser import PASSWORD, _login

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_pages() -> list[str]:
    pages = [
        "/admin/",
        reverse("quiz_health"),
        reverse("quiz_analytics"),
        reverse("admin_search") + "?q=product",
        reverse("admin:roles_role_start"),
    ]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(_Request()):
            pages.append(reverse(f"{name}_add"))
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
            pages.append(reverse(f"{name}_history", args=[first.pk]))
    # A history comparison whose diff replaces words in a sentence.
    role = m.Role.objects.get(slug="product-owner")
    with reversion.create_revision():
        role.summary = "Owns the value of the product and the order of its work."
        role.save()
    first, second = Version.objects.get_for_object(role).order_by("-pk")[:2][::-1]
    compare = reverse("admin:roles_role_compare", args=[role.pk])
    pages.append(f"{compare}?version_id1={first.pk}&version_id2={second.pk}")
    return sorted(set(pages), key=pages.index)


def _violations(page) -> list[str]:
    """axe's findings in one line each: rule, then the elements it names."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    found = Axe().run(page, options=options).response["violations"]
    return [
        f"{v['id']} on {[n['target'] for n in v['nodes']][:4]}"
        f" ({v['nodes'][0].get('failureSummary', '')[:160]!r})"
        for v in found
    ]


def _touching_diffs(page) -> list[str]:
    """A removed word followed by an added one must not read as one word."""
    return page.evaluate(
        """() => [...document.querySelectorAll('del + ins')].flatMap(ins => {
            const del = ins.previousElementSibling;
            const gap = ins.getBoundingClientRect().left - del.getBoundingClientRect().right;
            const sameLine = Math.abs(ins.getBoundingClientRect().top
                - del.getBoundingClientRect().top) < 2;
            return sameLine && gap < 3 ? [`"${del.textContent}" touches "${ins.textContent}"`] : [];
        })"""
    )


class _Request:
    """Enough of a request for has_add_permission: a superuser's."""

    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args, **kwargs):
            return True


def test_every_admin_page_passes_axe_and_fits_375_px(site, browser, django_user_model):
    django_user_model.objects.create_superuser("root", "", PASSWORD)
    pages = _admin_pages()
    assert len(pages) > 20
    context, desk = _login(browser, site, "root")
    # Questionnaire health simulates thousands of respondents on its first
    # view of a content version: slow on a busy two-core machine.
    desk.set_default_navigation_timeout(120_000)
    problems = []
    for path in pages:
        for width in (1280, 375):
            desk.set_viewport_size({"width": width, "height": 900})
            response = desk.goto(site.url + path)
            assert response.status == 200, path
            desk.wait_for_load_state("networkidle")
            if width == 1280:
                problems.extend(f"{path} axe: {v}" for v in _violations(desk))
                problems.extend(f"{path}: {gap}" for gap in _touching_diffs(desk))
            else:
                wide = desk.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    problems.append(f"{path} is {wide} px wide at {width}")
    context.close()
    assert problems == [], "\n".join(problems)
