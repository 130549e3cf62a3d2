"""The ALOE parts with a scripted LM: simulated user, per-turn judge and metric, one conversation, the report."""

from __future__ import annotations

import json

import dspy
import pytest

from hyperalign.data.model import SimulatedUser
from hyperalign.optimize.domains.aloe.dialogue import converse
from hyperalign.optimize.domains.aloe.report import (
    report_metrics,
    summarize_system,
    write_report,
)
from hyperalign.optimize.domains.aloe.simulated_user import UserSimulator
from hyperalign.optimize.judges.turn import TurnJudge
from hyperalign.optimize.metrics.aloe import make_turn_metric
from hyperalign.programs.conversational import Conversational

USER = SimulatedUser("aloe-p001-q01", "She is a 34-year-old vegan graphic designer with two cats.",
                     "She is reserved and sensitive to others' comments.")


def scripted(answers):
    lm = dspy.utils.DummyLM(answers, adapter=dspy.JSONAdapter())
    return lm, dspy.context(lm=lm, adapter=dspy.JSONAdapter())


def test_judge_scores_and_mean():
    lm, ctx = scripted([{"style": 2, "content": 4, "quality": 5}])
    with ctx:
        result = TurnJudge()(profile=USER.profile, personality=USER.personality, conversation=["user: hi"], reply="Hello!")
    assert (result.style, result.content, result.quality) == (2, 4, 5) and result.score == pytest.approx(11 / 3)
    prompt = lm.history[-1]["messages"][-1]["content"]
    assert USER.profile in prompt and USER.personality in prompt and "Hello!" in prompt


def test_turn_metric_scale_and_trace():
    example = dspy.Example(message="hi", state=None, profile=USER.profile, personality=USER.personality).with_inputs("message", "state")
    pred = dspy.Prediction(reply="Hello!", state={"messages": [
        {"role": "user", "content": "hi", "turn": 1}, {"role": "assistant", "content": "Hello!", "turn": 1}]})
    metric = make_turn_metric()
    _, ctx = scripted([{"style": 5, "content": 5, "quality": 2}, {"style": 5, "content": 5, "quality": 2}])
    with ctx:
        assert metric(example, pred) == pytest.approx((4 - 1) / 4)
        assert metric(example, pred, trace=[]) is True  # mean 4 reaches the default threshold


def test_simulator_plays_the_profile():
    lm, ctx = scripted([{"message": "  Any quick vegan dinner ideas?  "}])
    with ctx:
        message = UserSimulator()(profile=USER.profile, personality=USER.personality, conversation=[]).message
    assert message == "Any quick vegan dinner ideas?"
    assert USER.profile in lm.history[-1]["messages"][-1]["content"]


def test_converse_two_turns():
    answers = [
        {"message": "Any quick vegan dinner ideas?"},
        {"updates": [{"action": "add", "number": 0, "category": "interests and circumstances",
                      "statement": "The user eats vegan food.", "evidence": ["vegan dinner"]}]},
        {"reply": "Try a chickpea curry."},
        {"style": 3, "content": 4, "quality": 4},
        {"message": "Thanks. Something spicy maybe?"},
        {"updates": [{"action": "keep", "number": 1, "category": "interests and circumstances",
                      "statement": "The user eats vegan food.", "evidence": ["Something spicy"]}]},
        {"reply": "Add chili to the curry."},
        {"style": 4, "content": 5, "quality": 5},
    ]
    lm = dspy.utils.DummyLM(answers)  # converse sets each LM's own adapter (DSPy's chat format here)
    result = converse(Conversational(), USER, 2, task_lm=lm, judge_lm=lm)
    turns = result["turns"]
    assert [t["score"] for t in turns] == [pytest.approx(11 / 3), pytest.approx(14 / 3)]
    assert turns[1]["user_message"] == "Thanks. Something spicy maybe?" and turns[1]["hypotheses"] == 1
    assert result["state"]["turn"] == 2
    # The judge of turn 2 saw the conversation up to the user's second message, then the reply.
    judge_prompt = lm.history[-1]["messages"][-1]["content"]
    assert "Something spicy maybe?" in judge_prompt and "Add chili to the curry." in judge_prompt


def conversation(user_id, scores):
    return {"user_id": user_id, "turns": [
        {"turn": k, "score": s, "style": s, "content": s, "quality": s} for k, s in enumerate(scores, start=1)]}


def test_report_files(tmp_path):
    conversations = {
        "conversational": [conversation("u1", [2, 3, 4]), conversation("u2", [2, 4, 4])],
        "baseline": [conversation("u1", [3, 3, 3]), conversation("u2", [2, 2, 2])],
    }
    systems = {name: summarize_system(convs) for name, convs in conversations.items()}
    assert systems["conversational"]["levels"] == [2.0, 3.5, 4.0]
    assert systems["conversational"]["intervals"][0] == [2.0, 2.0]  # no spread, no interval
    assert systems["baseline"]["r2"] is None and systems["baseline"]["slope"] == 0
    meta = {"users": 2, "path": "hand-made", "lm": "x", "judge_lm": "y"}
    files = write_report(systems, meta, conversations, tmp_path)
    assert sorted(p.name for p in files) == ["aloe-curves.png", "aloe-report.json", "aloe-report.md"]
    assert (tmp_path / "aloe-curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = (tmp_path / "aloe-report.md").read_text(encoding="utf-8")
    assert "| conversational | 2.00 [2.00–2.00] | 3.50 [3.00–4.00] | 4.00 [4.00–4.00] | 1.000 | 0.333 | 0.92 |" in table
    assert "| baseline |" in table and "n/a" in table
    saved = json.loads((tmp_path / "aloe-report.json").read_text(encoding="utf-8"))
    assert saved["systems"]["conversational"]["levels"] == [2.0, 3.5, 4.0]
    metrics = report_metrics(systems)
    assert metrics["conversational_AL_3"] == 4.0 and metrics["conversational_slope"] == pytest.approx(1.0)
    assert "baseline_r2" not in metrics
