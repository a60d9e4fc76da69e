"""Page frames: a page template rendered once, with markers where the values
that change from request to request go, then filled in per request.

A hot page whose chrome (head, header, footer, the blocks its own template
fixes) is the same for every visitor but whose body is not - a step of the
questionnaire - renders its template once per key (a process memo, see
``roles.publishing.cache.versioned_memo``) and afterwards only joins strings:
the template language is the slow part of such a page, not its data. The
output is the template's own, byte for byte (tests hold the two equal): the
template is rendered as usual, with each slot's value a marker that no
escaping or filter changes, and the result cut at the markers.

A slot is for a value output as it is (``{{ slot }}``), never for one a tag or
filter works on: ``{{ slot|upper }}`` would change the marker itself (a frame
with a marker changed is refused), ``{{ slot|length }}`` would output the
marker's length. What decides between branches (``{% if %}``) goes in the
fixed context, and so in the frame's key; a slot a branch does not output is
simply absent from that frame.

May import: Django and third-party packages only."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# Letters, digits and hyphens only, so autoescaping leaves a marker as it is;
# random per process, so no content can contain one by chance.
_TOKEN = secrets.token_hex(8)
_MARKER = re.compile(rf"frame-slot-{_TOKEN}-(\d+)-end")
_ANY_PART = re.compile(_TOKEN, re.IGNORECASE)


def _marker(index: int) -> SafeString:
    return mark_safe(f"frame-slot-{_TOKEN}-{index}-end")


def _escaped(value: object) -> str:
    # What {{ value }} does: localised (a number as the settings format it),
    # then escaped unless it is safe text.
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        # Django's own fast case (numberformat.format: an int without
        # grouping is itself), without the three format lookups before it.
        return str(value)
    localized = localize(value)
    return str(
        conditional_escape(localized if isinstance(localized, str) else str(localized))
    )


class Frame:
    """A rendered page cut into its fixed text and the slots between."""

    __slots__ = ("chunks", "slots")

    def __init__(self, chunks: Sequence[str], slots: Sequence[str]):
        if len(chunks) != len(slots) + 1:
            raise ValueError("a frame has one more chunk than it has slots")
        self.chunks = tuple(chunks)
        self.slots = tuple(slots)

    def fill(self, values: Mapping[str, object]) -> SafeString:
        """The page with each slot's value, escaped unless it is safe text
        (as ``{{ value }}`` would be)."""
        filled = {name: _escaped(values[name]) for name in set(self.slots)}
        parts = [self.chunks[0]]
        for name, chunk in zip(self.slots, self.chunks[1:], strict=True):
            parts.append(filled[name])
            parts.append(chunk)
        return mark_safe("".join(parts))  # fixed text rendered safe, values escaped


def render_frame(
    template_name: str,
    context: Mapping[str, object],
    request: HttpRequest | None,
    slots: Sequence[str],
) -> Frame:
    """Render ``template_name`` with ``context`` and a marker for each of
    ``slots``, and cut it into a :class:`Frame`. A marker that did not come
    through unchanged (a filter worked on it) is refused."""
    names = list(slots)
    rendered = render_to_string(
        template_name,
        {**context, **{name: _marker(i) for i, name in enumerate(names)}},
        request,
    )
    pieces = _MARKER.split(rendered)
    chunks = pieces[0::2]
    if any(_ANY_PART.search(chunk) for chunk in chunks):
        raise ValueError(f"{template_name}: a slot went through a filter")
    return Frame(chunks, [names[int(i)] for i in pieces[1::2]])
