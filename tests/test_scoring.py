"""Questionnaire scoring: pure functions, no database."""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roles.questionnaire import scoring
from roles.questionnaire.scoring import AnswerError, OptionSpec, QuestionSpec

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


def test_raw_scores_add_points_and_scaled_weights():
    result = by_role(scoring.score(QUESTIONS, {"q1": 0, "q2": 0, "s1": 2}, ROLES))
    assert result["pm"].score == 3 + 2 + 4
    assert result["po"].score == 1
    assert result["sm"].score == 2  # 2 * 2 / 2


def test_agree_counts_half_the_weight_and_disagree_takes_it_away():
    assert (
        by_role(scoring.score(QUESTIONS, {"q1": 2, "q2": 2, "s1": 1}, ROLES))[
            "pm"
        ].score
        == 2
    )
    result = by_role(scoring.score(QUESTIONS, {"q1": 1, "q2": 1, "s1": -2}, ROLES))
    assert result["pm"].score == -4
    assert result["sm"].score == -2


def test_answers_that_all_point_to_one_role_make_it_a_clear_match():
    ranking = scoring.score(QUESTIONS, {"q1": 0, "q2": 0, "s1": 2}, ROLES)
    assert ranking[0].role == "pm"
    assert ranking[0].match >= 90
    assert scoring.verdict(ranking) == scoring.Verdict.CLEAR


def test_no_cliff_at_zero_disagreeing_still_orders_roles():
    """The old share-of-best clipped every negative score to 0 % (tied). Now
    a role the reader disagrees with strongly ranks below a neutral one."""
    questions = [statement("a", {"pm": 4}), statement("b", {"po": 4})]
    result = by_role(scoring.score(questions, {"a": -2, "b": -1}, ["pm", "po"]))
    assert result["pm"].match < result["po"].match < 50
    assert result["pm"].match > 0 and not result["pm"].tied


def test_neutral_answers_give_the_middle_of_the_scale_and_no_clear_match():
    questions = [statement("a", {"pm": 3}), statement("b", {"po": 2})]
    ranking = scoring.score(questions, {"a": 0, "b": 0}, ["pm", "po"])
    assert all(45 <= row.match <= 55 for row in ranking)
    assert scoring.verdict(ranking) == scoring.Verdict.NO_CLEAR_MATCH


def test_two_roles_the_answers_favour_equally_are_between():
    questions = [scenario(f"q{i}", {"pm": 3, "po": 3}, {"sm": 3}, {}) for i in range(4)]
    ranking = scoring.score(questions, {f"q{i}": 0 for i in range(4)}, ROLES)
    assert {ranking[0].role, ranking[1].role} == {"pm", "po"}
    assert scoring.verdict(ranking) == scoring.Verdict.BETWEEN


def test_role_no_question_can_move_is_never_a_match():
    questions = [*QUESTIONS, scenario("flat", {"nobody": 2}, {"nobody": 2})]
    result = by_role(
        scoring.score(
            questions, {"q1": 0, "q2": 0, "s1": 0, "flat": 0}, [*ROLES, "nobody"]
        )
    )
    assert result["nobody"].match == 0
    assert result["nobody"].rank == 4
    assert scoring.coverage(questions, "nobody") == 0


def test_zero_point_options_give_nothing():
    questions = [scenario("q", {}, {"pm": 1})]
    result = by_role(scoring.score(questions, {"q": 0}, ROLES))
    assert all(row.score == 0 for row in result.values())


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


def test_separation_measures_how_a_question_tells_two_roles_apart():
    q = scenario("q", {"pm": 4}, {"po": 4}, {"pm": 1, "po": 1})
    assert scoring.separation(q, "pm", "po") == pytest.approx(8 / 3)
    assert scoring.separation(q, "pm", "sm") == pytest.approx(5 / 3)
    assert scoring.separation(statement("s", {"pm": 2, "po": 2}), "pm", "po") == 0


# --- fairness -------------------------------------------------------------------


