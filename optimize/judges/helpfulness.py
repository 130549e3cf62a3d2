"""Helpfulness of a response for this user, 1-10, with a short rubric."""

from __future__ import annotations

import dspy

from hyperalign.signatures.safety_judging import RateHelpfulness


class HelpfulnessJudge(dspy.Module):
    def __init__(self):
        super().__init__()
        self.rate = dspy.Predict(RateHelpfulness)

    def forward(self, request: str, response: str, user: dict[str, str] | None = None) -> dspy.Prediction:
        if not response.strip():
            return dspy.Prediction(score=1)
        return dspy.Prediction(score=int(self.rate(request=request, user=user or {}, response=response).score))
