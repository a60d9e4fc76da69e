"""The adaptive flow's core (roles/questionnaire/adaptive.py) on the seeded
questionnaire and on small hand-made ones. Pure: no database."""

import math
import random

import pytest

from roles.questionnaire import adaptive, scoring
from tests.test_quiz_model import seeded_questionnaire


@pytest.fixture(scope="module")
def seeded():
    return seeded_questionnaire()


def test_full_answers_give_the_full_questionnaires_posterior(seeded):
    answers = scoring.random_answers(seeded.questions, random.Random(5))
    full = {r.role: r.probability for r in seeded.score(answers)}
    flow = seeded.adaptive.posterior(answers)
    for role, p in full.items():
        assert flow[role] == pytest.approx(p, abs=1e-9)


def test_partial_score_uses_only_the_answered_questions(seeded):
    answers = scoring.ideal_answers(seeded.questions, "delivery-manager")
    some = dict(list(answers.items())[:5])
    ranking = adaptive.score(seeded.questions, some, seeded.role_slugs, seeded.model)
    posterior = seeded.adaptive.posterior(some)
    assert {r.role: r.probability for r in ranking} == pytest.approx(posterior)
    with pytest.raises(scoring.AnswerError):
        seeded.score(some)  # the full scorer still wants every answer


def test_the_next_question_is_the_most_informative_and_deterministic(seeded):
    flow = seeded.adaptive
    first = flow.next_question({})
    prior = flow.posterior({})
    gains = {q.key: flow.gain(q, prior) for q in seeded.questions}
    assert gains[first.key] == max(gains.values())
    assert flow.next_question({}) == first
    # Later questions follow the answers: two opposite respondents diverge.
    pm = scoring.ideal_answers(seeded.questions, "product-manager")
    sm = scoring.ideal_answers(seeded.questions, "scrum-master")
    asked_pm = flow.run(lambda q: pm[q.key])
    asked_sm = flow.run(lambda q: sm[q.key])
    assert list(asked_pm) != list(asked_sm)


def test_a_question_that_moves_no_one_gains_nothing():
    flat = scoring.QuestionSpec(
        "flat", scoring.SCENARIO, "Flat?", (scoring.OptionSpec("a", {}),) * 2
    )
    sharp = scoring.QuestionSpec(
        "sharp",
        scoring.SCENARIO,
        "Sharp?",
        (scoring.OptionSpec("a", {"x": 4}), scoring.OptionSpec("b", {"y": 4})),
    )
    questions = (flat, sharp)
    model = scoring.build_model(questions, ["x", "y"], per_role=20, random_sample=200)
    flow = adaptive.Adaptive.build(questions, model)
    prior = flow.posterior({})
    assert flow.gain(flat, prior) == pytest.approx(0.0, abs=1e-12)
    assert flow.gain(sharp, prior) > 0.1
    assert flow.next_question({}).key == "sharp"


def test_the_flow_stops_within_its_bounds_and_more_goes_on(seeded):
    flow = seeded.adaptive
    rng = random.Random(11)
    for _ in range(30):
        answers = scoring.random_answers(seeded.questions, rng)
        asked = flow.run(lambda q, a=answers: a[q.key])
        assert adaptive.MIN_QUESTIONS <= len(asked) <= adaptive.MAX_QUESTIONS
        assert flow.next_question(asked) is None
        extra = flow.next_question(asked, more=True)
        assert extra is not None and extra.key not in asked
    every = dict.fromkeys(q.key for q in seeded.questions)
    assert flow.next_question(every, more=True) is None