def top_shares(questions, roles, *, respondents, seed, norm=None):
    norm = norm or scoring.build_norm(questions, roles)
    rng = random.Random(seed)
    tops = Counter(
        scoring.score(questions, scoring.random_answers(questions, rng), roles, norm)[
            0
        ].role
        for _ in range(respondents)
    )
    fair = respondents / len(roles)
    return {role: tops[role] / fair for role in roles}


def test_thinly_covered_role_is_not_favoured():
    """The v1 bias: a role named in few questions swung to 100 %. Here "sm"
    appears in 2 questions, "pm" and "po" in 8; each still tops about a third
    of random respondents (checked on a seed the calibration never saw)."""
    questions = [
        scenario(f"d{i}", {"pm": 3}, {"po": 3}, {"pm": 1, "po": 2}, {})
        for i in range(6)
    ]
    questions += [scenario("t1", {"sm": 5}, {"pm": 2}, {"po": 2})]
    questions += [statement("t2", {"sm": 4, "pm": 1, "po": 1})]
    shares = top_shares(questions, ["pm", "po", "sm"], respondents=6000, seed=5)
    assert all(0.8 <= share <= 1.2 for share in shares.values()), shares


def synthetic_catalogue(role_count: int, question_count: int, seed: int):
    """Roles with very uneven coverage: role i is named with weight i + 1."""
    rng = random.Random(seed)
    roles = [f"role-{i:02d}" for i in range(role_count)]
    weights = [i + 1 for i in range(role_count)]
    questions = []
    for k in range(question_count):
        if k % 3:
            options = [
                {
                    r: rng.randint(1, 5)
                    for r in rng.choices(roles, weights, k=rng.randint(1, 3))
                }
                for _ in range(rng.randint(3, 6))
            ]
            questions.append(scenario(f"q{k}", *options, {}))
        else:
            named = rng.choices(roles, weights, k=rng.randint(1, 3))
            questions.append(statement(f"q{k}", {r: rng.randint(1, 5) for r in named}))
    return questions, roles


def test_synthetic_30_role_catalogue_passes_the_audit_over_10000_respondents():
    from roles.questionnaire.audit import audit
    from roles.questionnaire.results import Questionnaire, RoleInfo

    questions, roles = synthetic_catalogue(30, 60, seed=7)
    coverage = [scoring.coverage(questions, r) for r in roles]
    assert min(coverage) <= 2 and max(coverage) >= 20  # very uneven on purpose
    questionnaire = Questionnaire(
        questions=tuple(questions),
        roles=tuple(RoleInfo(r, r.title(), "") for r in roles),
        hints={},
    )
    report = audit(questionnaire, respondents=10_000, seed=99, reachability=False)
    assert sum(r.top_count for r in report.roles) == 10_000
    assert all(0.8 <= r.ratio <= 1.2 for r in report.roles), [
        (r.slug, r.ratio) for r in report.roles
    ]
    assert report.unfair == []
    assert len(report.pairs) == 5
    assert all(p.separators for p in report.pairs)


role_names = st.sampled_from(["a", "b", "c", "d"])


@st.composite
def uneven_catalogues(draw):
    """Questionnaires in which some roles are named far more often than others."""
    roles = ["a", "b", "c", "d"]
    questions = []
    for i in range(draw(st.integers(6, 14))):
        options = draw(
            st.lists(
                st.dictionaries(role_names, st.integers(1, 5), min_size=1, max_size=2),
                min_size=3,
                max_size=5,
            )
        )
        questions.append(scenario(f"q{i}", *options))
    for role in roles:  # every role can be moved by some question
        questions.append(statement(f"s-{role}", {role: draw(st.integers(1, 5))}))
    return questions, roles


@settings(max_examples=12, deadline=None)
@given(uneven_catalogues())
def test_property_no_role_is_favoured_by_coverage_alone(data):
    questions, roles = data
    shares = top_shares(questions, roles, respondents=4000, seed=11)
    assert all(0.75 <= share <= 1.25 for share in shares.values()), (
        shares,
        {r: scoring.coverage(questions, r) for r in roles},
    )


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


