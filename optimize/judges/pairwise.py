"""Pairwise LLM judge: which of two texts did this user more likely write, asked in both orders.

LLM judges prefer a position; asking twice with the candidates swapped and counting a win only when
both answers agree removes that bias (a split is a tie). An answer that cannot be parsed is a judge
failure: reported as such, never scored as a win.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import dspy
from dspy.utils.exceptions import AdapterParseError

from hyperalign.core.lm import lm_context
from hyperalign.programs.inputs import clean_samples, fit_texts
from hyperalign.signatures.judging import JudgeAuthorship

Outcome = Literal["win", "tie", "loss", "failure"]
OUTCOME_SCORES: dict[str, float] = {"win": 1.0, "tie": 0.5, "loss": 0.0, "failure": 0.0}
# What the judge sees of the user's texts: enough to show the style, small enough for small contexts.
MAX_SAMPLES, MAX_SAMPLE_CHARS = 5, 1200


@dataclass(frozen=True)
class PairwiseVerdict:
    """The answer in each order ('A', 'B' or None when unparseable) and the combined outcome."""

    candidate_first: str | None  # candidate shown as A
    candidate_second: str | None  # candidate shown as B

    @property
    def outcome(self) -> Outcome:
        return combine_orders(self.candidate_first, self.candidate_second)


def combine_orders(candidate_as_a: str | None, candidate_as_b: str | None) -> Outcome:
    """Outcome for the candidate from the judge's answers with the candidate shown as A, then as B."""
    if candidate_as_a is None or candidate_as_b is None:
        return "failure"
    if candidate_as_a == "A" and candidate_as_b == "B":
        return "win"
    if candidate_as_a == "B" and candidate_as_b == "A":
        return "loss"
    return "tie"


class PairwiseStyleJudge(dspy.Module):
    """samples + task + candidate + other → did the user more likely write the candidate (both orders)."""

    def __init__(self, lm: str | dspy.BaseLM | None = None):
        super().__init__()
        self.judge = dspy.Predict(JudgeAuthorship)
        self.lm = lm  # the judge LM may differ from the task LM; None = the context's LM

    def forward(self, samples: list[str], task: str, candidate: str, other: str) -> dspy.Prediction:
        shown = fit_texts(clean_samples(samples), MAX_SAMPLES, MAX_SAMPLE_CHARS)
        if self.lm is None:
            verdict = self._both_orders(shown, task, candidate, other)
        else:
            with lm_context(self.lm):
                verdict = self._both_orders(shown, task, candidate, other)
        return dspy.Prediction(
            outcome=verdict.outcome,
            score=OUTCOME_SCORES[verdict.outcome],
            candidate_first=verdict.candidate_first,
            candidate_second=verdict.candidate_second,
        )

    def _both_orders(self, samples: list[str], task: str, candidate: str, other: str) -> PairwiseVerdict:
        return PairwiseVerdict(
            candidate_first=self._ask(samples, task, candidate, other),
            candidate_second=self._ask(samples, task, other, candidate),
        )

    def _ask(self, samples: list[str], task: str, a: str, b: str) -> str | None:
        try:
            answer = self.judge(samples=samples, task=task, candidate_a=a, candidate_b=b).more_likely
        except AdapterParseError:
            return None
        answer = str(answer).strip().upper()
        return answer if answer in ("A", "B") else None
