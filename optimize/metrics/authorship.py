"""Metrics for the optimizers, built from the judges: plain functions `metric(example, pred, trace=None)`.

- `stylometric` (offline default): how close the text is to the user's style, relative to other users.
- `llm-pairwise`: the pairwise LLM judge, the text against the zero-shot baseline's output for the same
  task (`against="zero-shot"`) or against the user's own held-out text (`against="reference"`).
- `blend`: a weighted mean of the two.

Each returns a float in [0, 1]; with a `trace` (bootstrapping) a bool, score >= threshold. `metric.gepa`
is the GEPA form, returning `dspy.Prediction(score, feedback)` with the stylometric judge's explanation
of the furthest features as feedback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dspy

from hyperalign.core.errors import InputError

METRICS = ("stylometric", "llm-pairwise", "blend")
PAIRWISE_AGAINST = ("zero-shot", "reference")
# Under bootstrapping a demo is kept only if its score clears this: for the pairwise judge that means a
# win (both orders agree), for the others a better-than-even closeness.
DEFAULT_THRESHOLDS = {"stylometric": 0.5, "llm-pairwise": 1.0, "blend": 0.6}


def make_metric(
    name: str,
    *,
    background: list[list[str]],
    judge_lm: str | dspy.BaseLM | None = None,
    against: str = "zero-shot",
    weight: float = 0.5,
    threshold: float | None = None,
) -> Callable[..., float | bool]:
    """The metric `name` (`stylometric`, `llm-pairwise`, `blend`).

    `background` holds other users' sample texts, one list per user (the user's own list, if present,
    is left out per example). `judge_lm` is the pairwise judge's LM (None: the context's LM).
    `weight` is the stylometric share of `blend`.
    """
    if name not in METRICS:
        raise InputError(f"unknown metric {name!r} (known: {', '.join(METRICS)})")
    if against not in PAIRWISE_AGAINST:
        raise InputError(f"the pairwise metric compares against {' or '.join(PAIRWISE_AGAINST)}, not {against!r}")
    if not 0.0 <= weight <= 1.0:
        raise InputError(f"blend weight must be between 0 and 1 (got {weight})")
    threshold = DEFAULT_THRESHOLDS[name] if threshold is None else threshold
    stylometric = _StylometricPart(background)
    pairwise = _PairwisePart(judge_lm, against) if name != "stylometric" else None

    def score_and_feedback(example: dspy.Example, pred: Any) -> tuple[float, str]:
        text = _text_of(pred)
        style_score, feedback = stylometric(example, text)
        if pairwise is None:
            return style_score, feedback
        outcome, pair_score = pairwise(example, text)
        note = f"The pairwise judge's verdict against the {against} text: {outcome}."
        score = pair_score if name == "llm-pairwise" else weight * style_score + (1 - weight) * pair_score
        return score, f"{note} {feedback}".strip()

    def metric(example: dspy.Example, pred: Any, trace: Any = None) -> float | bool:
        score, _ = score_and_feedback(example, pred)
        return score >= threshold if trace is not None else score

    def gepa(gold: dspy.Example, pred: Any, trace: Any = None, pred_name: str | None = None, pred_trace: Any = None) -> dspy.Prediction:
        score, feedback = score_and_feedback(gold, pred)
        return dspy.Prediction(score=score, feedback=feedback)

    metric.gepa = gepa
    metric.__name__ = f"{name}_metric"
    metric.threshold = threshold
    return metric


def _text_of(pred: Any) -> str:
    text = pred.get("text", "") if isinstance(pred, dict) else getattr(pred, "text", "")
    return text if isinstance(text, str) else str(text or "")


class _StylometricPart:
    """The stylometric judge with the background fixed and the example's own user left out."""

    def __init__(self, background: list[list[str]]):
        self.background = [list(texts) for texts in background if texts]

    def __call__(self, example: dspy.Example, text: str) -> tuple[float, str]:
        if not text.strip():
            return 0.0, "The text is empty: write the requested text."
        from hyperalign.optimize.stylometry import stylometric_score

        own = set(example.samples)
        others = [texts for texts in self.background if not own.issuperset(texts)]
        result = stylometric_score(list(example.samples), text, others)
        return float(result.score), str(result.feedback)


class _PairwisePart:
    """The pairwise judge against a fixed opponent: the zero-shot output (generated once per task) or
    the held-out reference."""

    def __init__(self, judge_lm: str | dspy.BaseLM | None, against: str):
        from hyperalign.optimize.judges import PairwiseStyleJudge

        self.judge = PairwiseStyleJudge(lm=judge_lm)
        self.against = against
        self._zero_shot: dict[str, str] = {}

    def opponent(self, example: dspy.Example) -> str:
        if self.against == "reference":
            return example.reference
        if example.task not in self._zero_shot:
            from hyperalign.programs import ZeroShot

            self._zero_shot[example.task] = ZeroShot()(samples=example.samples, task=example.task).text
        return self._zero_shot[example.task]

    def __call__(self, example: dspy.Example, text: str) -> tuple[str, float]:
        if not text.strip():
            return "loss", 0.0
        verdict = self.judge(samples=example.samples, task=example.task, candidate=text, other=self.opponent(example))
        return verdict.outcome, verdict.score