FAST = {"sample": 300}


@settings(deadline=None)
@given(questionnaires())
def test_property_matches_are_0_to_100_and_ranking_follows_z(data):
    questions, answers = data
    norm = scoring.build_norm(questions, ROLES, **FAST)
    result = scoring.score(questions, answers, ROLES, norm)
    assert sorted(r.role for r in result) == sorted(ROLES)
    for row in result:
        assert 0 <= row.match <= 100
        assert row.score <= scoring.best_attainable(questions, row.role) + 1e-9
    for higher, lower in itertools.pairwise(result):
        assert higher.z >= lower.z
        assert higher.match >= lower.match
        assert higher.rank <= lower.rank
        assert (higher.rank == lower.rank) == (higher.match == lower.match)


@settings(deadline=None)
@given(questionnaires())
def test_property_a_higher_raw_score_never_lowers_a_roles_z(data):
    questions, _ = data
    norm = scoring.build_norm(questions, ROLES, **FAST)
    for role in ROLES:
        values = [v / 2 for v in norm.roles[role].values]
        zs = [norm.z(role, v) for v in values]
        assert zs == sorted(zs)


@settings(deadline=None)
@given(questionnaires())
def test_property_same_input_same_output(data):
    questions, answers = data
    norm = scoring.build_norm(questions, ROLES, **FAST)
    assert norm == scoring.build_norm(questions, ROLES, **FAST)
    assert scoring.score(questions, answers, ROLES, norm) == scoring.score(
        questions, dict(reversed(list(answers.items()))), ROLES, norm
    )


def naive_percentile(questions, role, raw) -> float:
    """The null distribution by brute force over every answer set: the oracle
    for the convolution. Mid-percentile: P(below) + P(equal) / 2."""
    below = equal = total = 0
    for combo in itertools.product(*(q.answer_values for q in questions)):
        answers = dict(zip((q.key for q in questions), combo, strict=True))
        value = sum(scoring.contribution(q, answers[q.key], role) for q in questions)
        total += 1
        below += value < raw - 1e-9
        equal += abs(value - raw) <= 1e-9
    return (below + equal / 2) / total


@settings(deadline=None, max_examples=40)
@given(questionnaires())
def test_property_normalisation_matches_brute_force_percentiles(data):
    questions, answers = data
    questions = questions[:4]  # brute force stays small
    answers = {q.key: answers[q.key] for q in questions}
    norm = scoring.build_norm(questions, ROLES, sample=0)  # no offsets
    for role in ROLES:
        if not scoring.coverage(questions, role):
            continue
        raw = sum(scoring.contribution(q, answers[q.key], role) for q in questions)
        expected = scoring._NORMAL.inv_cdf(naive_percentile(questions, role, raw))
        assert norm.z(role, raw) == pytest.approx(expected, abs=1e-6)


def test_equal_z_on_a_rounding_boundary_never_ranks_a_lower_match_first():
    """Found by Hypothesis: two z values equal but for float noise, either side
    of a match's rounding boundary, were ordered by the tie-break."""
    z = scoring._NORMAL.inv_cdf(0.875)
    rows = [("a", 1.0, z - 1e-12, ()), ("b", 1.0, z + 1e-12, ())]
    for tie_break in (lambda r: 0 if r == "a" else 1, lambda r: 1 if r == "a" else 0):
        ranked = scoring.rank(rows, tie_break=tie_break)
        assert ranked[0].match >= ranked[1].match
        assert ranked[0].tied and ranked[1].tied


def test_calibration_grows_with_the_roles_within_a_fixed_budget():
    from roles.questionnaire.scoring import CALIBRATION_BUDGET, calibration_sample

    assert calibration_sample(10) == 10_000
    assert calibration_sample(16) == 16_000  # the seeded questionnaire: unchanged
    big = calibration_sample(200)
    assert big == max(10_000, CALIBRATION_BUDGET // 200) < 200 * 1000
