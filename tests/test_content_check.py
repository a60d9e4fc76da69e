"""The editors' accessibility checker over a draft's Markdown fields (pure)."""

import pytest

from roles.editorial.content_check import MAX_WORDS, draft_problems, markdown_problems


def _messages(text: str) -> list[str]:
    return [f.message for f in markdown_problems("overview", text)]


def test_clean_markdown_has_no_problems():
    text = (
        "## What the role does\n\nIt orders work.\n\n### Day to day\n\n"
        "See [the Scrum Guide](https://scrumguides.org/scrum-guide.html).\n\n"
        "| Task | Hours |\n| --- | --- |\n| Refinement | 3 |\n"
    )
    assert _messages(text) == []


def test_a_skipped_heading_level_is_named_with_the_level_to_use():
    assert _messages("## Overview\n\n#### Detail\n") == [
        "The heading “Detail” skips from level 2 to 4: use level 3."
    ]


@pytest.mark.parametrize("label", ["click here", "Here", "read more", "More."])
def test_vague_link_text(label):
    [message] = _messages(f"For details [{label}](https://example.org/page).")
    assert f"“{label}” says nothing out of context" in message


def test_a_bare_address_as_link_text_or_in_the_text():
    assert _messages("[https://example.org/x](https://example.org/x)") == [
        "The link text is a bare address (https://example.org/x): say what it is."
    ]
    assert _messages("See https://example.org/guide for more.") == [
        "A bare address (https://example.org/guide): make it a link with words."
    ]
    assert _messages("See <https://example.org/guide>.") == [
        "A bare address (https://example.org/guide): make it a link with words."
    ]


def test_an_overlong_paragraph_is_flagged_and_a_long_text_in_short_ones_is_not():
    long = " ".join(["word"] * (MAX_WORDS + 1))
    [message] = _messages(long)
    assert f"has {MAX_WORDS + 1} words" in message
    short = "\n\n".join(" ".join(["word"] * 60) for _ in range(5))
    assert _messages(short) == []


def test_a_table_without_a_header_row():
    assert _messages("| a | b |\n| c | d |\n") == [
        "A table without a header row: add one, then a line like | --- | --- |."
    ]


def test_findings_name_their_field():
    found = draft_problems({"overview": "[here](https://x.org/a)", "origin": "Fine."})
    assert [f.field for f in found] == ["overview"]
