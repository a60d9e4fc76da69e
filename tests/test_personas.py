"""The blind-persona figures (roles/questionnaire/personas.py) on a small
hand-made questionnaire. Pure: no database."""

import pytest

from roles.questionnaire import adaptive, personas, scoring


def _questionnaire():
    questions = tuple(
        scoring.QuestionSpec(
            f"q{i}",
            scoring.SCENARIO,
            f"Question {i}?",
            (
                scoring.OptionSpec("x", {"x": 4}),
                scoring.OptionSpec("y", {"y": 4}),
                scoring.OptionSpec("z", {"z": 4}),
                scoring.OptionSpec("none", {}),
            ),
        )
        for i in range(12)
    )
    model = scoring.build_model(
        questions, ["x", "y", "z"], per_role=30, random_sample=600
    )
    return adaptive.Adaptive.build(questions, model)


@pytest.fixture(scope="module")
def flow():
    return _questionnaire()


def _persona(pid, role, answer, count=12):
    return personas.Persona(pid, role, "", {f"q{i}": answer for i in range(count)})


def test_parse_reads_the_fixture_shape():
    data = {
        "personas": [
            {"id": "x-1", "role": "x", "description": "d", "answers": {"q0": 1}},
            {"id": "y-1", "role": "y", "answers": None},
        ]
    }
    parsed = personas.parse(data)
    assert parsed[0] == personas.Persona("x-1", "x", "d", {"q0": 1})
    assert parsed[1].answers == {}
    assert personas.parse({}) == []


def test_consistent_personas_score_first_and_survive_noise(flow):
    group = [_persona("x-1", "x", 0), _persona("y-1", "y", 1), _persona("z-1", "z", 2)]
    figures = personas.evaluate(flow, group, trials=20)
    assert figures.count == 3 and figures.top1 == 3 and figures.misses == ()
    assert figures.noisy_top1 >= 0.9
    assert set(figures.noisy_by_role) == {"x", "y", "z"}
    assert figures.adaptive_agreement == 1.0
    assert adaptive.MIN_QUESTIONS <= figures.adaptive_mean_questions <= 12


def test_a_persona_answering_like_another_role_is_a_miss(flow):
    figures = personas.evaluate(flow, [_persona("x-1", "x", 1)], trials=10)
    assert figures.top1 == 0
    assert figures.misses == (("x-1", "y"),)
    assert figures.noisy_by_role["x"] < 0.2


def test_noise_is_seeded_and_moves_the_figure(flow):
    # Half its answers for x, half "none": noise can tip it either way.
    half = personas.Persona(
        "x-1", "x", "", {f"q{i}": (0 if i < 4 else 3) for i in range(12)}
    )
    one = personas.evaluate(flow, [half], trials=50, noise=0.5, seed=1)
    two = personas.evaluate(flow, [half], trials=50, noise=0.5, seed=1)
    assert one == two
    assert one.top1 == 1 and one.noisy_top1 < 1.0


def test_stale_and_unknown_answers_are_left_out(flow):
    stale = personas.Persona("x-1", "x", "", {"q0": 0, "q1": 9, "gone": 1})
    figures = personas.evaluate(flow, [stale, _persona("w-1", "w", 0)], trials=5)
    assert figures.count == 1 and figures.top1 == 1
    assert figures.unknown == ("w-1",)
