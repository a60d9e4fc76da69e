from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from roles import models as m
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Dimension

    name = factory.Sequence(lambda n: f"Dimension {n}")
    slug = factory.Sequence(lambda n: f"dimension-{n}")
    order = factory.Sequence(int)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Role

    name = factory.Sequence(lambda n: f"Role {n:03d}")
    slug = factory.Sequence(lambda n: f"role-{n:03d}")
    family = m.Family.PRODUCT
    summary = factory.LazyAttribute(lambda o: f"What the {o.name} does.")
    overview = "An **overview** of the role."
    status = m.Status.PUBLISHED


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Responsibility

    role = factory.SubFactory(RoleFactory)
    theme = factory.SubFactory(ThemeFactory)
    text = factory.Sequence(lambda n: f"Responsibility number {n}.")
    order = factory.Sequence(int)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    role = factory.SubFactory(RoleFactory)
    title = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class DimensionValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DimensionValue

    role = factory.SubFactory(RoleFactory)
    dimension = factory.SubFactory(DimensionFactory)
    value = factory.Sequence(lambda n: f"Value {n}")


class ContextFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ContextFactor

    name = factory.Sequence(lambda n: f"Factor {n}")
    slug = factory.Sequence(lambda n: f"factor-{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Question

    key = factory.Sequence(lambda n: f"question-{n}")
    kind = m.QuestionKind.SCENARIO
    text = factory.Sequence(lambda n: f"Question {n}?")
    status = m.Status.PUBLISHED
    order = factory.Sequence(int)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Option

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Option {n}")
    order = factory.Sequence(int)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "a-long-test-password")
        if create:
            obj.save()


def make_editor(username: str = "editor"):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def make_publisher(username: str = "pub"):
    """An editor who may publish, as `create_editor --publisher` makes them."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=[EDITORS_GROUP, PUBLISHERS_GROUP]))
    return user


def make_comparison(roles, *, title="A vs B", status=m.Status.PUBLISHED, notes=()):
    comparison = m.Comparison.objects.create(
        key=m.comparison_key([r.slug for r in roles]),
        title=title,
        tldr="The **difference** at a glance.",
        status=status,
    )
    for order, role in enumerate(roles):
        m.ComparisonRole.objects.create(
            comparison=comparison, role=role, order=order, suits=f"Suits {role.name}."
        )
    for order, (factor, label, note) in enumerate(notes):
        m.ContextNote.objects.create(
            comparison=comparison, factor=factor, label=label, note=note, order=order
        )
    return comparison


def make_scenario(roles_points: list[dict], *, key: str | None = None, **kwargs):
    """A published scenario question; ``roles_points`` holds one {role: points}
    mapping per option."""
    question = QuestionFactory(**({"key": key} if key else {}), **kwargs)
    for order, points in enumerate(roles_points):
        option = OptionFactory(question=question, order=order)
        for role, value in points.items():
            m.OptionPoints.objects.create(option=option, role=role, points=value)
    return question


def make_statement(weights: dict, **kwargs):
    question = QuestionFactory(kind=m.QuestionKind.AGREEMENT, **kwargs)
    for role, value in weights.items():
        m.StatementPoints.objects.create(question=question, role=role, points=value)
    return question


# --- Issue 15: structured guides and the glossary ------------------------------


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Skill

    role = factory.SubFactory(RoleFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    level = m.SkillLevel.PRACTITIONER
    note = "What the skill looks like here."
    order = factory.Sequence(int)


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.GlossaryTerm

    term = factory.Sequence(lambda n: f"Term {n}")
    slug = factory.Sequence(lambda n: f"term-{n}")
    definition = "A short definition in our own words."
    source_title = "A source"
    source_url = factory.Sequence(lambda n: f"https://example.org/glossary/{n}")


def make_guide(role, *, others=(), n: int = 1):
    """Give ``role`` every part of a structured guide, ``n`` of each, with
    related roles and career paths to and from ``others``."""
    for i in range(n):
        SkillFactory(role=role, name=f"{role.slug} skill {i}")
        m.WayIn.objects.create(
            role=role, title=f"Way in {i}", text="From a *neighbouring* role.", order=i
        )
        m.WeekActivity.objects.create(
            role=role, activity=f"Activity {i}", hours=3, text="Time on it.", order=i
        )
        m.AntiPattern.objects.create(
            role=role, name=f"Anti-pattern {i}", text="What goes wrong.", order=i
        )
    for order, other in enumerate(others):
        m.RelatedRole.objects.create(role=role, related=other, order=order)
        m.CareerPath.objects.create(
            from_role=role,
            to_role=other,
            summary=f"From {role.name} to {other.name}.",
            new_responsibilities="Owning a strategy\nMarket analysis",
            skills_to_build="Discovery\nBusiness cases",
            order=order,
        )
        m.CareerPath.objects.create(
            from_role=other,
            to_role=role,
            summary=f"From {other.name} to {role.name}.",
            new_responsibilities="Ordering a backlog\nWorking with developers",
            skills_to_build="Refinement\nSlicing work",
            order=order,
        )
    return role


# The role admin's issue-15 inline formset prefixes: a test posting the role
# form must send their (empty) management forms.
GUIDE_INLINES = (
    "skills",
    "ways_in",
    "typical_week",
    "anti_patterns",
    "related_links",
    "paths_out",
)


def make_complete_guide(role):
    """The least a published guide must have (content_doc.GUIDE_COUNTS): so a
    draft of ``role`` can be published or previewed."""
    from roles.content_io.schema import GUIDE_COUNTS

    others = [
        RoleFactory(slug=f"{role.slug}-neighbour-{i}", name=f"Neighbour {i} of {role}")
        for i in range(GUIDE_COUNTS["related_roles"][0])
    ]
    for i in range(GUIDE_COUNTS["skills"][0]):
        SkillFactory(role=role, name=f"{role.slug} skill {i}")
    for i in range(GUIDE_COUNTS["ways_in"][0]):
        m.WayIn.objects.create(
            role=role, title=f"Way in {i}", text="From near.", order=i
        )
    for i in range(GUIDE_COUNTS["typical_week"][0]):
        m.WeekActivity.objects.create(
            role=role, activity=f"Activity {i}", hours=3, text="Time on it.", order=i
        )
    for i in range(GUIDE_COUNTS["anti_patterns"][0]):
        m.AntiPattern.objects.create(
            role=role, name=f"Anti-pattern {i}", text="What goes wrong.", order=i
        )
    for order, other in enumerate(others):
        m.RelatedRole.objects.create(role=role, related=other, order=order)
    m.CareerPath.objects.create(
        from_role=role,
        to_role=others[0],
        summary=f"From {role.name} onwards.",
        new_responsibilities="Owning a strategy\nMarket analysis",
        skills_to_build="Discovery\nBusiness cases",
    )
    for i in range(GUIDE_COUNTS["sources"][0]):
        SourceFactory(role=role, order=i)
    return role
