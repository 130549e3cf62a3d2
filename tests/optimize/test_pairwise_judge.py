"""The pairwise judge asks twice with the candidates swapped: agreement → win/loss, a split → tie,
an unparseable answer → judge failure (never a win). DummyLM scripts the judge's answers."""

from __future__ import annotations

import dspy
import pytest
from dspy.utils import DummyLM

from hyperalign.optimize.judges import PairwiseStyleJudge, combine_orders

SAMPLES = ["Moving sync to Fri 9:00. Same room.\n\nD.", "Numbers by noon. No slides.\n\nD."]
TASK = "Write an email to your team moving Thursday's meeting to Friday."
CANDIDATE, OTHER = "Sync moves to Fri. Same room.\n\nD.", "Dear team, I hope this finds you well. I am writing to..."


def judge_with(answers: list[str]) -> tuple[dspy.Prediction, DummyLM]:
    lm = DummyLM([{"more_likely": a} for a in answers], adapter=dspy.JSONAdapter())
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        verdict = PairwiseStyleJudge()(samples=SAMPLES, task=TASK, candidate=CANDIDATE, other=OTHER)
    return verdict, lm


@pytest.mark.parametrize(
    ("answers", "outcome", "score"),
    [
        (["A", "B"], "win", 1.0),  # candidate preferred in both positions
        (["B", "A"], "loss", 0.0),  # the other text preferred in both positions
        (["A", "A"], "tie", 0.5),  # the judge always picks position A: a position bias, not a preference
        (["B", "B"], "tie", 0.5),
    ],
)
def test_both_orders_rule(answers, outcome, score):
    verdict, lm = judge_with(answers)
    assert (verdict.outcome, verdict.score) == (outcome, score)
    assert (verdict.candidate_first, verdict.candidate_second) == tuple(answers)
    assert len(lm.history) == 2


def test_the_candidate_is_shown_in_both_positions():
    _, lm = judge_with(["A", "B"])
    first, second = (entry["messages"][-1]["content"] for entry in lm.history)
    assert first.index(CANDIDATE) < first.index(OTHER)
    assert second.index(OTHER) < second.index(CANDIDATE)
    # The user's texts are shown to the judge in both orders.
    assert all("Numbers by noon. No slides." in text for text in (first, second))


@pytest.mark.parametrize("answers", [["A", "maybe"], ["the first one", "B"], ["", ""]])
def test_unparseable_answer_is_a_judge_failure_never_a_win(answers):
    verdict, _ = judge_with(answers)
    assert verdict.outcome == "failure"
    assert verdict.score == 0.0
    assert None in (verdict.candidate_first, verdict.candidate_second)


def test_the_judge_lm_can_differ_from_the_task_lm():
    task_lm = DummyLM([{"more_likely": "B"}] * 4)
    judge_lm = DummyLM([{"more_likely": "A"}, {"more_likely": "B"}])
    with dspy.context(lm=task_lm):
        verdict = PairwiseStyleJudge(lm=judge_lm)(samples=SAMPLES, task=TASK, candidate=CANDIDATE, other=OTHER)
    assert verdict.outcome == "win"
    assert len(judge_lm.history) == 2 and not task_lm.history


def test_combine_orders_table():
    assert combine_orders("A", "B") == "win"
    assert combine_orders("B", "A") == "loss"
    assert combine_orders("A", "A") == combine_orders("B", "B") == "tie"
    assert combine_orders(None, "B") == combine_orders("A", None) == combine_orders(None, None) == "failure"
