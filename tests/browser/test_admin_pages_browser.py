"""Every admin page — each registered model's list, add
form, change form and history, a history comparison, a draft's review, the
questionnaire's health and analytics — passes axe and fits a 375 px screen
without sideways scrolling. Pages are found from the admin registry, so a
model registered tomorrow is covered too."""

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from roles import models as m

from .conftest import AXE_OPTIONS
from .test_editor_browser import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


# The pages that are not one model's: each its own test, so xdist spreads them.
EXTRA_PAGES = ["index", "quiz_health", "quiz_analytics", "admin_search", "role_start"]
# Every registered model's pages (list, add, change, history): found from the
# admin registry at collection time, one test per model.
MODELS = [model._meta.label for model in admin.site._registry]


def _extra_page(name: str) -> str:
    return {
        "index": lambda: "/admin/",
        "quiz_health": lambda: reverse("quiz_health"),
        "quiz_analytics": lambda: reverse("quiz_analytics"),
        "admin_search": lambda: reverse("admin_search") + "?q=product",
        "role_start": lambda: reverse("admin:roles_role_start"),
        "role_compare": _history_comparison,
    }[name]()


def _model_pages(label: str) -> list[str]:
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    pages = [reverse(f"{name}_changelist")]
    if model_admin.has_add_permission(_Request()):
        pages.append(reverse(f"{name}_add"))
    first = model.objects.order_by("pk").first()
    if first is not None:
        pages.append(reverse(f"{name}_change", args=[first.pk]))
        pages.append(reverse(f"{name}_history", args=[first.pk]))
    return pages


def _history_comparison() -> str:
    """A history comparison whose diff replaces words in a sentence."""
    role = m.Role.objects.get(slug="product-owner")
    with reversion.create_revision():
        role.summary = "Owns the value of the product and the order of its work."
        role.save()
    first, second = Version.objects.get_for_object(role).order_by("-pk")[:2][::-1]
    compare = reverse("admin:roles_role_compare", args=[role.pk])
    return f"{compare}?version_id1={first.pk}&version_id2={second.pk}"


def _violations(page) -> list[str]:
    """axe's findings in one line each: rule, then the elements it names."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")  # styled, as conftest.assert_accessible
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
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


def test_the_admin_registry_gives_enough_pages():
    assert len(MODELS) >= 10, MODELS


@pytest.fixture(scope="module")
def desk(browser):
    """One browser tab for the module; each test logs it in afresh (a
    transactional test's database, sessions included, is put back after it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Questionnaire health simulates thousands of respondents on its first
    # view of a content version: slow on a busy two-core machine.
    page.set_default_navigation_timeout(120_000)
    yield page
    context.close()


def _log_in(desk, site, user) -> None:
    """The session cookie of a logged-in client (the login form itself is
    tested in test_editor_browser.py)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    desk.context.clear_cookies()
    desk.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": site.url}]
    )


@pytest.mark.parametrize(
    "pages",
    [*EXTRA_PAGES, "role_compare", *(f"model:{label}" for label in MODELS)],
)
def test_every_admin_page_passes_axe_and_fits_375_px(
    site, desk, django_user_model, pages
):
    user = django_user_model.objects.create_superuser("root", "", PASSWORD)
    _log_in(desk, site, user)
    if pages.startswith("model:"):
        paths = _model_pages(pages.removeprefix("model:"))
    else:
        paths = [_extra_page(pages)]
    problems = []
    for path in paths:
        # Loaded once at the desktop width ("load": the admin's scripts are
        # deferred and fetch nothing until an editor acts), then narrowed:
        # the layout follows the viewport, so a page that cannot narrow to
        # 375 px scrolls sideways there.
        desk.set_viewport_size({"width": 1280, "height": 900})
        response = desk.goto(site.url + path)
        assert response.status == 200, path
        assert "/login/" not in desk.url, path
        problems.extend(f"{path} axe: {v}" for v in _violations(desk))
        problems.extend(f"{path}: {gap}" for gap in _touching_diffs(desk))
        desk.set_viewport_size({"width": 375, "height": 900})
        wide = desk.evaluate("document.documentElement.scrollWidth")
        if wide > 375:
            problems.append(f"{path} is {wide} px wide at 375")
    assert problems == [], "\n".join(problems)
