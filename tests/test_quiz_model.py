"""The scoring model on the seeded questionnaire (roles/content/quiz.yaml),
against the targets of issue 22. Pure: the YAML is read directly."""

import random
from collections import Counter
from pathlib import Path

import pytest
import yaml

from roles.questionnaire import personas, scoring
from roles.questionnaire.audit import (
    TARGET_ADAPTIVE_AGREEMENT,
    TARGET_ADAPTIVE_MEAN_QUESTIONS,
    TARGET_CLEAR_RATE,
    TARGET_COVERAGE_RATIO,
    TARGET_MEDIAN_TOP_MATCH,
    TARGET_MIN_ITEMS,
    TARGET_PERSONA_MISSES,
    TARGET_PERSONA_NOISY,
    TARGET_PERSONA_NOISY_ROLE,
    audit,
)
from roles.questionnaire.results import Questionnaire, RoleInfo
from roles.questionnaire.scoring import PERCENT

ROOT = Path(__file__).parent.parent / "roles/content"


def seeded_questionnaire() -> Questionnaire:
    data = yaml.safe_load((ROOT / "quiz.yaml").read_text())["questions"]
    questions = []
    for q in data:
        if q["kind"] == scoring.SCENARIO:
            options = tuple(
                scoring.OptionSpec(o["text"], o.get("points") or {})
                for o in q["options"]
            )
            questions.append(
                scoring.QuestionSpec(q["key"], q["kind"], q["text"], options)
            )
        else:
            questions.append(
                scoring.QuestionSpec(
                    q["key"], q["kind"], q["text"], (), q.get("points") or {}
                )
            )
    slugs = sorted(p.stem for p in (ROOT / "roles").glob("*.yaml"))
    return Questionnaire(
        tuple(questions), tuple(RoleInfo(s, s, "") for s in slugs), hints={}
    )


@pytest.fixture(scope="module")
def seeded():
    return seeded_questionnaire()


def test_every_role_is_moved_by_enough_items_and_none_by_far_more(seeded):
    """The header of quiz.yaml says every role is moved by about the same
    number of questions: at least 12 each, the most at most 1.6 × the least."""
    coverage = {r: scoring.coverage(seeded.questions, r) for r in seeded.role_slugs}
    assert min(coverage.values()) >= TARGET_MIN_ITEMS, coverage
    assert max(coverage.values()) <= TARGET_COVERAGE_RATIO * min(coverage.values()), (
        coverage
    )
    header = (ROOT / "quiz.yaml").read_text().split("\nquestions:", 1)[0]
    assert "at least 12 questions" in header


def test_an_ideal_respondent_of_every_role_gets_it_first_with_the_same_confidence(
    seeded,
):
    labels = set()
    for role in seeded.role_slugs:
        ranking = seeded.score(scoring.ideal_answers(seeded.questions, role))
        assert ranking[0].role == role
        assert not ranking[0].tied
        assert scoring.verdict(ranking, seeded.model.clear) == scoring.Verdict.CLEAR
        labels.add(ranking[0].label)
    assert labels == {f"over 99{PERCENT}"}


def test_clear_matches_are_rare_for_random_answers_and_right_for_real_roles(seeded):
    """On seeds the fit never saw: random answering is told "clear" at most
    10 % of the time, and "clear: X" is right for at least 90 % of simulated
    respondents told it, for every role."""
    model = seeded.model
    rng = random.Random(404)
    clear = 0
    for _ in range(3000):
        ranking = seeded.score(scoring.random_answers(seeded.questions, rng))
        clear += scoring.verdict(ranking, model.clear) == scoring.Verdict.CLEAR
    assert clear / 3000 <= TARGET_CLEAR_RATE
    told: dict[str, list[str]] = {r: [] for r in seeded.role_slugs}
    for role in seeded.role_slugs:
        for _ in range(150):
            answers = scoring.simulated_answers(seeded.questions, role, rng)
            ranking = seeded.score(answers)
            if scoring.verdict(ranking, model.clear) == scoring.Verdict.CLEAR:
                told[ranking[0].role].append(role)
    for role, truths in told.items():
        assert truths, role
        assert sum(t == role for t in truths) / len(truths) >= 0.9, (role, truths)


