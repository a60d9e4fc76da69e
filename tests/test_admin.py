import pytest
from django.urls import reverse

from roles import models as m

from .factories import RoleFactory, UserFactory, make_editor, make_scenario

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in ["/admin/", "/admin/roles/role/", "/admin/roles/question/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_non_staff_users_cannot_use_the_admin(client):
    user = UserFactory(is_staff=False)
    client.force_login(user)
    assert client.get("/admin/roles/role/").status_code == 302


def test_editor_manages_content_but_not_users_or_groups(client):
    client.force_login(make_editor())
    for model in ["role", "comparison", "question"]:  # their saves are drafts
        assert client.get(f"/admin/roles/{model}/").status_code == 200, model
        assert client.get(f"/admin/roles/{model}/add/").status_code == 200, model
    # Saving these changes the live site at once: publishers only.
    for model in ["theme", "dimension", "contextfactor", "glossaryterm"]:
        assert client.get(f"/admin/roles/{model}/").status_code == 200, model
        assert client.get(f"/admin/roles/{model}/add/").status_code == 403, model
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_editors_group_has_no_auth_permissions():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Editors")
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert labels == {"roles"}
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_role" in codenames and "change_question" in codenames
    assert "change_submission" not in codenames


def test_staff_can_open_every_change_page(staff_client, seeded):
    role = m.Role.objects.get(slug="product-owner")
    comparison = m.Comparison.objects.first()
    question = m.Question.objects.first()
    for url in [
        reverse("admin:roles_role_change", args=[role.pk]),
        reverse("admin:roles_comparison_change", args=[comparison.pk]),
        reverse("admin:roles_question_change", args=[question.pk]),
        reverse("admin:roles_role_history", args=[role.pk]),
        "/admin/roles/role/?reviewed=stale",
        "/admin/roles/role/?values=missing",
        "/admin/roles/submission/",
    ]:
        assert staff_client.get(url).status_code == 200, url


def test_role_admin_has_a_view_on_site_link(staff_client):
    role = RoleFactory(slug="visible")
    html = staff_client.get(
        reverse("admin:roles_role_change", args=[role.pk])
    ).content.decode()
    assert "/admin/r/" in html  # Django's "view on site" redirect


def _inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_comparison_admin_refuses_the_same_role_twice(staff_client):
    role = RoleFactory()
    data = {
        "title": "Same vs same",
        "tldr": "x",
        "status": "draft",
        **_inline_management("comparison_roles", 2),
        "comparison_roles-0-role": role.pk,
        "comparison_roles-0-order": "1",
        "comparison_roles-1-role": role.pk,
        "comparison_roles-1-order": "2",
        **_inline_management("context_notes", 0),
    }
    response = staff_client.post(reverse("admin:roles_comparison_add"), data)
    assert response.status_code == 200
    assert "only once" in response.content.decode()
    assert m.Comparison.objects.count() == 0


def test_comparison_admin_saves_the_canonical_key(staff_client):
    a = RoleFactory(slug="zeta")
    b = RoleFactory(slug="alpha")
    data = {
        "title": "Zeta vs Alpha",
        "tldr": "x",
        "status": "published",
        **_inline_management("comparison_roles", 2),
        "comparison_roles-0-role": a.pk,
        "comparison_roles-0-order": "1",
        "comparison_roles-1-role": b.pk,
        "comparison_roles-1-order": "2",
        **_inline_management("context_notes", 0),
    }
    response = staff_client.post(reverse("admin:roles_comparison_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert m.Comparison.objects.get().key == "alpha-vs-zeta"


def test_question_admin_edits_option_points_per_role(staff_client):
    pm = RoleFactory(name="PM")
    po = RoleFactory(name="PO")
    question = make_scenario([{pm: 1}, {po: 1}], key="q")
    options = list(question.options.all())
    data = {
        "text": question.text,
        "key": "q",
        "kind": "scenario",
        "hint": "",
        "status": "published",
        **_inline_management("options", 2, 2),
    }
    for i, option in enumerate(options):
        data[f"options-{i}-id"] = option.pk
        data[f"options-{i}-question"] = question.pk
        data[f"options-{i}-text"] = option.text
        data[f"options-{i}-order"] = str(i + 1)
        data[f"options-{i}-points_{pm.pk}"] = "5" if i == 0 else "0"
        data[f"options-{i}-points_{po.pk}"] = "0" if i == 0 else "4"
    response = staff_client.post(
        reverse("admin:roles_question_change", args=[question.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert m.OptionPoints.objects.get(option=options[0], role=pm).points == 5
    assert m.OptionPoints.objects.get(option=options[1], role=po).points == 4
    assert not m.OptionPoints.objects.filter(option=options[1], role=pm).exists()


def test_question_admin_refuses_points_out_of_range_and_single_option(staff_client):
    pm = RoleFactory(name="PM")
    question = make_scenario([{pm: 1}, {}], key="q")
    option = question.options.first()
    data = {
        "text": question.text,
        "key": "q",
        "kind": "scenario",
        "hint": "",
        "status": "published",
        **_inline_management("options", 1, 1),
        "options-0-id": option.pk,
        "options-0-question": question.pk,
        "options-0-text": option.text,
        "options-0-order": "1",
        f"options-0-points_{pm.pk}": "9",
    }
    html = staff_client.post(
        reverse("admin:roles_question_change", args=[question.pk]), data
    ).content.decode()
    assert "Points go from 0 to 5." in html
    data[f"options-0-points_{pm.pk}"] = "2"
    data["options-TOTAL_FORMS"] = "2"
    data["options-INITIAL_FORMS"] = "2"
    second = question.options.last()
    data |= {
        "options-1-id": second.pk,
        "options-1-question": question.pk,
        "options-1-text": second.text,
        "options-1-order": "2",
        "options-1-DELETE": "on",
    }
    html = staff_client.post(
        reverse("admin:roles_question_change", args=[question.pk]), data
    ).content.decode()
    assert "at least two options" in html


def test_question_admin_reorders_options_from_the_form_it_draws(staff_client):
    """The option rows carry their order field (adminsortable2 renumbers it
    after a drag or a move); without it the reorder was dropped on Save."""
    from .admin_forms import admin_form_data

    pm = RoleFactory(name="PM")
    question = make_scenario([{pm: 1}, {pm: 2}, {pm: 3}], key="q")
    first, second, third = question.options.order_by("order")
    url = reverse("admin:roles_question_change", args=[question.pk])
    data = admin_form_data(staff_client.get(url))
    rows = {data[f"options-{i}-id"]: i for i in range(3)}
    assert f"options-{rows[str(first.pk)]}-order" in data
    # The first option moved to the end, as the "move to last" icon does.
    for pk, new in ((first.pk, 3), (second.pk, 1), (third.pk, 2)):
        data[f"options-{rows[str(pk)]}-order"] = str(new)
    data["_continue"] = "1"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(question.options.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        third.pk,
        first.pk,
    ]


def test_typed_option_orders_are_taken_as_typed_without_ties(staff_client):
    """Without scripts the order is a number to type ("lower numbers come
    first"): a row given another row's number goes there and the rest move
    on (they tied, in no defined order), a new row given a number goes to it
    (it was put last whatever was typed), and a new row left at 0 goes last."""
    from .admin_forms import admin_form_data

    pm = RoleFactory(name="PM")
    question = make_scenario([{pm: 1}, {pm: 2}, {pm: 3}], key="q")
    a, b, c = question.options.order_by("order")
    url = reverse("admin:roles_question_change", args=[question.pk])

    def post(changes: dict, new: tuple[str, str] | None = None):
        data = admin_form_data(staff_client.get(url))
        rows = {data[f"options-{i}-id"]: i for i in range(3)}
        for pk, number in changes.items():
            data[f"options-{rows[str(pk)]}-order"] = str(number)
        if new:
            data["options-3-text"], data["options-3-order"] = new
            data[f"options-3-points_{pm.pk}"] = "1"
            data["options-3-question"] = str(question.pk)
        data["_continue"] = "1"
        response = staff_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return list(
            question.options.order_by("order", "pk").values_list("text", flat=True)
        )

    orders = dict(question.options.values_list("pk", "order"))
    # a typed to c's number: a takes that place, c moves after it.
    assert post({a.pk: orders[c.pk]}) == [b.text, a.text, c.text]
    numbers = list(question.options.values_list("order", flat=True))
    assert len(set(numbers)) == len(numbers)  # c moved on: no tie
    # A new row typed to the first place goes first.
    first = min(question.options.values_list("order", flat=True))
    assert post({}, new=("Brand new", str(first)))[0] == "Brand new"
    orders = list(question.options.values_list("order", flat=True))
    assert len(set(orders)) == len(orders)  # no ties


NO_POINTS = "gives no role any points"


def test_a_question_that_scores_nothing_is_not_published(staff_client):
    """All its points at 0, a question cannot change anyone's result: it is
    refused as published (the health page only said so afterwards), and
    may be saved unpublished while the points are worked out."""
    import re as re_

    from .admin_forms import admin_form_data

    pm = RoleFactory(name="PM")
    question = make_scenario([{pm: 1}, {pm: 2}], key="q")
    url = reverse("admin:roles_question_change", args=[question.pk])
    data = admin_form_data(staff_client.get(url))
    for name in data:
        if re_.fullmatch(r"options-\d+-points_\d+", name):
            data[name] = "0"
    data["_continue"] = "1"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert NO_POINTS in response.content.decode()
    assert m.OptionPoints.objects.filter(option__question=question).count() == 2
    data["status"] = "draft"
    assert staff_client.post(url, data).status_code == 302


def test_an_agreement_statement_without_weights_is_not_published(staff_client):
    from .admin_forms import admin_form_data
    from .factories import make_statement

    pm = RoleFactory(name="PM")
    statement = make_statement({pm: 2}, key="s")
    url = reverse("admin:roles_question_change", args=[statement.pk])
    data = admin_form_data(staff_client.get(url))
    for name in list(data):
        if name.startswith("weight_") or name.startswith("points_"):
            data[name] = "0"
    data["_continue"] = "1"
    response = staff_client.post(url, data)
    assert response.status_code == 200, sorted(data)
    assert NO_POINTS in response.content.decode()


def test_duplicate_options_are_refused_on_the_first_save_and_marked(staff_client):
    """Two options with the same text while another row has an error too
    (points out of range): the duplicates are named on this save, not only
    on the next one once the other error is fixed, and each offending row
    carries the error next to its text."""
    from .admin_forms import admin_form_data

    pm = RoleFactory(name="PM")
    question = make_scenario([{pm: 1}, {pm: 2}, {pm: 3}], key="q")
    url = reverse("admin:roles_question_change", args=[question.pk])
    data = admin_form_data(staff_client.get(url))
    rows = {data[f"options-{i}-id"]: i for i in range(3)}
    first, _, third = (rows[str(o.pk)] for o in question.options.order_by("order"))
    data[f"options-{first}-text"] = "Same answer"
    data[f"options-{third}-text"] = "  same   ANSWER "
    data[f"options-{third}-points_{pm.pk}"] = "9"
    data["_continue"] = "1"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert m.DUPLICATE_OPTIONS in formset.non_form_errors()
    marked = [
        i
        for i, f in enumerate(formset.forms)
        if m.DUPLICATE_OPTION in f.errors.get("text", [])
    ]
    assert marked == sorted([first, third])
    assert "Points go from 0 to 5." in str(formset.forms[third].errors)
    html = response.content.decode()
    assert html.count(m.DUPLICATE_OPTION) == 2
    assert "Same answer" not in m.Option.objects.values_list("text", flat=True)
