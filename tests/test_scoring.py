"""Questionnaire scoring: pure functions, no database."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roles import scoring
from roles.scoring import AnswerError, OptionSpec, QuestionSpec

ROLES = ["pm", "po", "sm"]


def scenario(key, *options):
    return QuestionSpec(
        key,
        scoring.SCENARIO,
        f"{key}?",
        tuple(OptionSpec(f"{key}-{i}", p) for i, p in enumerate(options)),
    )


def statement(key, weights):
    return QuestionSpec(key, scoring.AGREEMENT, f"{key}.", weights=weights)


QUESTIONS = [
    scenario("q1", {"pm": 3}, {"po": 3}, {"sm": 3}),
    scenario("q2", {"pm": 2, "po": 1}, {"po": 2}, {"sm": 2}),
    statement("s1", {"pm": 4, "sm": 2}),
]


def by_role(result):
    return {row.role: row for row in result}


def test_best_attainable_sums_best_options_and_full_weights():
    assert scoring.best_attainable(QUESTIONS, "pm") == 3 + 2 + 4
    assert scoring.best_attainable(QUESTIONS, "po") == 3 + 2 + 0


def test_scores_and_match_percentages():
    result = by_role(scoring.score(QUESTIONS, {"q1": 0, "q2": 0, "s1": 2}, ROLES))
    assert result["pm"].score == 3 + 2 + 4
    assert result["pm"].match == 100
    assert result["po"].score == 1
    assert result["po"].match == 20
    assert result["sm"].score == 2  # 2 * 2 / 2


def test_disagreeing_takes_points_away_and_match_never_goes_below_zero():
    result = by_role(scoring.score(QUESTIONS, {"q1": 1, "q2": 1, "s1": -2}, ROLES))
    assert result["pm"].score == -4
    assert result["pm"].match == 0
    assert result["sm"].score == -2


def test_agree_counts_half_the_weight():
    result = by_role(scoring.score(QUESTIONS, {"q1": 2, "q2": 2, "s1": 1}, ROLES))
    assert result["pm"].score == 2
    assert result["sm"].score == 3 + 2 + 1


def test_ranking_is_by_match_and_ties_share_a_rank():
    questions = [scenario("q", {"pm": 2, "po": 2}, {"sm": 1})]
    result = scoring.score(questions, {"q": 0}, ROLES)
    assert [(r.role, r.rank, r.tied) for r in result] == [
        ("pm", 1, True),
        ("po", 1, True),
        ("sm", 3, False),
    ]


def test_role_with_no_points_anywhere_scores_zero_percent():
    result = by_role(
        scoring.score(QUESTIONS, {"q1": 0, "q2": 0, "s1": 0}, [*ROLES, "nobody"])
    )
    assert result["nobody"].best == 0
    assert result["nobody"].match == 0


def test_zero_point_options_give_nothing():
    questions = [scenario("q", {}, {"pm": 1})]
    result = by_role(scoring.score(questions, {"q": 0}, ROLES))
    assert all(row.score == 0 for row in result.values())


def test_all_neutral_answers_score_zero():
    questions = [statement("a", {"pm": 3}), statement("b", {"po": 2})]
    result = scoring.score(questions, {"a": 0, "b": 0}, ROLES)
    assert all(row.score == 0 and row.match == 0 for row in result)
    assert all(row.rank == 1 and row.tied for row in result)


def test_why_lists_the_three_largest_contributions_in_order():
    questions = [
        scenario("a", {"pm": 1}, {}),
        scenario("b", {"pm": 3}, {}),
        scenario("c", {"pm": 2}, {}),
        scenario("d", {"pm": 5}, {}),
    ]
    result = by_role(scoring.score(questions, dict.fromkeys("abcd", 0), ["pm"]))
    assert [c.question_key for c in result["pm"].why] == ["d", "b", "c"]
    assert result["pm"].why[0].answer_text == "d-0"


@pytest.mark.parametrize(
    "answers",
    [
        {"q1": 0, "q2": 0},
        {"q1": 9, "q2": 0, "s1": 0},
        {"q1": 0, "q2": 0, "s1": 3},
        {"q1": -1, "q2": 0, "s1": 0},
    ],
)
def test_incomplete_or_impossible_answers_raise_answer_error(answers):
    with pytest.raises(AnswerError):
        scoring.score(QUESTIONS, answers, ROLES)


def test_non_discriminating_questions_are_detected():
    assert not scoring.is_discriminating(
        scenario("q", {"pm": 1, "po": 1, "sm": 1}, {}), ROLES
    )
    assert not scoring.is_discriminating(
        statement("s", {"pm": 2, "po": 2, "sm": 2}), ROLES
    )
    assert scoring.is_discriminating(scenario("q", {"pm": 1}, {}), ROLES)
    assert scoring.is_discriminating(statement("s", {"pm": 2}), ROLES)


def test_reachability_search_finds_a_winning_answer_set_for_each_role():
    for role in ROLES:
        answers, lead = scoring.find_top_answers(QUESTIONS, ROLES, role)
        assert lead > 0
        assert scoring.score(QUESTIONS, answers, ROLES)[0].role == role


def test_unreachable_role_is_reported():
    # "po" can only ever score together with "pm", who always does better.
    questions = [scenario("q", {"pm": 3, "po": 1}, {"sm": 1})]
    _, lead = scoring.find_top_answers(questions, ROLES, "po")
    assert lead <= 0


# --- properties ---------------------------------------------------------------

points = st.dictionaries(st.sampled_from(ROLES), st.integers(0, 5), max_size=3)


@st.composite
def questionnaires(draw):
    questions = []
    for i in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            options = draw(st.lists(points, min_size=2, max_size=4))
            questions.append(scenario(f"q{i}", *options))
        else:
            questions.append(statement(f"q{i}", draw(points)))
    answers = {}
    for q in questions:
        if q.kind == scoring.SCENARIO:
            answers[q.key] = draw(st.integers(0, len(q.options) - 1))
        else:
            answers[q.key] = draw(st.sampled_from(list(scoring.SCALE)))
    return questions, answers


@given(questionnaires())
def test_property_matches_are_percentages_and_ranking_follows_scores(data):
    questions, answers = data
    result = scoring.score(questions, answers, ROLES)
    assert sorted(r.role for r in result) == sorted(ROLES)
    for row in result:
        assert 0 <= row.match <= 100
        assert row.score <= row.best + 1e-9
    for higher, lower in itertools.pairwise(result):
        assert (higher.match, higher.score) >= (lower.match, lower.score)
        assert higher.rank <= lower.rank
        assert (higher.rank == lower.rank) == (higher.match == lower.match)


@given(questionnaires())
def test_property_same_input_same_output(data):
    questions, answers = data
    assert scoring.score(questions, answers, ROLES) == scoring.score(
        questions, dict(reversed(list(answers.items()))), list(reversed(ROLES))
    )


def naive_scores(questions, answers, roles) -> dict[str, tuple[float, float]]:
    """The formula written the slow, obvious way: the oracle for score()."""
    return {
        role: (
            sum(scoring.contribution(q, answers[q.key], role) for q in questions),
            scoring.best_attainable(questions, role),
        )
        for role in roles
    }


@given(questionnaires())
def test_property_fast_scoring_matches_the_obvious_formula(data):
    questions, answers = data
    oracle = naive_scores(questions, answers, ROLES)
    for row in scoring.score(questions, answers, ROLES):
        total, best = oracle[row.role]
        assert row.score == pytest.approx(total)
        assert row.best == pytest.approx(best)
        assert row.match == scoring.match_percent(total, best)