def test_the_flow_stops_on_its_own_only_at_a_clear_match(seeded):
    """A stop before the cap, with questions left that could still tell, is
    the flow saying "settled": the result must then be a clear match. It
    settled at 97 % while a clear match needs the fitted threshold (98 %), so
    a quarter of role-like respondents were told "No clear match ... stopped
    asking before your answers settled the result" at 97 %."""
    flow, model = seeded.adaptive, seeded.model
    rng = random.Random(7)
    people = adaptive.simulated_population(flow, 6, seed=7)
    people += [scoring.random_answers(seeded.questions, rng) for _ in range(60)]
    stopped_early = 0
    for answers in people:
        asked = flow.run_known(answers)
        posterior = flow.posterior(asked)
        if len(asked) >= adaptive.MAX_QUESTIONS:
            continue
        if max(posterior.values()) < adaptive.SETTLE:
            continue  # stopped as nothing left could tell: no "settled" claimed
        stopped_early += 1
        ranking = adaptive.score(seeded.questions, asked, seeded.role_slugs, model)
        assert scoring.verdict(ranking, model.clear) == scoring.Verdict.CLEAR, (
            max(posterior.values()),
            model.clear,
        )
    assert stopped_early > len(people) // 3  # the rule was exercised


def test_an_ideal_respondent_is_settled_early_on_their_own_role(seeded):
    flow = seeded.adaptive
    for role in seeded.role_slugs:
        ideal = scoring.ideal_answers(seeded.questions, role)
        asked = flow.run(lambda q, a=ideal: a[q.key])
        posterior = flow.posterior(asked)
        assert max(posterior, key=posterior.get) == role
        assert len(asked) <= 12, (role, len(asked))


def test_agreement_counts_the_same_leading_role(seeded):
    flow = seeded.adaptive
    population = adaptive.simulated_population(flow, 2, seed=3)
    result = adaptive.agreement(flow, population)
    assert result.respondents == 2 * len(flow.roles)
    assert 0 <= result.agreement <= 1
    assert adaptive.MIN_QUESTIONS <= result.mean_questions <= adaptive.MAX_QUESTIONS
    assert adaptive.agreement(flow, []) == adaptive.Agreement(0, 0.0, 1.0)


def test_model_for_a_subset_keeps_temperatures_and_threshold(seeded):
    model = seeded.model
    sub = model.for_questions(seeded.questions[:3])
    assert sub.beta == model.beta and sub.clear == model.clear
    assert all(
        sub.log_z[r] < model.log_z[r] or math.isinf(sub.log_z[r]) for r in model.roles
    )


def _reference_gain(flow, question, posterior):
    """Entropy before less the expected entropy after, straight from the
    definition (the flow computes it as a mutual information)."""

    def entropy(p):
        return -sum(x * math.log(x) for x in p if x > 0)

    roles = flow.roles
    expected = 0.0
    for index in range(len(question.answer_values)):
        joint = [
            posterior[r] * math.exp(flow.log_probs[question.key][r][index])
            for r in roles
        ]
        mass = sum(joint)
        if mass > 0:
            expected += mass * entropy([j / mass for j in joint])
    return entropy([posterior[r] for r in roles]) - expected


def test_gain_is_the_expected_fall_in_entropy(seeded):
    flow = seeded.adaptive
    rng = random.Random(8)
    for _ in range(5):
        answers = scoring.random_answers(seeded.questions, rng)
        some = dict(rng.sample(sorted(answers.items()), rng.randint(0, 12)))
        posterior = flow.posterior(some)
        for q in seeded.questions:
            assert flow.gain(q, posterior) == pytest.approx(
                _reference_gain(flow, q, posterior), abs=1e-9
            )


def _reference_choice(flow, answers):
    """The next question by the definition: each unanswered question's gain
    from :func:`_reference_gain`, the first clearly best in questionnaire
    order."""
    posterior = flow.posterior(answers)
    best, best_gain = None, -math.inf
    for q in flow.questions:
        if q.key in answers:
            continue
        g = _reference_gain(flow, q, posterior)
        if g > best_gain + 1e-12:
            best, best_gain = q, g
    return best


@pytest.mark.parametrize("wide", [False, True])
def test_the_question_chosen_is_the_one_the_definition_chooses(seeded, wide):
    """The gains are weighed for every question at once (numpy): the choice
    is the one weighing them one by one from the definition makes, at the
    seeded size and at the benchmark's width."""
    flow = _wide_flow(roles=120, questions=20) if wide else seeded.adaptive
    rng = random.Random(12)
    for _ in range(12):
        answers = scoring.random_answers(flow.questions, rng)
        some = dict(rng.sample(sorted(answers.items()), rng.randint(0, 12)))
        assert flow.next_question(some, more=True) == _reference_choice(flow, some)


