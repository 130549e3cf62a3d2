"""Metrics for the optimizers, built from the judges: plain functions `metric(example, pred, trace=None)`.

- `authorship` (the default; offline, no LM): the authorship judge, style x originality x fidelity x
  sanity (optimize/judges/authorship.py); with the example's `reference` fidelity also weighs its content.
- `stylometric`: how close the text is to the user's style, relative to other users (style alone: a copy
  of the samples scores 1.0; kept for comparison).
- `llm-pairwise`: the pairwise LLM judge, the text against the zero-shot baseline's output for the same
  task (`against="zero-shot"`) or against the user's own held-out text (`against="reference"`).
- `blend`: a weighted mean of the two.

Each returns a float in [0, 1]; with a `trace` (bootstrapping) a bool, score >= threshold. `metric.gepa`
is the GEPA form, returning `dspy.Prediction(score, feedback)`: for `authorship` the failing parts with
their numbers, then the style gaps; for the others the stylometric judge's furthest features.
`metric.parts(example, pred)` gives the authorship judge's four parts (authorship only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dspy

from hyperalign.core.errors import InputError
from hyperalign.optimize.judges import AuthorshipJudge, PairwiseStyleJudge
from hyperalign.optimize.stylometry import stylometric_score

METRICS = ("authorship", "stylometric", "llm-pairwise", "blend")
PAIRWISE_AGAINST = ("zero-shot", "reference")
# Under bootstrapping a demo is kept only if its score clears this: for the pairwise judge that means a
# win (both orders agree), for the others a better-than-even closeness.
# For `authorship` 0.4: real texts average 0.88 on CMCC and 0.75 on CCAT50 (0.56 counting the articles
# that re-issue a sample), every adversary under 0.12.
DEFAULT_THRESHOLDS = {"authorship": 0.4, "stylometric": 0.5, "llm-pairwise": 1.0, "blend": 0.6}


def make_metric(
    name: str,
    *,
    background: list[list[str]],
    judge_lm: str | dspy.BaseLM | None = None,
    against: str = "zero-shot",
    weight: float = 0.5,
    threshold: float | None = None,
    domain: str | None = None,
    use_reference: bool = True,
) -> Callable[..., float | bool]:
    """The metric `name` (`authorship`, `stylometric`, `llm-pairwise`, `blend`).

    `background` holds other users' sample texts, one list per user (the user's own list, if present,
    is left out per example). `judge_lm` is the pairwise judge's LM (None: the context's LM).
    `weight` is the stylometric share of `blend`. `domain` fixes the stylometric method (news: content
    n-grams; email, essay, blog, demo: topic-free; others: mixed). With `use_reference`, the authorship
    metric's fidelity part also compares the text with the example's `reference` when it has one.
    """
    if name not in METRICS:
        raise InputError(f"unknown metric {name!r} (known: {', '.join(METRICS)})")
    if against not in PAIRWISE_AGAINST:
        raise InputError(f"the pairwise metric compares against {' or '.join(PAIRWISE_AGAINST)}, not {against!r}")
    if not 0.0 <= weight <= 1.0:
        raise InputError(f"blend weight must be between 0 and 1 (got {weight})")
    threshold = DEFAULT_THRESHOLDS[name] if threshold is None else threshold
    stylometric = _StylometricPart(background, domain)
    authorship = _AuthorshipPart(background, domain, use_reference) if name == "authorship" else None
    pairwise = _PairwisePart(judge_lm, against) if name in ("llm-pairwise", "blend") else None

    def score_and_feedback(example: dspy.Example, pred: Any) -> tuple[float, str]:
        text = _text_of(pred)
        if authorship is not None:
            verdict = authorship(example, text)
            return float(verdict.score), str(verdict.feedback)
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

    def parts(example: dspy.Example, pred: Any) -> dict[str, float]:
        if authorship is None:
            raise InputError(f"the {name} metric has no parts; the authorship metric has")
        return dict(authorship(example, _text_of(pred)).parts)

    metric.gepa = gepa
    metric.parts = parts
    metric.__name__ = f"{name}_metric"
    metric.threshold = threshold
    return metric


def _text_of(pred: Any) -> str:
    text = pred.get("text", "") if isinstance(pred, dict) else getattr(pred, "text", "")
    return text if isinstance(text, str) else str(text or "")


def _others(background: list[list[str]], example: dspy.Example) -> list[list[str]]:
    """The background writers other than the example's user (whose samples may be among them)."""
    own = set(example.samples)
    return [texts for texts in background if not own.issuperset(texts)]


class _StylometricPart:
    """The stylometric judge with the background fixed and the example's own user left out."""
    def __init__(self, background: list[list[str]], domain: str | None):
        self.background = [list(texts) for texts in background if texts]
        self.domain = domain

    def __call__(self, example: dspy.Example, text: str) -> tuple[float, str]:
        if not text.strip():
            return 0.0, "The text is empty: write the requested text."

        result = stylometric_score(list(example.samples), text, _others(self.background, example), domain=self.domain)
        return float(result.score), str(result.feedback)


class _AuthorshipPart:
    """The authorship judge with the background fixed and the example's own user left out."""
    def __init__(self, background: list[list[str]], domain: str | None, use_reference: bool):
        self.background = [list(texts) for texts in background if texts]
        self.domain, self.use_reference = domain, use_reference

    def __call__(self, example: dspy.Example, text: str) -> dspy.Prediction:
        reference = example.get("reference") if self.use_reference else None
        judge = AuthorshipJudge(_others(self.background, example), domain=self.domain)
        return judge(samples=list(example.samples), task=example.task, candidate=text, reference=reference or None)


class _PairwisePart:
    """The pairwise judge against a fixed opponent: the zero-shot output (generated once per task) or
    the held-out reference."""
    def __init__(self, judge_lm: str | dspy.BaseLM | None, against: str):
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
