"""Content version: any change to content bumps one database row in the same
transaction (see ``models.version``). Cached pages and data are keyed by it, so
the next request after a change never sees the old page, whatever the cache
holds. Bulk writes bump it through ``ContentQuerySet``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.db.models.signals import m2m_changed, post_delete, post_save

from roles import models as m
from roles.models.version import bump_content_version

__all__ = ["CONTENT_MODELS", "NOT_CONTENT_MODELS", "bump_content_version"]

CONTENT_MODELS = (
    m.Theme,
    m.Role,
    m.Responsibility,
    m.Source,
    m.Dimension,
    m.DimensionValue,
    m.ContextFactor,
    m.Comparison,
    m.ComparisonRole,
    m.ContextNote,
    m.Question,
    m.Option,
    m.OptionPoints,
    m.StatementPoints,
    m.FormerSlug,
    # Issue 15: structured guides and the glossary.
    m.Skill,
    m.WayIn,
    m.WeekActivity,
    m.AntiPattern,
    m.RelatedRole,
    m.CareerPath,
    m.GlossaryTerm,
)


# Models that hold no public content: changing them must not (and does not)
# touch the page cache. Every model of the app is in exactly one of the two
# lists; a test fails when a new model is in neither.
# A draft is not public until published, and publishing writes content models.
NOT_CONTENT_MODELS = (m.Submission, m.SeedRecord, m.ContentVersion, m.Draft)


# Set while a draft is applied in a transaction that is rolled back (form,
# preview): nothing changes for the public, so nothing is invalidated.
_staging: ContextVar[bool] = ContextVar("content_staging", default=False)


@contextmanager
def staging() -> Iterator[None]:
    token = _staging.set(True)
    try:
        yield
    finally:
        _staging.reset(token)


def is_staging() -> bool:
    return _staging.get()


def _on_change(sender, **kwargs) -> None:
    if _staging.get():
        return
    bump_content_version()


for _model in CONTENT_MODELS:
    post_save.connect(
        _on_change, sender=_model, dispatch_uid=f"cv-save-{_model.__name__}"
    )
    post_delete.connect(
        _on_change, sender=_model, dispatch_uid=f"cv-delete-{_model.__name__}"
    )
m2m_changed.connect(
    _on_change, sender=m.Comparison.roles.through, dispatch_uid="cv-m2m"
)

# History: a version of a parent holds its children, so reverting a role brings
# its responsibilities, sources and dimension values back with it.
for _model in (
    m.Theme,
    m.Dimension,
    m.ContextFactor,
    m.Responsibility,
    m.Source,
    m.DimensionValue,
    m.ComparisonRole,
    m.ContextNote,
    m.OptionPoints,
    m.StatementPoints,
    m.Skill,
    m.WayIn,
    m.WeekActivity,
    m.AntiPattern,
    m.RelatedRole,
    m.CareerPath,
    m.GlossaryTerm,
):
    if not reversion.is_registered(_model):
        reversion.register(_model)
for _model, _follow in (
    (
        m.Role,
        (
            "responsibilities",
            "sources",
            "dimension_values",
            # Issue 15: a role's guide parts and the paths out of it.
            "skills",
            "ways_in",
            "typical_week",
            "anti_patterns",
            "related_links",
            "paths_out",
        ),
    ),
    (m.Comparison, ("comparison_roles", "context_notes")),
    (m.Option, ("points",)),
    (m.Question, ("options", "statement_points")),
):
    if not reversion.is_registered(_model):
        reversion.register(_model, follow=_follow)