def test_seeded_audit_figures_stay_on_target(seeded):
    figures = audit(seeded, respondents=3000, seed=4, reachability=False).figures()
    fair = figures["random"]["fair_share"]
    assert figures["random"]["top_share_min"] >= 0.75 * fair
    assert figures["random"]["top_share_max"] <= 1.25 * fair
    assert figures["random"]["clear_rate"] <= TARGET_CLEAR_RATE
    assert figures["random"]["median_top_match"] < TARGET_MEDIAN_TOP_MATCH  # was 96
    assert figures["coverage"]["min_items"] >= TARGET_MIN_ITEMS
    assert (
        figures["coverage"]["max_items"]
        <= TARGET_COVERAGE_RATIO * figures["coverage"]["min_items"]
    )
    assert figures["adaptive"]["respondents"] >= 16 * 30
    assert figures["adaptive"]["mean_questions"] <= TARGET_ADAPTIVE_MEAN_QUESTIONS
    assert figures["adaptive"]["agreement"] >= TARGET_ADAPTIVE_AGREEMENT


# --- the blind personas (roles/content/quiz_personas.yaml) ---------------------------


@pytest.fixture(scope="module")
def blind():
    return personas.parse(yaml.safe_load((ROOT / "quiz_personas.yaml").read_text()))


def test_the_blind_fixture_has_two_personas_per_role_answering_every_question(
    seeded, blind
):
    per_role = Counter(p.role for p in blind)
    assert per_role == dict.fromkeys(seeded.role_slugs, 2)
    assert len({p.id for p in blind}) == len(blind)
    for persona in blind:
        missing = [q.key for q in seeded.questions if q.key not in persona.answers]
        assert not missing, (persona.id, missing)
        for q in seeded.questions:
            assert persona.answers[q.key] in q.answer_values, (persona.id, q.key)


@pytest.fixture(scope="module")
def blind_figures(seeded, blind):
    return personas.evaluate(seeded.adaptive, blind)


def test_the_blind_personas_get_their_role_first_and_keep_it_under_noise(
    blind_figures,
):
    """Issue 22, item 5: at most one persona misses, top-1 holds for 93 % of
    seeded trials with 20 % of answers at random, and the adaptive flow
    agrees with the full questionnaire for 95 % of them."""
    _assert_first_and_adaptive(blind_figures)
    assert blind_figures.noisy_top1 >= TARGET_PERSONA_NOISY, blind_figures.noisy_by_role


def _assert_first_and_adaptive(figures: personas.PersonaFigures) -> None:
    """All 32 counted, at most one miss, and the adaptive flow agreeing with
    the full questionnaire in few enough questions."""
    _assert_adaptive(figures)
    assert figures.top1 >= figures.count - TARGET_PERSONA_MISSES, figures.misses


def _assert_adaptive(figures: personas.PersonaFigures) -> None:
    assert figures.count == 32
    assert figures.adaptive_agreement >= TARGET_ADAPTIVE_AGREEMENT
    assert figures.adaptive_mean_questions <= TARGET_ADAPTIVE_MEAN_QUESTIONS


@pytest.mark.xfail(
    strict=True,
    reason="issue 22 open: program-manager-2 (a technical programme manager) answers "
    "as a release train engineer at almost every turn, the four items written to "
    "separate the two included, so programme manager holds at ~50 % under noise "
    "(every other role is at 85 % or more)",
)
def test_no_role_falls_below_its_floor_under_noise(blind_figures):
    assert not _below_floor(blind_figures)


def _below_floor(figures: personas.PersonaFigures) -> dict[str, float]:
    """The roles whose personas keep their role in fewer than 80 % of the
    noisy trials."""
    return {
        role: share
        for role, share in figures.noisy_by_role.items()
        if share < TARGET_PERSONA_NOISY_ROLE
    }


