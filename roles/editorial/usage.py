"""Where a role is used ("Where is this used", Wagtail's usage view): the
comparisons that include it, the questions whose options or statements give it
points, and the other roles whose career paths or related roles point at it.
Five queries, however much content there is."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from roles.catalogue.guides import CareerPath, RelatedRole
from roles.comparisons.models import ComparisonRole
from roles.questionnaire.models import OptionPoints, StatementPoints


@dataclass(frozen=True)
class Use:
    what: str  # the record, as the admin names it
    how: str  # how it uses the role, in words
    url: str  # its change form


@dataclass(frozen=True)
class RoleUsage:
    comparisons: list[Use]
    questions: list[Use]
    roles: list[Use]

    def __len__(self) -> int:
        return len(self.comparisons) + len(self.questions) + len(self.roles)


def _change(model: str, pk: int) -> str:
    return reverse(f"admin:roles_{model}_change", args=[pk])


def role_usage(*, role_id: int) -> RoleUsage:
    comparisons = [
        Use(
            str(link.comparison),
            "compares it",
            _change("comparison", link.comparison_id),
        )
        for link in ComparisonRole.objects.filter(role_id=role_id)
        .select_related("comparison")
        .order_by("comparison__title")
    ]
    questions: list[Use] = []
    for op in (
        OptionPoints.objects.filter(role_id=role_id)
        .exclude(points=0)
        .select_related("option__question")
        .order_by("option__question__order", "option__order", "pk")
    ):
        question = op.option.question
        questions.append(
            Use(
                str(question),
                f"option “{op.option}” gives it {_points(op.points)}",
                _change("question", question.pk),
            )
        )
    for sp in (
        StatementPoints.objects.filter(role_id=role_id)
        .exclude(points=0)
        .select_related("question")
        .order_by("question__order", "pk")
    ):
        questions.append(
            Use(
                str(sp.question),
                f"agreeing gives it {_points(sp.points)}",
                _change("question", sp.question_id),
            )
        )
    roles = [
        Use(
            str(path.from_role),
            "a career path leads to it",
            _change("role", path.from_role_id),
        )
        for path in CareerPath.objects.filter(to_role_id=role_id)
        .select_related("from_role")
        .order_by("from_role__name")
    ] + [
        Use(str(link.role), "lists it as a related role", _change("role", link.role_id))
        for link in RelatedRole.objects.filter(related_id=role_id)
        .select_related("role")
        .order_by("role__name")
    ]
    return RoleUsage(comparisons, questions, roles)


def _points(n: int) -> str:
    return f"{n} point" if abs(n) == 1 else f"{n} points"
