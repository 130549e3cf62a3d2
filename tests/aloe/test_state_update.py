"""The conversational program's hypothesis updates (keep / revise / add / retire) with a scripted LM."""

from __future__ import annotations

import dspy
import pytest

from hyperalign.core.errors import InputError
from hyperalign.programs.conversation_state import active_hypotheses, new_state
from hyperalign.programs.conversational import (
    Conversational,
    ConversationalBaseline,
    update_signature,
)
from hyperalign.programs.hypothesis_updates import apply_updates
from hyperalign.signatures.conversation import UpdateHypotheses

TURN_1 = "Hi! I just adopted two cats, Pixel and Scribble. Any tips for a tiny apartment?"
TURN_2 = "Pixel is the loud one lol. I work from home as a designer, so noise matters."
TURN_3 = "Actually I moved to a house with a garden last week. Keep it short please."


def update(action, number, statement, evidence, category="interests and circumstances"):
    return {"action": action, "number": number, "category": category, "statement": statement, "evidence": evidence}


SCRIPT = [
    {"updates": [update("add", 0, "The user has two cats and lives in a small apartment.", ["I just adopted two cats"]),
                 update("add", 0, "The user writes in a friendly, upbeat way.", ["Hi!"], "communication style")]},
    {"reply": "Congrats on Pixel and Scribble! Vertical space helps a lot."},
    {"updates": [update("keep", 1, "The user has two cats and lives in a small apartment.", ["Pixel is the loud one"]),
                 update("revise", 2, "The user writes casually and jokes around.", ["lol"], "communication style"),
                 update("add", 0, "The user is a designer who works from home.", ["I work from home as a designer"])]},
    {"reply": "Ha! A white-noise machine might save your focus."},
    {"updates": [update("retire", 1, "The user lives in a small apartment.", ["I moved to a house with a garden"]),
                 update("add", 0, "The user wants short answers.", ["Keep it short please"], "communication style")]},
    {"reply": "Nice, a garden! Cat-safe plants only."},
]


@pytest.fixture()
def scripted():
    lm = dspy.utils.DummyLM(list(SCRIPT), adapter=dspy.JSONAdapter())
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        yield lm


def by_statement(hypotheses):
    return {h["statement"]: h for h in hypotheses}


def test_three_turns_keep_revise_add_retire(scripted):
    program = Conversational()
    first = program(message=TURN_1)
    assert first.reply == "Congrats on Pixel and Scribble! Vertical space helps a lot."
    assert [h["status"] for h in first.hypotheses] == ["new", "new"]
    assert all(h["turn"] == 1 and h["grounded"] for h in first.hypotheses)

    second = program(message=TURN_2, state=first.state)
    hyps = by_statement(second.state["hypotheses"])
    cats = hyps["The user has two cats and lives in a small apartment."]
    assert cats["status"] == "kept" and cats["turn"] == 1
    assert [e["quote"] for e in cats["evidence"]] == ["I just adopted two cats", "Pixel is the loud one"]
    revised = hyps["The user writes casually and jokes around."]
    assert revised["status"] == "revised" and revised["turn"] == 2 and revised["evidence"][0]["quote"] == "lol"
    assert "The user writes in a friendly, upbeat way." not in hyps  # revised in place, not duplicated
    assert hyps["The user is a designer who works from home."]["status"] == "new"
    assert [u["action"] for u in second.updates] == ["keep", "revise", "add"]

    third = program(message=TURN_3, state=second.state)
    hyps = by_statement(third.state["hypotheses"])
    assert hyps["The user has two cats and lives in a small apartment."]["status"] == "retired"
    assert hyps["The user has two cats and lives in a small apartment."]["retired_turn"] == 3
    assert hyps["The user wants short answers."]["turn"] == 3
    assert len(third.state["hypotheses"]) == 4 and len(third.hypotheses) == 3  # retired stays in the state only
    assert third.state["turn"] == 3 and len(third.state["messages"]) == 6
    # The input state is never mutated: turn 2's state still shows the cats hypothesis as kept.
    assert by_statement(second.state["hypotheses"])["The user has two cats and lives in a small apartment."]["status"] == "kept"


