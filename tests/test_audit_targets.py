"""The audit's targets (issue 22, item 6): every headline figure is listed with
its target and whether it is met, the same in ``quiz_audit`` and on the health
panel, so an editor sees a missed target where the edit is made."""

import dataclasses
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from roles.questionnaire import audit as audit_module
from roles.questionnaire.audit import (
    TARGET_ADAPTIVE_AGREEMENT,
    TARGET_PERSONA_NOISY_ROLE,
    audit,
)
from roles.questionnaire.selectors import blind_personas

from .test_quiz_model import seeded_questionnaire

#: The figures issue 22 names for quiz_audit --json and the panel.
NAMED = {
    "random.top_share_min",
    "random.top_share_max",
    "random.clear_rate",
    "random.median_top_match",
    "coverage.min_items",
    "coverage.max_items",
    "adaptive.mean_questions",
    "adaptive.agreement",
    "personas.count",
    "personas.top1",
    "personas.noisy_top1",
}


@pytest.fixture(scope="module")
def report():
    return audit(
        seeded_questionnaire(),
        respondents=600,
        seed=4,
        reachability=False,
        adaptive_per_role=4,
        blind=blind_personas(),
    )


def _check(report, figure):
    return next(c for c in report.checks() if c.figure == figure)


def test_every_named_figure_has_a_target_and_a_verdict(report):
    checks = report.checks()
    assert {c.figure for c in checks} >= NAMED
    assert len({c.figure for c in checks}) == len(checks)
    for check in checks:
        assert check.target and check.value
        assert check.met in (True, False)  # all measured here


def test_every_figure_of_the_json_is_checked(report):
    """Generic: a figure added to figures() without a target fails here."""
    figures = report.figures()
    leaves = {
        f"{group}.{name}"
        for group, values in figures.items()
        for name, value in values.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    # Context for other figures, not figures with targets of their own.
    context = {
        "random.fair_share",
        "random.clear_threshold",
        "adaptive.respondents",
    }
    assert leaves - context <= {c.figure for c in report.checks()}


def test_a_check_turns_to_missed_when_its_figure_crosses_the_target(report):
    on = dataclasses.replace(report, adaptive_agreement=TARGET_ADAPTIVE_AGREEMENT)
    off = dataclasses.replace(report, adaptive_agreement=0.9)
    assert _check(on, "adaptive.agreement").met is True
    assert _check(off, "adaptive.agreement").met is False
    assert "adaptive.agreement" in {c.figure for c in off.missed}
    assert "adaptive.agreement" not in {c.figure for c in on.missed}


def test_the_roles_below_the_noise_floor_are_named(report):
    shares = dict(report.personas.noisy_by_role)
    shares["scrum-master"] = 0.42
    blind = dataclasses.replace(report.personas, noisy_by_role=shares)
    check = _check(
        dataclasses.replace(report, personas=blind), "personas.noisy_top1_min_role"
    )
    assert check.met is False
    assert "scrum-master 0.42" in check.value
    floor = {r: max(s, TARGET_PERSONA_NOISY_ROLE) for r, s in shares.items()}
    raised = dataclasses.replace(report.personas, noisy_by_role=floor)
    check = _check(
        dataclasses.replace(report, personas=raised), "personas.noisy_top1_min_role"
    )
    assert check.met is True and ";" not in check.value


def test_without_personas_their_figures_are_not_measured(report):
    bare = dataclasses.replace(report, personas=None)
    check = _check(bare, "personas.count")
    assert check.met is None and check.target == audit_module.NOT_YET
    assert check not in bare.missed


@pytest.mark.django_db
def test_quiz_audit_reports_the_targets(seeded):
    out = StringIO()
    args = ("-n", "400", "--no-reachability")
    call_command("quiz_audit", "--json", *args, stdout=out)
    data = json.loads(out.getvalue())
    rows = {t["figure"]: t for t in data["targets"]}
    assert set(rows) >= NAMED
    assert data["targets_missed"] == [f for f, t in rows.items() if t["met"] is False]
    text = StringIO()
    call_command("quiz_audit", *args, stdout=text)
    for figure, row in rows.items():
        status = {True: "met", False: "MISSED", None: "not measured"}[row["met"]]
        assert f"  {figure:34} {status:12} {row['value']}" in text.getvalue()


@pytest.mark.django_db
def test_the_health_panel_marks_each_figure_met_or_missed(staff_client, seeded):
    html = staff_client.get(reverse("quiz_health")).content.decode()
    rows = re.findall(
        r'<tr><th scope="row">([a-z0-9_.]+)</th><td>[^<]*</td><td>[^<]*</td>'
        r"<td>(Met|Not measured|<strong>Missed</strong>)</td></tr>",
        html,
    )
    assert {figure for figure, _ in rows} >= NAMED
    missed = [figure for figure, status in rows if "Missed" in status]
    if missed:
        assert (
            f"{len(missed)} of {len(rows)} figures miss their target: "
            f"{', '.join(missed)}." in html
        )
    else:
        assert "Every measured figure is on target." in html
