"""A large synthetic catalogue beside the seed content: 200 roles with 10
responsibilities each (2,000), every dimension filled, and 100 questions."""

from __future__ import annotations

import random

from django.db import transaction

from roles import models as m

ROLES = 200
RESPONSIBILITIES_PER_ROLE = 10
QUESTIONS = 100


@transaction.atomic
def load_synthetic(seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    themes = list(m.Theme.objects.all())
    dimensions = list(m.Dimension.objects.all())
    roles = m.Role.objects.bulk_create(
        m.Role(
            name=f"Synthetic Role {i:03d}",
            slug=f"synthetic-role-{i:03d}",
            family=rng.choice(m.Family.values),
            summary=f"A synthetic role used to measure how pages scale ({i}).",
            overview="A **synthetic** role.\n\nIt exists only for benchmarks.",
            origin="Benchmark",
            status=m.Status.PUBLISHED,
        )
        for i in range(ROLES)
    )
    m.Responsibility.objects.bulk_create(
        m.Responsibility(
            role=role,
            theme=rng.choice(themes),
            text=f"Synthetic responsibility {j} of {role.slug}.",
            order=j,
        )
        for role in roles
        for j in range(RESPONSIBILITIES_PER_ROLE)
    )
    m.DimensionValue.objects.bulk_create(
        m.DimensionValue(role=role, dimension=d, value=f"{d.name} of {role.name}")
        for role in roles
        for d in dimensions
    )
    m.Source.objects.bulk_create(
        m.Source(
            role=role,
            title=f"Source {k}",
            url=f"https://example.org/{role.slug}/{k}",
            order=k,
        )
        for role in roles
        for k in range(2)
    )
    all_roles = list(m.Role.objects.all())
    for q in range(QUESTIONS):
        agreement = q % 3 == 2
        question = m.Question.objects.create(
            key=f"synthetic-{q:03d}",
            kind=m.QuestionKind.AGREEMENT if agreement else m.QuestionKind.SCENARIO,
            text=f"Synthetic question {q}?",
            status=m.Status.PUBLISHED,
            order=1000 + q,
        )
        if agreement:
            m.StatementPoints.objects.bulk_create(
                m.StatementPoints(question=question, role=r, points=rng.randint(1, 5))
                for r in rng.sample(all_roles, 20)
            )
            continue
        for o in range(4):
            option = m.Option.objects.create(
                question=question, text=f"Option {o}", order=o
            )
            m.OptionPoints.objects.bulk_create(
                m.OptionPoints(option=option, role=r, points=rng.randint(1, 5))
                for r in rng.sample(all_roles, 10)
            )
    return {
        "roles": m.Role.objects.count(),
        "responsibilities": m.Responsibility.objects.count(),
        "questions": m.Question.objects.count(),
    }
