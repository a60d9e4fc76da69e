"""A result as an Open Graph card (1200×630 PNG), drawn with Pillow's own
bundled font so nothing depends on the fonts installed on a server."""

from __future__ import annotations

import functools
import io
import textwrap
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from roles.questionnaire.results import StoredResult

WIDTH, HEIGHT = 1200, 630
INK = (27, 31, 36)  # --rg-ink
MUTED = (79, 90, 102)  # --rg-muted
ACCENT = (29, 78, 137)  # --rg-accent
SOFT = (232, 240, 250)  # --rg-accent-soft
LINE = (213, 219, 225)  # --rg-line
BARS = 3


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


#: What stands in for a character the bundled font cannot draw, before the
#: letter is tried without its accent.
_STAND_INS = {"\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u00d7": "x"}


@functools.cache
def _has_glyph(char: str) -> bool:
    """Whether the bundled font draws the character itself rather than its
    empty box (the font is scaled from one outline, so one size answers for
    all)."""
    font = ImageFont.load_default(size=34)
    return bytes(font.getmask(char)) != bytes(font.getmask("\ue000"))


def _drawable(text: str) -> str:
    """The text with each character the font lacks replaced by the nearest
    one it has: a space for any space (the no-break space before "%"), a
    hyphen for a dash, the letter without its accent; else left out."""
    out = []
    for char in text:
        if char == " " or _has_glyph(char):
            out.append(char)
        elif char.isspace():
            out.append(" ")
        elif char in _STAND_INS:
            out.append(_STAND_INS[char])
        else:
            base = "".join(
                c
                for c in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(c)
            )
            out.append("".join(c for c in base if c == " " or _has_glyph(c)))
    return "".join(out)


def result_card_png(result: StoredResult, *, site_name: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    draw.text(
        (64, 56),
        _drawable(f"{site_name} · Which role am I?"),
        font=_font(34),
        fill=MUTED,
    )
    headline = _drawable(result.headline())
    y = 118
    for line in textwrap.wrap(headline, width=34)[:2]:
        draw.text((64, y), line, font=_font(64), fill=INK)
        y += 76
    y += 24
    for row in result.rows[:BARS]:
        draw.text((64, y), _drawable(row.name), font=_font(34), fill=INK)
        shown = _drawable(row.label) if result.version >= 3 else f"{row.match}"
        draw.text((1136, y), shown, font=_font(34), fill=INK, anchor="ra")
        bar_top = y + 48
        draw.rounded_rectangle((64, bar_top, 1136, bar_top + 22), 11, fill=SOFT)
        right = 64 + round(1072 * max(0, min(row.match, 100)) / 100)
        if right > 64 + 22:
            draw.rounded_rectangle((64, bar_top, right, bar_top + 22), 11, fill=ACCENT)
        y += 98
    draw.line((64, HEIGHT - 60, WIDTH - 64, HEIGHT - 60), fill=LINE, width=2)
    draw.text(
        (64, HEIGHT - 48),
        "How likely each role is, given the answers."
        if result.version >= 3
        else "Match out of 100: 50 is what random answers give.",
        font=_font(26),
        fill=MUTED,
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
