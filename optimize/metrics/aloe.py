"""The ALOE compile metric: the turn judge's score of the program's reply (a plain function)."""

from __future__ import annotations

from collections.abc import Callable

import dspy

from hyperalign.core.lm import as_lm, lm_context
from hyperalign.optimize.judges.turn import TurnJudge
from hyperalign.programs.conversation_state import transcript


def to_unit(score: float) -> float:
    """A 1–5 score on 0–1, the scale DSPy optimizers expect."""
    return (score - 1.0) / 4.0


def make_turn_metric(judge_lm: dspy.BaseLM | str | None = None, threshold: float = 4.0) -> Callable:
    """The compile metric: the judge's mean score of the program's reply, on 0–1; under a trace
    (bootstrapping) a pass when the 1–5 score reaches `threshold`. The judge runs on `judge_lm`,
    else the current LM."""
    judge = TurnJudge()
    judge_lm = as_lm(judge_lm) if judge_lm is not None else None

    def turn_score(example: dspy.Example, pred: dspy.Prediction, trace=None) -> float | bool:
        conversation = transcript(pred.state)[:-1]  # up to and including the user's message
        if judge_lm is None:
            result = judge(profile=example.profile, personality=example.personality, conversation=conversation, reply=pred.reply)
        else:
            with lm_context(judge_lm):
                result = judge(profile=example.profile, personality=example.personality, conversation=conversation, reply=pred.reply)
        return result.score >= threshold if trace is not None else to_unit(result.score)

    return turn_score
