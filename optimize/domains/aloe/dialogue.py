"""One ALOE conversation: the simulated user and a program take K turns; the judge scores every reply."""

from __future__ import annotations

import dspy

from hyperalign.core.lm import lm_context
from hyperalign.core.lm_errors import lm_errors
from hyperalign.data.model import SimulatedUser
from hyperalign.optimize.domains.aloe.simulated_user import UserSimulator
from hyperalign.optimize.judges.turn import TurnJudge
from hyperalign.programs.conversation_state import transcript


def converse(
    program: dspy.Module,
    user: SimulatedUser,
    turns: int,
    *,
    task_lm: dspy.BaseLM,
    judge_lm: dspy.BaseLM,
    simulator: UserSimulator | None = None,
    judge: TurnJudge | None = None,
) -> dict:
    """{"user_id", "turns": [{turn, user_message, reply, style, content, quality, score, hypotheses}], "state"}.

    The simulator and the program run on `task_lm`, the judge on `judge_lm`. The judge sees the
    conversation up to the user's message of that turn, then the reply.
    """
    simulator = simulator or UserSimulator()
    judge = judge or TurnJudge()
    state: dict | None = None
    records = []
    with lm_errors():
        for turn in range(1, turns + 1):
            with lm_context(task_lm):
                message = simulator(profile=user.profile, personality=user.personality,
                                    conversation=transcript(state) if state else []).message
                pred = program(message=message, state=state)
            state = pred.state
            with lm_context(judge_lm):
                scored = judge(profile=user.profile, personality=user.personality,
                               conversation=transcript(state)[:-1], reply=pred.reply)
            records.append({
                "turn": turn, "user_message": message, "reply": pred.reply,
                "style": scored.style, "content": scored.content, "quality": scored.quality, "score": scored.score,
                "hypotheses": len(pred.hypotheses), "grounded_hypotheses": sum(bool(h.get("grounded")) for h in pred.hypotheses),
            })
    return {"user_id": user.id, "turns": records, "state": state}
