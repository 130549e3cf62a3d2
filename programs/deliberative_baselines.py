"""Baselines for the deliberative program, with its call shape: the LM answering directly, and the LM
deciding under the same specification but knowing nothing about the user."""

from __future__ import annotations

from pathlib import Path

import dspy

from hyperalign.programs.deliberative import SpecState, decide
from hyperalign.programs.inputs import clean_task
from hyperalign.programs.safety_spec import SafetySpec, load_spec
from hyperalign.signatures.deliberation import AnswerDirectly, DecideUnderSpec


class DirectAnswer(dspy.Module):
    """The LM answers the request as it would with no policy and no user. It makes no explicit
    decision (decision=None); the refusal judge reads one off the response."""

    def __init__(self):
        super().__init__()
        self.answer = dspy.Predict(AnswerDirectly)

    def forward(self, samples: list[str], task: str, attributes: dict[str, str] | None = None) -> dspy.Prediction:
        text = self.answer(request=clean_task(task)).response.strip()
        return dspy.Prediction(text=text, hypotheses=[], clauses=[], decision=None, rationale="")


class SpecOnly(SpecState, dspy.Module):
    """Deliberation over the specification with no hypotheses and no attributes."""

    def __init__(self, spec: SafetySpec | str | Path | None = None):
        super().__init__()
        self.spec = load_spec(spec)
        self.deliberate = dspy.Predict(DecideUnderSpec)

    def forward(self, samples: list[str], task: str, attributes: dict[str, str] | None = None) -> dspy.Prediction:
        out = decide(self.deliberate, self.spec, request=clean_task(task))
        return dspy.Prediction(**out, hypotheses=[])
