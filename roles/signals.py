"""Content version: any change to content bumps one number in the shared cache,
at once and again after the transaction commits. Cached pages are keyed by it,
so the next request after a change never sees the old page."""

from __future__ import annotations

import reversion
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import models as m

CONTENT_VERSION_KEY = "content-version"

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
    # Issue 15: structured guides and the glossary.
    m.Skill,
    m.WayIn,
    m.WeekActivity,
    m.AntiPattern,
    m.RelatedRole,
    m.CareerPath,
    m.GlossaryTerm,
)


def bump_content_version() -> None:
    if not cache.add(CONTENT_VERSION_KEY, 2, timeout=None):
        try:
            cache.incr(CONTENT_VERSION_KEY)
        except ValueError:
            cache.set(CONTENT_VERSION_KEY, 2, timeout=None)


def _on_change(sender, **kwargs) -> None:
    # Bump now, so nothing cached from here on is served for the new state, and
    # again after commit, so a page cached from the old state while the
    # transaction was open is never served either.
    bump_content_version()
    transaction.on_commit(bump_content_version)


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
