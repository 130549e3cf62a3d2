"""The per-turn ALOE judge: one reply in context, scored 1-5 for style, content and quality."""

from __future__ import annotations

import dspy

from hyperalign.signatures.judging import JudgeReply

ASPECTS = ("style", "content", "quality")


class TurnJudge(dspy.Module):
    """A reply in context → style, content and quality scores and their mean (`score`, 1–5)."""

    def __init__(self):
        super().__init__()
        self.judge = dspy.Predict(JudgeReply)

    def forward(self, profile: str, personality: str, conversation: list[str], reply: str) -> dspy.Prediction:
        pred = self.judge(profile=profile, personality=personality, conversation=list(conversation), reply=reply)
        scores = {aspect: int(getattr(pred, aspect)) for aspect in ASPECTS}
        return dspy.Prediction(**scores, score=sum(scores.values()) / len(ASPECTS))


