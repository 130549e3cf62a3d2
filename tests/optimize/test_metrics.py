"""The optimizer metrics: float in [0, 1] without a trace, bool under bootstrapping, the GEPA form with
the stylometric judge's feedback. The pairwise judge's answers are scripted with DummyLM; the
stylometric judge is the real one on the bundled demo e-mails."""

from __future__ import annotations

import dspy
import pytest
from dspy.utils import DummyLM

from hyperalign.core.errors import InputError
from hyperalign.data import load_users, to_examples
from hyperalign.optimize.metrics.authorship import make_metric


@pytest.fixture(scope="module")
def users():
    return load_users("email")


@pytest.fixture(scope="module")
def background(users):
    return [list(u.samples) for u in users]


@pytest.fixture(scope="module")
def example(users):
    return to_examples(users[:1])[0]


def scripted(*answers: dict) -> DummyLM:
    return DummyLM(list(answers), adapter=dspy.JSONAdapter())


def test_stylometric_metric_forms(example, background, users):
    metric = make_metric("stylometric", background=background)
    own = dspy.Prediction(text=example.reference)
    score = metric(example, own)
    assert isinstance(score, float) and 0.0 <= score <= 1.0
    assert metric(example, own, trace=[]) is (score >= metric.threshold)
    gepa = metric.gepa(example, own, None, "generation.write", None)
    assert gepa.score == score and isinstance(gepa.feedback, str) and gepa.feedback.strip()
    # Another user's text in a clearly different style scores lower than the user's own held-out text.
    stranger = next(u for u in users if u.id != example.user_id)
    scores = [metric(example, dspy.Prediction(text=item.reference)) for item in stranger.held_out]
    assert min(scores) < score


def test_empty_text_scores_zero_with_feedback(example, background):
    metric = make_metric("stylometric", background=background)
    assert metric(example, dspy.Prediction(text="")) == 0.0
    assert metric(example, dspy.Prediction(text="  "), trace=[]) is False
    assert "empty" in metric.gepa(example, dspy.Prediction(text="")).feedback


@pytest.mark.parametrize(("answers", "score", "passes"), [(["A", "B"], 1.0, True), (["A", "A"], 0.5, False),
                                                         (["B", "A"], 0.0, False), (["A", "neither"], 0.0, False)])
def test_pairwise_metric_against_the_reference(example, background, answers, score, passes):
    metric = make_metric("llm-pairwise", background=background, against="reference")
    pred = dspy.Prediction(text="Exec sync moves to Fri 9:00.\n\nD.")
    lm = scripted(*({"more_likely": a} for a in answers))
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        assert metric(example, pred) == score
    with dspy.context(lm=scripted(*({"more_likely": a} for a in answers)), adapter=dspy.JSONAdapter()):
        assert metric(example, pred, trace=[]) is passes
    # The reference is the other text the judge saw.
    assert example.reference in lm.history[0]["messages"][-1]["content"]


def test_pairwise_judge_failure_is_reported_in_feedback(example, background):
    metric = make_metric("llm-pairwise", background=background, against="reference")
    with dspy.context(lm=scripted({"more_likely": "A"}, {"more_likely": "C"}), adapter=dspy.JSONAdapter()):
        result = metric.gepa(example, dspy.Prediction(text="Exec sync moves to Fri.\n\nD."))
    assert result.score == 0.0
    assert "failure" in result.feedback


def test_pairwise_metric_against_zero_shot_generates_the_opponent_once_per_task(example, background):
    metric = make_metric("llm-pairwise", background=background)  # against the zero-shot output
    lm = scripted({"text": "Dear team, the meeting is moved."}, {"more_likely": "A"}, {"more_likely": "B"},
                  {"more_likely": "B"}, {"more_likely": "A"})
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        assert metric(example, dspy.Prediction(text="Sync moves to Fri.\n\nD.")) == 1.0
        assert metric(example, dspy.Prediction(text="Hello all, a change of plan.")) == 0.0
    assert len(lm.history) == 5  # one zero-shot generation, then two judgements of two calls each
    assert "Dear team, the meeting is moved." in lm.history[1]["messages"][-1]["content"]


def test_blend_weights_the_stylometric_and_pairwise_scores(example, background):
    pred = dspy.Prediction(text="Exec sync moves to Fri 9:00. Bring Q3.\n\nD.")
    style = make_metric("stylometric", background=background)(example, pred)
    blend = make_metric("blend", background=background, against="reference", weight=0.25)
    with dspy.context(lm=scripted({"more_likely": "A"}, {"more_likely": "B"}), adapter=dspy.JSONAdapter()):
        result = blend.gepa(example, pred)
    assert result.score == pytest.approx(0.25 * style + 0.75 * 1.0)
    assert "win" in result.feedback


def test_the_pairwise_metric_uses_its_own_judge_lm(example, background):
    judge_lm = DummyLM([{"more_likely": "B"}, {"more_likely": "A"}])
    metric = make_metric("llm-pairwise", background=background, against="reference", judge_lm=judge_lm)
    with dspy.context(lm=DummyLM([])):
        assert metric(example, dspy.Prediction(text="Sync moves.\n\nD.")) == 0.0
    assert len(judge_lm.history) == 2


def test_bad_metric_settings_are_input_errors(background):
    with pytest.raises(InputError, match="unknown metric 'bleu'"):
        make_metric("bleu", background=background)
    with pytest.raises(InputError, match="zero-shot or reference"):
        make_metric("llm-pairwise", background=background, against="few-shot")
    with pytest.raises(InputError, match="between 0 and 1"):
        make_metric("blend", background=background, weight=1.5)
