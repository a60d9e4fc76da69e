"""Results stored by every version render exactly as they did: the result
part of the page (from the heading to the role map) is compared byte for byte
with a snapshot in tests/data/result_snapshots/, taken before the result
templates were split into shared includes. A change of wording for stored
results is a deliberate act: regenerate with UPDATE_RESULT_SNAPSHOTS=1 and
read the diff."""

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

from roles import models as m

from .factories import RoleFactory

pytestmark = pytest.mark.django_db

SNAPSHOTS = Path(__file__).parent / "data" / "result_snapshots"
TAKEN = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)

WHY = [
    {"question": "Horizon?", "answer": "Years", "points": 3.0},
    {"question": "A <day> & \u201cnight\u201d", "answer": "Roadmaps", "points": 2.0},
]


def _row(role: str, name: str, match: int, rank: int, **extra) -> dict:
    return {
        "role": role,
        "name": name,
        "summary": f"What the {name} does.",
        "match": match,
        "rank": rank,
        "tied": False,
        "why": WHY if rank == 1 else [],
        **extra,
    }


def _v1(verdict: str) -> dict:
    second = 95 if verdict == "between" else 40
    return {
        "ranking": [
            _row("product-manager", "Product Manager", 100, 1, score=9.0, best=9.0),
            _row("product-owner", "Product Owner", second, 2, score=2.0, best=9.0),
            _row("unpublished-role", "Gone Role", 10, 3, score=1.0, best=9.0),
        ]
    }


def _v2(verdict: str) -> dict:
    return {
        "version": 2,
        "verdict": verdict,
        "you": None,
        "ranking": [
            _row("product-manager", "Product Manager", 93, 1, z=1.5),
            {**_row("product-owner", "Product Owner", 81, 2, z=0.9), "tied": True},
            {**_row("unpublished-role", "Gone Role", 81, 2, z=0.9), "tied": True},
        ],
    }


def _v3(verdict: str) -> dict:
    top = {"clear": 0.97, "between": 0.55, "none": 0.84}[verdict]
    second = {"clear": 0.02, "between": 0.35, "none": 0.06}[verdict]
    rest = round(1 - top - second, 6)
    return {
        "version": 3,
        "verdict": verdict,
        "you": {"x": 40.5, "y": 60.0},
        "settlers": []
        if verdict == "clear"
        else [{"key": "horizon", "text": "How far ahead do you plan?"}],
        "ranking": [
            _row(
                "product-manager",
                "Product Manager",
                round(top * 100),
                1,
                probability=top,
                label=f"{round(top * 100)} %",
            ),
            _row(
                "product-owner",
                "Product Owner",
                round(second * 100),
                2,
                probability=second,
                label=f"{round(second * 100)} %",
            ),
            _row(
                "unpublished-role",
                "Gone Role",
                round(rest * 100),
                3,
                probability=rest,
                label=f"{round(rest * 100)} %",
            ),
        ],
    }


CASES = {
    f"v{version}-{verdict}": (build, verdict)
    for version, build, verdicts in [
        (1, _v1, ["clear", "between"]),
        (2, _v2, ["clear", "between", "none"]),
        (3, _v3, ["clear", "between", "none"]),
    ]
    for verdict in verdicts
}


def _result_part(html: str) -> str:
    """From the heading to the first section after the result's own ones."""
    start = html.index("<h1>")
    ends = [
        html.find(marker, start)
        for marker in ('<section class="role-map"', 'aria-labelledby="share-heading"')
    ]
    return html[start : min(e for e in ends if e != -1)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_stored_result_renders_as_its_snapshot(client, case):
    RoleFactory(slug="product-manager", name="Product Manager", map_x=30, map_y=70)
    RoleFactory(slug="product-owner", name="Product Owner", map_x=50, map_y=50)
    build, verdict = CASES[case]
    submission = m.Submission.objects.create(
        id=uuid.uuid5(uuid.NAMESPACE_URL, case),
        answers={"horizon": 0},
        snapshot={"roles": [], "questions": []},
        result=build(verdict),
        top_role_slug="product-manager",
    )
    m.Submission.objects.filter(pk=submission.pk).update(created_at=TAKEN)
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    part = _result_part(response.content.decode())
    snapshot = SNAPSHOTS / f"{case}.html"
    if os.environ.get("UPDATE_RESULT_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(part, encoding="utf-8")
    assert part == snapshot.read_text(encoding="utf-8")
