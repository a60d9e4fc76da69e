"""Template tags for the questionnaire: the role map's data, so a page needs
only ``{% include "includes/_role_map.html" %}`` (no view change)."""

from __future__ import annotations

from django import template

from roles.questionnaire.results import MapPoint
from roles.questionnaire.role_map import RoleMap, role_map_for
from roles.questionnaire.selectors import role_map_roles

register = template.Library()


@register.simple_tag
def role_map_data(you: MapPoint | None = None) -> RoleMap:
    return role_map_for(
        role_map_roles(), you=you if isinstance(you, MapPoint) else None
    )
