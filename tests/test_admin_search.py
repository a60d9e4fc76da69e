"""One admin search box across roles, comparisons, questions and glossary
terms: staff only, unpublished records and open drafts' text included, a
fixed number of queries."""

import pytest
from django.urls import reverse

from roles import models as m
from roles.editorial.admin_search import admin_search
from roles.editorial.workflow import draft_save, record_doc

from .factories import (
    GlossaryTermFactory,
    QuestionFactory,
    RoleFactory,
    make_comparison,
)

pytestmark = pytest.mark.django_db


def test_one_query_finds_every_kind_with_links_to_their_forms(staff_client):
    role = RoleFactory(
        slug="platform-owner", name="Platform Owner", status=m.Status.DRAFT
    )
    other = RoleFactory(slug="other", name="Other")
    comparison = make_comparison([role, other], title="Platform Owner vs Other")
    question = QuestionFactory(text="Do you own a platform?")
    term = GlossaryTermFactory(term="Platform team")
    page = staff_client.get(reverse("admin_search"), {"q": "platform"})
    html = page.content.decode()
    for obj, name in (
        (role, "role"),
        (comparison, "comparison"),
        (question, "question"),
        (term, "glossaryterm"),
    ):
        assert reverse(f"admin:roles_{name}_change", args=[obj.pk]) in html
    assert reverse("admin:roles_role_change", args=[other.pk]) not in html
    # Every word must match: "platform other" finds the comparison only.
    groups = {g.kind: g.hits for g in admin_search(query="platform other")}
    assert [h.title for h in groups["Comparisons"]] == ["Platform Owner vs Other"]
    assert groups["Roles"] == [] and groups["Questions"] == []


def test_the_search_is_linked_from_the_admin_index(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert f'action="{reverse("admin_search")}"' in html


def test_the_search_is_for_staff_only(client):
    response = client.get(reverse("admin_search"), {"q": "platform"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_queries_do_not_grow_with_hits(staff_client, django_assert_max_num_queries):
    for i in range(30):
        RoleFactory(slug=f"match-{i}", name=f"Match {i}")
    # One for the open drafts, one per kind.
    with django_assert_max_num_queries(5):
        groups = admin_search(query="match")
    assert len(groups[0].hits) == 20


def test_open_drafts_are_searched_as_the_help_text_says(staff_client):
    """ "Drafts included": a record is found by the text of its open draft
    (a renamed role, a reworded question), not only by its live text; a
    draft that is published or discarded no longer counts."""
    role = RoleFactory(slug="alpha", name="Alpha Lead")
    question = QuestionFactory(text="Do you plan releases?")
    user = staff_client.get(reverse("admin:index")).wsgi_request.user
    for kind, record, field, text in (
        ("roles", role, "name", "Zebra Steward"),
        ("questions", question, "text", "Do you groom the zebra backlog?"),
    ):
        doc = record_doc(kind=kind, object_id=record.pk)
        draft_save(kind=kind, object_id=record.pk, doc={**doc, field: text}, user=user)
    page = staff_client.get(reverse("admin_search"), {"q": "zebra"})
    html = page.content.decode()
    assert "text of open drafts" in html
    groups = {g.kind: g.hits for g in page.context["groups"]}
    assert [h.url for h in groups["Roles"]] == [
        reverse("admin:roles_role_change", args=[role.pk])
    ]
    assert [h.url for h in groups["Questions"]] == [
        reverse("admin:roles_question_change", args=[question.pk])
    ]
    assert "Zebra Steward" in html  # the draft's name, beside the live one
    # Every word must match within the draft (or within the live text), and
    # the live text still finds the record.
    assert not any(g.hits for g in admin_search(query="zebra releases"))
    assert [h.title for h in dict_of(admin_search(query="alpha"))["Roles"]] == [
        "Alpha Lead"
    ]
    m.Draft.objects.update(state=m.DraftState.DISCARDED)
    assert not any(g.hits for g in admin_search(query="zebra"))


def dict_of(groups):
    return {g.kind: g.hits for g in groups}
