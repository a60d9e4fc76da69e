"""An accessibility checker for editors: content problems in a draft's
Markdown that would hurt readers, each with where it is. Pure: plain text in,
plain findings out (Wagtail's checker runs axe on the rendered page; these are
the problems only the writer can fix, found before it is rendered).

- a heading level skipped (``#`` then ``###``);
- a link without text, link text that says nothing out of context
  ("click here", "read more"), or a bare address;
- a paragraph too long to read comfortably (over MAX_WORDS words);
- a table without a header row."""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_WORDS = 120
VAGUE_LINK_TEXT = frozenset(
    {"click here", "here", "read more", "more", "link", "this link", "this", "go"}
)
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
#: An HTML link, which the Markdown allows: its words are its label.
_HTML_LINK = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]*)[^>]*>(.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![(<\[\w])https?://[^\s)>\]]+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


class Finding(NamedTuple):
    field: str  # the field's name, to link to it
    message: str


def _is_url(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(https?://|www\.)\S+\s*", text))


def markdown_problems(field: str, text: str) -> list[Finding]:
    """What in one Markdown field would hurt readers."""
    found: list[Finding] = []
    lines = text.replace("\r\n", "\n").split("\n")
    level = 0
    for line in lines:
        heading = _HEADING.match(line)
        if heading:
            new = len(heading.group(1))
            if level and new > level + 1:
                found.append(
                    Finding(
                        field,
                        f"The heading “{line.lstrip('#').strip()}” skips from level "
                        f"{level} to {new}: use level {level + 1}.",
                    )
                )
            level = new
    links = [(m.group(1), m.group(2)) for m in _LINK.finditer(text)] + [
        (re.sub(r"<[^>]*>", "", m.group(2)), m.group(1))
        for m in _HTML_LINK.finditer(text)
    ]
    for raw_label, address in links:
        label = raw_label.strip()
        if not label:
            found.append(
                Finding(
                    field,
                    f"A link to {address} has no text: screen readers "
                    "announce nothing. Put words between the brackets.",
                )
            )
        elif label.lower().rstrip(".!") in VAGUE_LINK_TEXT:
            found.append(
                Finding(
                    field,
                    f"The link text “{label}” says nothing out of context: "
                    "name where the link goes.",
                )
            )
        elif _is_url(label):
            found.append(
                Finding(
                    field, f"The link text is a bare address ({label}): say what it is."
                )
            )
    without_links = _HTML_LINK.sub("", _LINK.sub("", text))
    for url in _AUTOLINK.findall(without_links) + _BARE_URL.findall(
        _AUTOLINK.sub("", without_links)
    ):
        found.append(
            Finding(field, f"A bare address ({url}): make it a link with words.")
        )
    for paragraph in re.split(r"\n\s*\n", text):
        words = len(paragraph.split())
        if words > MAX_WORDS and not paragraph.lstrip().startswith(("|", "-", "*")):
            start = " ".join(paragraph.split()[:6])
            found.append(
                Finding(
                    field,
                    f"The paragraph starting “{start}…” has {words} words: "
                    f"split it (at most {MAX_WORDS}).",
                )
            )
    for i, line in enumerate(lines):
        starts_table = line.strip().startswith("|") and (
            i == 0 or not lines[i - 1].strip().startswith("|")
        )
        if starts_table:
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not _TABLE_RULE.match(following):
                found.append(
                    Finding(
                        field,
                        "A table without a header row: add one, then a "
                        "line like | --- | --- |.",
                    )
                )
    return found


def draft_problems(fields: dict[str, str]) -> list[Finding]:
    """Every Markdown field of a draft, by name."""
    return [f for name, text in fields.items() for f in markdown_problems(name, text)]
