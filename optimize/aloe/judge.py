"""The per-turn ALOE judge (a module) and the metric built on it (a plain function)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import dspy

Score = Literal[1, 2, 3, 4, 5]
ASPECTS = ("style", "content", "quality")


class JudgeReply(dspy.Signature):
    """Judge one reply an AI assistant wrote to a person, whose profile and personality you know
    (the assistant did not). Score 1 (poor) to 5 (excellent): style — does the reply's tone and
    manner fit the personality; content — does it fit the person's profile, interests and
    circumstances as revealed so far; quality — is it human-like, engaging and concise."""

    profile: str = dspy.InputField(desc="who the person is")
    personality: str = dspy.InputField(desc="how the person thinks and talks")
    conversation: list[str] = dspy.InputField(desc="the conversation up to the person's latest message, oldest first")
    reply: str = dspy.InputField(desc="the assistant's reply to judge")
    style: Score = dspy.OutputField(desc="fit to the personality, 1-5")
    content: Score = dspy.OutputField(desc="fit to the profile, 1-5")
    quality: Score = dspy.OutputField(desc="human-like, engaging and concise, 1-5")


class TurnJudge(dspy.Module):
    """A reply in context → style, content and quality scores and their mean (`score`, 1–5)."""

    def __init__(self):
        super().__init__()
        self.judge = dspy.Predict(JudgeReply)

    def forward(self, profile: str, personality: str, conversation: list[str], reply: str) -> dspy.Prediction:
        pred = self.judge(profile=profile, personality=personality, conversation=list(conversation), reply=reply)
        scores = {aspect: int(getattr(pred, aspect)) for aspect in ASPECTS}
        return dspy.Prediction(**scores, score=sum(scores.values()) / len(ASPECTS))


def to_unit(score: float) -> float:
    """A 1–5 score on 0–1, the scale DSPy optimizers expect."""
    return (score - 1.0) / 4.0


def make_turn_metric(judge_lm: dspy.BaseLM | str | None = None, threshold: float = 4.0) -> Callable:
    """The compile metric: the judge's mean score of the program's reply, on 0–1; under a trace
    (bootstrapping) a pass when the 1–5 score reaches `threshold`. The judge runs on `judge_lm`,
    else the current LM."""
    from hyperalign.lm import as_lm

    judge = TurnJudge()
    judge_lm = as_lm(judge_lm) if judge_lm is not None else None

    def turn_score(example: dspy.Example, pred: dspy.Prediction, trace=None) -> float | bool:
        from hyperalign.lm import lm_context
        from hyperalign.programs.conversation_state import transcript

        conversation = transcript(pred.state)[:-1]  # up to and including the user's message
        if judge_lm is None:
            result = judge(profile=example.profile, personality=example.personality, conversation=conversation, reply=pred.reply)
        else:
            with lm_context(judge_lm):
                result = judge(profile=example.profile, personality=example.personality, conversation=conversation, reply=pred.reply)
        return result.score >= threshold if trace is not None else to_unit(result.score)

    return turn_score
