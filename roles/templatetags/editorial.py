from django import template

from roles.editorial.admin_common import spare_row as _spare_row
from roles.editorial.workflow import dashboard

register = template.Library()


@register.simple_tag
def editorial_dashboard(user):
    return dashboard(user=user)


@register.filter
def spare_row(inline_admin_form) -> bool:
    """An inline's blank extra row (``admin_common.spare_row``), marked in
    the inline templates for static/js/admin-spare-rows.js to take out."""
    return _spare_row(inline_admin_form.form, inline_admin_form.original)
