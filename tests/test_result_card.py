"""The result's share card (Open Graph PNG) draws every character it is given
with a real glyph: Pillow's bundled font has no no-break space, dashes or
accented letters, and a missing glyph is drawn as an empty box ("28□%")."""

import pytest
from PIL import ImageDraw, ImageFont

from roles.questionnaire import result_card, scoring
from roles.questionnaire.results import ResultRow, StoredResult


def _missing(text: str, size: int) -> set[str]:
    font = ImageFont.load_default(size=size)
    box = bytes(font.getmask("\ue000"))  # a private-use character: never in a font
    return {c for c in text if not c.isspace() and bytes(font.getmask(c)) == box} | {
        c for c in text if c.isspace() and c != " "
    }


@pytest.fixture
def drawn(monkeypatch):
    """Every string the card draws, with the size of its font."""
    texts: list[tuple[str, int]] = []
    original = ImageDraw.ImageDraw.text

    def text(self, xy, value, *args, **kwargs):
        texts.append((value, kwargs["font"].size))
        return original(self, xy, value, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    return texts


def _row(rank: int, name: str, probability: float) -> ResultRow:
    return ResultRow(
        role=f"role-{rank}",
        name=name,
        summary="",
        match=round(probability * 100),
        rank=rank,
        tied=False,
        probability=probability,
        label=scoring.percent_label(probability),
    )


@pytest.mark.parametrize("verdict", list(scoring.Verdict))
def test_every_character_on_the_card_has_a_glyph(drawn, verdict):
    result = StoredResult(
        rows=(
            _row(1, "Chef de produit – Éditions", 0.94),
            _row(2, "Product Owner × Scrum Master — hybrid", 0.0004),
            _row(3, "Agile Coach", 0.3),
        ),
        verdict=verdict,
    )
    png = result_card.result_card_png(result, site_name="Role Guides")
    assert png.startswith(b"\x89PNG")
    assert drawn
    shown = " ".join(text for text, _ in drawn)
    assert "94 %" in shown and "under 1 %" in shown  # the labels, readable
    for text, size in drawn:
        assert not _missing(text, size), (text, _missing(text, size))


def test_the_card_keeps_plain_text_as_it_is(drawn):
    result = StoredResult(rows=(_row(1, "Product Owner", 0.5),), verdict="between")
    result_card.result_card_png(result, site_name="Role Guides")
    assert "Product Owner" in [text for text, _ in drawn]