def _wide_flow(roles: int, questions: int, seed: int = 4) -> adaptive.Adaptive:
    """A questionnaire the size of the benchmark's synthetic catalogue: many
    roles, each question moving a handful of them (no model fit needed: the
    likelihoods are the points' softmax)."""
    rng = random.Random(seed)
    slugs = tuple(f"role-{i:03d}" for i in range(roles))
    specs = []
    for k in range(questions):
        options = tuple(
            scoring.OptionSpec(
                f"Option {o}", {r: rng.randint(1, 5) for r in rng.sample(slugs, 10)}
            )
            for o in range(4)
        )
        specs.append(scoring.QuestionSpec(f"q{k}", scoring.SCENARIO, "?", options))
    table = {}
    for q in specs:
        table[q.key] = {}
        for r in slugs:
            logs = [q.points_for(a).get(r, 0.0) for a in q.answer_values]
            norm = math.log(sum(math.exp(v) for v in logs))
            table[q.key][r] = tuple(v - norm for v in logs)
    return adaptive.Adaptive(slugs, tuple(specs), table)


def test_a_limited_population_stays_spread_over_the_roles():
    flow = _wide_flow(roles=40, questions=3)
    full = adaptive.simulated_population(flow, 8, seed=1)
    assert len(full) == 8 * 40
    assert adaptive.simulated_population(flow, 8, seed=1, limit=1000) == full
    assert len(adaptive.simulated_population(flow, 8, seed=1, limit=100)) == 2 * 40
    few = adaptive.simulated_population(flow, 8, seed=1, limit=25)
    assert len(few) == 25
    assert few == adaptive.simulated_population(flow, 8, seed=1, limit=25)


def test_typical_length_costs_the_same_with_200_roles(monkeypatch):
    """Regression: the typical length simulated 8 respondents per role, each
    step costing questions × answers × roles — 20 minutes after each save at
    the benchmark's 200 roles. Its work is now bounded whatever the size."""
    from roles.questionnaire import results

    flow = _wide_flow(roles=200, questions=12)
    questionnaire = results.Questionnaire(
        questions=flow.questions,
        roles=tuple(results.RoleInfo(r, r, "") for r in flow.roles),
        hints={},
    )
    questionnaire.__dict__["adaptive"] = flow  # skip the model fit
    runs = []
    real = adaptive.Adaptive.run_known
    monkeypatch.setattr(
        adaptive.Adaptive,
        "run_known",
        lambda self, answers: runs.append(1) or real(self, answers),
    )
    length = results.typical_length(questionnaire, per_role=8)
    assert len(runs) == results.LENGTH_RESPONDENTS
    assert adaptive.MIN_QUESTIONS <= length.questions <= len(flow.questions)


def test_a_pickled_flow_leaves_its_derived_table_behind(seeded):
    import pickle

    flow = seeded.adaptive
    prior = flow.posterior({})
    before = flow.gain(seeded.questions[0], prior)  # builds the table
    copy = pickle.loads(pickle.dumps(flow))
    assert "_matrices" in flow.__dict__
    assert "_matrices" not in copy.__dict__
    assert copy.gain(seeded.questions[0], prior) == before


def test_a_question_without_answers_weighs_nothing_and_breaks_no_other():
    """Every question's gains are summed at once: one with no answers at all
    (a scenario whose options were all withdrawn) gains nothing, wherever it
    stands, and the others keep theirs."""
    wide = _wide_flow(roles=12, questions=3)
    empty = scoring.QuestionSpec("empty", scoring.SCENARIO, "?", ())
    for position in (0, 1, 3):
        questions = list(wide.questions)
        questions.insert(position, empty)
        table = {**wide.log_probs, "empty": dict.fromkeys(wide.roles, ())}
        flow = adaptive.Adaptive(wide.roles, tuple(questions), table)
        posterior = flow.posterior({})
        gains = flow.gains(posterior)
        assert len(gains) == 4
        assert gains[position] == 0.0
        for q in wide.questions:
            assert flow.gain(q, posterior) == pytest.approx(
                _reference_gain(wide, q, posterior), abs=1e-12
            )
