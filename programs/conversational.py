"""Interactive alignment: hypotheses about the user updated every turn, and replies conditioned on them.

Call shape: `program(message: str, state: dict | None = None)` →
`dspy.Prediction(reply: str, hypotheses: list[dict], state: dict, updates: list[dict])`. The state is
the plain-JSON conversation of `conversation_state`; the program keeps none of it between calls.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

import dspy
from pydantic import Field, RootModel, create_model

from hyperalign.programs.conversation_state import (
    active_hypotheses,
    clean_message,
    new_state,
    transcript,
    user_messages,
    validate_state,
)
from hyperalign.programs.hypothesis_inference import (
    quote_choices,
    wants_constrained_quotes,
)
from hyperalign.programs.hypothesis_updates import apply_updates, numbered
from hyperalign.signatures.conversation import (
    HypothesisUpdate,
    PlainReply,
    ReplyWithHypotheses,
    UpdateHypotheses,
)


def update_signature(signature: type[dspy.Signature], active: int, quotes: list[str] | None) -> type[dspy.Signature]:
    """The update signature narrowed to this turn: numbers 0..active, only `add` while there is
    nothing to keep, and (under a decoding grammar) quotes picked from the user's own sentences."""
    actions = ("keep", "revise", "add", "retire") if active else ("add",)
    fields: dict[str, Any] = {
        "action": (Literal[actions], ...),
        "number": (Literal[tuple(range(active + 1))], Field(description="the hypothesis number; 0 when adding")),
    }
    if quotes:
        fields["evidence"] = (list[Literal[tuple(quotes)]], Field(min_length=1, max_length=3, description="quotes from the user's messages"))
    update = create_model("HypothesisUpdate", __base__=HypothesisUpdate, __doc__=HypothesisUpdate.__doc__, **fields)
    updates = create_model(
        "HypothesisUpdates", __base__=RootModel[list[update]], root=(list[update], Field(min_length=1, max_length=3))
    )
    return signature.with_updated_fields("updates", type_=updates)


def start_turn(message: str, state: dict | None) -> tuple[str, dict, int]:
    """The cleaned message, a private copy of the (checked) state, and this turn's number."""
    message = clean_message(message)
    state = copy.deepcopy(validate_state(state)) if state is not None else new_state()
    return message, state, state["turn"] + 1


def end_turn(state: dict, turn: int, message: str, reply: str) -> dict:
    state["messages"] += [
        {"role": "user", "content": message, "turn": turn},
        {"role": "assistant", "content": reply, "turn": turn},
    ]
    state["turn"] = turn
    return state


class Conversational(dspy.Module):
    """message + state → updated hypotheses (keep / revise / add / retire) → reply conditioned on them."""

    def __init__(self, max_active: int = 8, history_messages: int = 8, use_ungrounded: bool = False,
                 constrain_quotes: bool | None = None):
        super().__init__()
        self.update = dspy.Predict(UpdateHypotheses)
        self.respond = dspy.Predict(ReplyWithHypotheses)
        self.max_active = max_active
        self.history_messages = history_messages
        self.use_ungrounded = use_ungrounded
        self.constrain_quotes = constrain_quotes

    def forward(self, message: str, state: dict | None = None) -> dspy.Prediction:
        message, state, turn = start_turn(message, state)
        conversation = transcript(state, last=self.history_messages)
        active = active_hypotheses(state)
        texts = user_messages(state) + [message]
        quotes = None
        if self.constrain_quotes or (self.constrain_quotes is None and wants_constrained_quotes()):
            quotes = quote_choices(texts[::-1]) or None  # newest first: the cap keeps the latest sentences
        pred = self.update(
            conversation=conversation, hypotheses=numbered(active), message=message,
            signature=update_signature(self.update.signature, len(active), quotes),
        )
        items = pred.updates.root if isinstance(pred.updates, RootModel) else pred.updates
        updates = [u.model_dump() if hasattr(u, "model_dump") else dict(u) for u in items]
        state["hypotheses"], log = apply_updates(state["hypotheses"], updates, turn, texts, self.max_active)
        current = active_hypotheses(state)
        statements = [h["statement"] for h in current if h["grounded"] or self.use_ungrounded]
        out = self.respond(conversation=conversation, hypotheses=statements, message=message)
        reply = _text(out.reply)
        return dspy.Prediction(reply=reply, hypotheses=current, state=end_turn(state, turn, message, reply), updates=log)


class ConversationalBaseline(dspy.Module):
    """The same conversation without hypotheses: the reply sees only the messages."""

    def __init__(self, history_messages: int = 8):
        super().__init__()
        self.respond = dspy.Predict(PlainReply)
        self.history_messages = history_messages

    def forward(self, message: str, state: dict | None = None) -> dspy.Prediction:
        message, state, turn = start_turn(message, state)
        out = self.respond(conversation=transcript(state, last=self.history_messages), message=message)
        reply = _text(out.reply)
        return dspy.Prediction(reply=reply, hypotheses=[], state=end_turn(state, turn, message, reply), updates=[])


def _text(reply: Any) -> str:
    return (reply.root if isinstance(reply, RootModel) else str(reply)).strip()