def test_reply_prompt_sees_only_grounded_active_hypotheses(scripted):
    program = Conversational()
    state = program(message=TURN_1).state
    state = program(message=TURN_2, state=state).state
    program(message=TURN_3, state=state)
    reply_prompt = scripted.history[-1]["messages"][-1]["content"]
    assert "The user wants short answers." in reply_prompt
    assert "The user has two cats and lives in a small apartment." not in reply_prompt  # retired


def test_first_turn_may_only_add():
    signature = update_signature(UpdateHypotheses, active=0, quotes=None)
    item = signature.output_fields["updates"].annotation.model_json_schema()
    update_schema = next(iter(item["$defs"].values()))
    action = update_schema["properties"]["action"]
    assert action.get("enum", [action.get("const")]) == ["add"]
    assert item["minItems"] == 1


def test_quotes_constrained_to_user_sentences():
    signature = update_signature(UpdateHypotheses, active=2, quotes=["Pixel is the loud one lol.", "Hi!"])
    schema = signature.output_fields["updates"].annotation.model_json_schema()
    update_schema = next(iter(schema["$defs"].values()))
    assert update_schema["properties"]["evidence"]["items"]["enum"] == ["Pixel is the loud one lol.", "Hi!"]
    assert update_schema["properties"]["number"]["enum"] == [0, 1, 2]


def test_ungrounded_update_is_marked_and_bad_numbers_are_not_applied():
    hypotheses = [{"statement": "The user likes tea.", "category": "interests and circumstances",
                   "evidence": [{"quote": "I love tea", "grounded": True}], "grounded": True, "turn": 1, "status": "new"}]
    updates = [update("retire", 5, "The user likes tea.", ["tea"]),
               update("add", 0, "The user is a pilot.", ["I fly planes"]),
               update("add", 0, "the user likes  TEA.", ["I love tea"])]
    result, log = apply_updates(hypotheses, updates, turn=2, user_texts=["I love tea", "Morning!"])
    assert [h["status"] for h in result] == ["kept", "new"]
    assert result[1]["grounded"] is False and result[1]["evidence"] == [{"quote": "I fly planes", "grounded": False}]
    assert log[0]["applied"] is False and log[2] == {"action": "keep", "number": 1, "applied": True, "reason": "repeats an active hypothesis"}


def test_adds_stop_at_the_active_cap():
    updates = [update("add", 0, f"The user mentioned topic number {i}.", ["topic"]) for i in range(3)]
    result, log = apply_updates([], updates, turn=1, user_texts=["topic talk"], max_active=2)
    assert len(result) == 2 and [entry["applied"] for entry in log] == [True, True, False]


def test_baseline_keeps_no_hypotheses():
    lm = dspy.utils.DummyLM([{"reply": "Hello there!"}], adapter=dspy.JSONAdapter())
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        pred = ConversationalBaseline()(message=TURN_1)
    assert pred.reply == "Hello there!" and pred.hypotheses == [] and active_hypotheses(pred.state) == []
    assert [m["role"] for m in pred.state["messages"]] == ["user", "assistant"]


@pytest.mark.parametrize("message", ["", "   \n", "x" * 1_000_000])
def test_bad_messages_fail_before_any_lm_call(message):
    lm = dspy.utils.DummyLM([])
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()), pytest.raises(InputError, match="message"):
        Conversational()(message=message, state=new_state())
    assert lm.history == []


def test_repeated_quotes_are_kept_once():
    updates = [update("add", 0, "The user owns a bookstore.", ["I run a bookstore", "i run a  bookstore", "I run a bookstore"])]
    result, _ = apply_updates([], updates, turn=1, user_texts=["I run a bookstore in town."])
    assert result[0]["evidence"] == [{"quote": "I run a bookstore", "grounded": True}]