# --- a second blind set (roles/content/quiz_personas_validation.yaml) ---------------
# Written and answered by others than the fixture's, never fitted to: whether
# the questionnaire's accuracy holds for people it has never met.


@pytest.fixture(scope="module")
def validation():
    return personas.parse(
        yaml.safe_load((ROOT / "quiz_personas_validation.yaml").read_text())
    )


def _assert_a_new_set(seeded, new, earlier) -> None:
    """Two personas per role, none of them (by id or description) in the
    earlier sets, each answering every question of the seeded questionnaire."""
    assert Counter(p.role for p in new) == dict.fromkeys(seeded.role_slugs, 2)
    ids = {p.id for p in new}
    assert len(ids) == len(new) and not ids & {p.id for p in earlier}
    assert not {p.description for p in new} & {p.description for p in earlier}
    for persona in new:
        for q in seeded.questions:
            assert persona.answers.get(q.key) in q.answer_values, (persona.id, q.key)


def test_the_validation_set_is_two_other_personas_per_role_answering_every_question(
    seeded, blind, validation
):
    _assert_a_new_set(seeded, validation, blind)


@pytest.fixture(scope="module")
def validation_figures(seeded, validation):
    return personas.evaluate(seeded.adaptive, validation)


def test_the_validation_personas_get_their_role_first_and_the_adaptive_flow_agrees(
    validation_figures,
):
    _assert_first_and_adaptive(validation_figures)


def test_the_validation_personas_keep_their_role_under_noise(validation_figures):
    # 93.9 % at the suite's seed, 93.4 % averaged over eight (6 December).
    assert validation_figures.noisy_top1 >= TARGET_PERSONA_NOISY, (
        validation_figures.noisy_by_role
    )


@pytest.mark.xfail(
    strict=True,
    reason="issue 22 open: on the second blind set delivery manager is at 49 % under "
    "noise: v-delivery-manager-1, a government service's delivery manager who runs "
    "her team's stand-ups and retrospectives, answers as a scrum master (programme "
    "manager, the fixture's weak role, is at 96 % here)",
)
def test_no_validation_role_falls_below_its_floor_under_noise(validation_figures):
    assert not _below_floor(validation_figures)


# --- a third blind set, held out (roles/content/quiz_personas_holdout.yaml) ----------
# Written and answered by yet other helpers, asked for realistic overlaps between
# neighbouring jobs; it measures and is never used to write or choose items.


@pytest.fixture(scope="module")
def holdout():
    return personas.parse(
        yaml.safe_load((ROOT / "quiz_personas_holdout.yaml").read_text())
    )


def test_the_holdout_set_is_two_new_personas_per_role_answering_every_question(
    seeded, blind, validation, holdout
):
    _assert_a_new_set(seeded, holdout, [*blind, *validation])


@pytest.fixture(scope="module")
def holdout_figures(seeded, holdout):
    return personas.evaluate(seeded.adaptive, holdout)


def test_the_adaptive_flow_agrees_with_the_full_questionnaire_for_the_holdout_set(
    holdout_figures,
):
    """Issue 22, item 3, for people the questionnaire has never met: the
    adaptive verdict is the full questionnaire's for 95 %, in at most 15
    questions on average."""
    _assert_adaptive(holdout_figures)


@pytest.mark.xfail(
    strict=True,
    reason="issue 22 open: on the held-out set top-1 is 27 of 32 (target 31) and 84 % "
    "under noise (target 93 %); its misses are neighbours that really overlap: an "
    "agency's delivery manager placed as project manager, a technical programme "
    "manager as release train engineer, a hands-on engineering manager as technical "
    "lead, an agile coach as delivery manager, a chief product officer of a small "
    "company as product manager",
)
def test_the_holdout_personas_get_their_role_first_and_keep_it_under_noise(
    holdout_figures,
):
    figures = holdout_figures
    assert figures.top1 >= figures.count - TARGET_PERSONA_MISSES, figures.misses
    assert figures.noisy_top1 >= TARGET_PERSONA_NOISY, figures.noisy_by_role
    assert not _below_floor(figures)
