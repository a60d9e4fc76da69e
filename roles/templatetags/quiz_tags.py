"""Template tags for the questionnaire: the role map's data, so a page needs
only ``{% include "includes/_role_map.html" %}`` (no view change)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from roles.questionnaire.results import MapPoint, ResultRow
from roles.questionnaire.role_map import RoleMap, role_map_for
from roles.questionnaire.selectors import role_map_former, role_map_roles

register = template.Library()


@register.simple_tag
def role_map_data(
    you: MapPoint | None = None, rows: Iterable[ResultRow] = ()
) -> RoleMap:
    """Every published role; on a result page (``rows``), also the roles its
    ranking names that are no longer published, as it was placed among them."""
    roles = role_map_roles()
    missing = {row.role for row in rows or ()} - {r.slug for r in roles}
    if missing:
        roles = [*roles, *role_map_former(missing)]
    return role_map_for(roles, you=you if isinstance(you, MapPoint) else None)
