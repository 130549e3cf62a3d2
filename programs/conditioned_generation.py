"""Step 2 of HyPerAlign: write for a task conditioned on the hypotheses and attributes."""

from __future__ import annotations

import dspy

from hyperalign.programs.inputs import clean_attributes, clean_task
from hyperalign.signatures.generation import WriteAsUser


class ConditionedGeneration(dspy.Module):
    """Task + hypotheses + attributes → text. Ungrounded hypotheses are left out unless asked for."""

    def __init__(self, signature: type[dspy.Signature] = WriteAsUser, use_ungrounded: bool = False):
        super().__init__()
        self.write = dspy.Predict(signature)
        self.use_ungrounded = use_ungrounded

    def forward(self, task: str, hypotheses: list[dict], attributes: dict[str, str] | None = None) -> dspy.Prediction:
        statements = [h["statement"] for h in hypotheses if h.get("grounded", True) or self.use_ungrounded]
        pred = self.write(task=clean_task(task), hypotheses=statements, attributes=clean_attributes(attributes))
        return dspy.Prediction(text=pred.text.strip(), used_hypotheses=statements)
