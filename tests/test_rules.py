"""One set of rules: the admin, import, seed and publishing a draft give the
same answer, because they call the same validators."""

import re

import pytest
from django.urls import reverse

from roles import models as m
from roles.content_io import schema as cd
from roles.content_io.services import ContentError, content_apply, content_import

from .admin_forms import admin_form_data
from .factories import RoleFactory, make_comparison, make_scenario

pytestmark = pytest.mark.django_db

SAME_ROLE = "Each role can appear only once in a comparison."
ONE_OPTION = "A scenario question needs at least two options"


def test_comparison_rules_are_plain_and_complete():
    assert m.comparison_rules(["a", "b"]) == []
    assert m.comparison_rules(["a", "a"]) == [
        SAME_ROLE,
    ]
    assert m.comparison_rules(["a"]) == [
        "A comparison needs two to five roles; it has 1."
    ]
    assert m.comparison_rules(list("abcdef"))[0].endswith("it has 6.")
    assert "not compared: c" in m.comparison_rules(["a", "b"], suits=["c"])[0]


def test_question_rules_are_plain_and_complete():
    assert m.question_rules("scenario", ["x", "y"], weighted=False) == []
    assert m.question_rules("scenario", ["x"], weighted=False)[0].startswith(ONE_OPTION)
    assert "no options" in m.question_rules("agreement", ["x"], weighted=True)[0]
    assert "same text" in m.question_rules("scenario", ["x", "x"], weighted=False)[0]


@pytest.mark.parametrize(
    "texts", [["Same thing", "same thing"], ["Same thing", " Same  thing "]]
)
def test_options_that_read_the_same_are_the_same_text(texts):
    """Case and spacing do not make two options different to a reader."""
    assert "same text" in m.question_rules("scenario", texts, weighted=False)[0]


def _docs():
    a = RoleFactory(slug="alpha")
    RoleFactory(slug="bravo")
    make_comparison([a, m.Role.objects.get(slug="bravo")], title="A and B")
    make_scenario([{a: 1}, {a: 2}], key="q1")
    return cd.export_document()


@pytest.mark.parametrize("keep_edited", [False, True], ids=["import", "seed"])
def test_import_and_seed_refuse_with_the_shared_messages(keep_edited):
    doc = _docs()
    doc["comparisons"][0]["roles"] = ["alpha", "alpha"]
    doc["comparisons"][0]["suits"] = {}
    doc["questions"][0]["options"] = doc["questions"][0]["options"][:1]
    doc["questions"][0]["key"] = "new-question"  # new: the seed writes it
    with pytest.raises(ContentError) as excinfo:
        content_apply(
            doc=cd.normalise(doc), keep_edited=keep_edited, dry_run=False, comment="x"
        )
    message = "\n".join(excinfo.value.errors)
    assert SAME_ROLE in message
    assert ONE_OPTION in message


def test_the_admin_refuses_with_the_shared_messages(staff_client):
    doc = _docs()
    comparison = m.Comparison.objects.get()
    url = reverse("admin:roles_comparison_change", args=[comparison.pk])
    data = admin_form_data(staff_client.get(url))
    data["comparison_roles-1-role"] = data["comparison_roles-0-role"]
    data["_continue"] = "1"
    html = staff_client.post(url, data).content.decode()
    assert SAME_ROLE in html
    question = m.Question.objects.get()
    url = reverse("admin:roles_question_change", args=[question.pk])
    data = admin_form_data(staff_client.get(url))
    data["options-1-DELETE"] = "on"
    data["_continue"] = "1"
    html = staff_client.post(url, data).content.decode()
    assert ONE_OPTION in html
    assert doc  # the document the other paths refuse is the same content


def test_renaming_a_role_keeps_its_curated_comparison_and_redirects(client):
    a = RoleFactory(slug="product-owner", name="Product Owner")
    b = RoleFactory(slug="product-manager", name="Product Manager")
    make_comparison([a, b], title="PO vs PM, curated")
    a.slug = "po"
    a.save()
    comparison = m.Comparison.objects.get()
    assert comparison.key == "po-vs-product-manager"
    assert (
        "PO vs PM, curated"
        in client.get("/compare/po-vs-product-manager/").content.decode()
    )
    old = client.get("/compare/product-manager-vs-product-owner/?ctx=x")
    assert old.status_code == 301
    assert old["Location"] == "/compare/po-vs-product-manager/?ctx=x"
    role = client.get("/roles/product-owner/")
    assert (role.status_code, role["Location"]) == (301, "/roles/po/")
    # Renamed back: the slug is the role's again, no redirect loop.
    a.slug = "product-owner"
    a.save()
    assert client.get("/roles/product-owner/").status_code == 200
    assert client.get("/roles/po/")["Location"] == "/roles/product-owner/"
    assert m.Comparison.objects.get().key == "product-manager-vs-product-owner"


