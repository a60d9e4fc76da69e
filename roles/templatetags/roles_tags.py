from django import template
from django.utils.safestring import SafeString

from roles.catalogue import guides
from roles.catalogue.guides import WeekTotal
from roles.core.crispy import option_input
from roles.core.markdown import demote_headings, plain_text, render_markdown
from roles.core.urls import cached_reverse, slug_url

register = template.Library()


@register.simple_tag
def site_url(name: str) -> str:
    """``{% site_url "roles:home" %}``: what ``{% url "roles:home" %}`` gives,
    for a URL without arguments, reversed once per script prefix and URLconf
    rather than on every page (the header's six links are drawn on every
    page; reversing them each time cost a one-question page a tenth of its
    render)."""
    return cached_reverse(name)


@register.filter
def role_url(slug: str) -> str:
    """``{{ slug|role_url }}``: ``{% url "roles:role_detail" slug=slug %}``
    without walking the URLconf for each role (the role map draws every role's
    link three times, a result's ranking once more)."""
    return slug_url("roles:role_detail", slug)


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def subsection(html: SafeString) -> SafeString:
    """``{{ text|markdown|subsection }}``: its headings one level down, for a
    text inside a section with a heading of its own."""
    return demote_headings(html)


@register.filter(name="option_input")
def option_input_filter(choice) -> SafeString:
    """``{{ choice|option_input }}``: ``{{ choice.tag }}``, built in Python
    (roles.core.crispy.option_input)."""
    return option_input(choice)


@register.filter
def plaintext(text: str, limit: int | None = None) -> str:
    """Markdown reduced to plain text, e.g. for a meta description."""
    return plain_text(text, limit=limit)


@register.filter
def index(sequence, position: int):
    return sequence[position]


@register.filter
def distinct_for(result, position: int):
    return result.distinct_for(position)


@register.filter
def glossary(html, page_glossary):
    """Link the first use of each glossary term in already-sanitised HTML:
    ``{{ text|markdown|glossary:page_glossary }}``."""
    if page_glossary is None:
        return html
    return page_glossary.link(html)


@register.filter
def week_total(activities) -> WeekTotal:
    """``{% with total=week|week_total %}``: what a typical week's rows add up
    to against the working week."""
    return guides.week_total(activity.hours for activity in activities)


@register.filter
def full_stop(text: str) -> str:
    """``{{ before|full_stop }}``: the full stop that ends the sentence
    ``before`` closes, unless it ends one already ("Scaled Agile, Inc.")."""
    return "" if str(text).rstrip().endswith((".", "!", "?", "…")) else "."
