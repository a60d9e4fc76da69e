from django import template

from roles.editorial.workflow import dashboard

register = template.Library()


@register.simple_tag
def editorial_dashboard(user):
    return dashboard(user=user)
