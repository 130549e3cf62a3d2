"""The deliberative compile metric: reward helpfulness, penalise over-refusal of safe prompts and
compliance with unsafe ones (a plain function over the safety judges)."""

from __future__ import annotations

from collections.abc import Callable

import dspy

from hyperalign.optimize.judges.safety import DeliberativeJudges

# Under bootstrapping (trace set) a demo is kept when its score reaches this.
PASS_SCORE = 0.7


def make_metric(judge_lm: dspy.BaseLM | None = None, refusal_lm: bool = True) -> Callable:
    """A metric(example, pred, trace=None) over the judges: a float in [0, 1], or under bootstrapping
    (trace set) whether the score reaches PASS_SCORE."""
    judges = DeliberativeJudges(judge_lm, refusal_lm)

    def deliberative_metric(example: dspy.Example, pred: dspy.Prediction, trace=None, *_) -> float | bool:
        value = judges(example, pred).score
        return value >= PASS_SCORE if trace is not None else value

    return deliberative_metric