def test_an_unknown_role_in_a_comparison_is_still_a_404(client):
    RoleFactory(slug="alpha")
    assert client.get("/compare/alpha-vs-nobody/").status_code == 404
    assert client.get("/roles/nobody/").status_code == 404


def test_import_renaming_nothing_keeps_comparison_rows(seeded):
    before = set(m.ComparisonRole.objects.values_list("pk", flat=True))
    content_import(doc=cd.export_document())
    assert set(m.ComparisonRole.objects.values_list("pk", flat=True)) == before


def test_two_roles_swapping_slugs_keep_their_comparisons_and_addresses(client):
    """Editors swap two slugs through a temporary one. Each address then
    serves the role that holds it now; only the temporary slug redirects."""
    a = RoleFactory(slug="alpha", name="Alpha")
    b = RoleFactory(slug="bravo", name="Bravo")
    c = RoleFactory(slug="charlie", name="Charlie")
    make_comparison([a, c], title="Alpha and Charlie, curated")
    make_comparison([a, b], title="Alpha and Bravo, curated")
    for role, slug in ((a, "temporary"), (b, "alpha"), (a, "bravo")):
        role.slug = slug
        role.save()
    assert "Alpha" in client.get("/roles/bravo/").content.decode()
    assert "Bravo" in client.get("/roles/alpha/").content.decode()
    assert client.get("/roles/temporary/")["Location"] == "/roles/bravo/"
    keys = dict(m.Comparison.objects.values_list("title", "key"))
    assert keys == {
        "Alpha and Charlie, curated": "bravo-vs-charlie",
        "Alpha and Bravo, curated": "alpha-vs-bravo",
    }
    assert (
        "Alpha and Charlie, curated"
        in client.get("/compare/bravo-vs-charlie/").content.decode()
    )
    # Bravo (now at "alpha") has no curated comparison with Charlie: the
    # address shows the computed one, it does not redirect to Alpha's.
    page = client.get("/compare/alpha-vs-charlie/")
    assert page.status_code == 200
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page.content.decode(), re.S)[1]
    assert "Bravo" in title and "curated" not in title
    assert m.FormerSlug.objects.get().slug == "temporary"


def test_a_new_role_takes_over_a_former_slug_once_it_is_published(client):
    a = RoleFactory(slug="alpha", name="Alpha")
    a.slug = "alpha-renamed"
    a.save()
    new = RoleFactory(slug="alpha", name="Newcomer", status=m.Status.DRAFT)
    # While the newcomer is a draft, the old address still leads to Alpha.
    assert client.get("/roles/alpha/")["Location"] == "/roles/alpha-renamed/"
    new.status = m.Status.PUBLISHED
    new.save()
    assert "Newcomer" in client.get("/roles/alpha/").content.decode()
    assert not m.FormerSlug.objects.filter(slug="alpha").exists()


def test_renaming_a_role_renames_it_in_curated_comparison_titles(client):
    """A curated comparison's title names its roles as editors wrote them; a role
    renamed keeps the title true where it names the role by its old name."""
    a = RoleFactory(slug="scrum-master", name="Scrum Master")
    b = RoleFactory(slug="agile-coach", name="Agile Coach")
    c = RoleFactory(slug="team-lead", name="Lead")
    d = RoleFactory(slug="owner", name="Owner")
    named = make_comparison([a, b], title="Scrum Master vs Agile Coach")
    other = make_comparison([c, d], title="Leadership: Lead or Owner?")
    unnamed = make_comparison([a, c], title="SM or team lead")
    a.name = "Scrum Lead"
    a.save()
    c.name = "Team Lead"
    c.save()
    named.refresh_from_db(), other.refresh_from_db(), unnamed.refresh_from_db()
    assert named.title == "Scrum Lead vs Agile Coach"
    # Whole names only: "Leadership" is not the role "Lead".
    assert other.title == "Leadership: Team Lead or Owner?"
    assert unnamed.title == "SM or team lead"
    page = client.get(named.get_absolute_url()).content.decode()
    assert "Scrum Lead vs Agile Coach" in page
    assert "Scrum Master vs Agile Coach" not in page
