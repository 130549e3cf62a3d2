"""Conversation: update hypotheses about the user from their newest message, and reply to them."""

from __future__ import annotations

from typing import Annotated, Literal

import dspy
from pydantic import BaseModel, Field, RootModel

ConversationCategory = Literal["personality", "interests and circumstances", "communication style"]
UpdateAction = Literal["keep", "revise", "add", "retire"]


class HypothesisUpdate(BaseModel):
    """One change to the hypotheses: keep, revise or retire hypothesis `number`, or add a new one (number 0)."""

    action: UpdateAction
    number: int = Field(ge=0, description="the number of the hypothesis kept, revised or retired; 0 when adding")
    category: ConversationCategory
    # Length caps keep grammar-constrained decoding from running on forever in a string.
    statement: str = Field(min_length=10, max_length=200, description="one sentence about the user (the new wording)")
    evidence: list[Annotated[str, Field(min_length=3, max_length=160)]] = Field(
        min_length=1, max_length=3, description="short quotes copied word for word from the user's messages"
    )


class HypothesisUpdates(RootModel[list[HypothesisUpdate]]):
    """1 to 3 updates. A root model so the bounds reach the JSON schema (and the decoding grammar)."""

    root: list[HypothesisUpdate] = Field(min_length=1, max_length=3)


class Reply(RootModel[str]):
    """A chat reply, capped so a small model under a grammar stops in time."""

    root: str = Field(min_length=1, max_length=500)


class UpdateHypotheses(dspy.Signature):
    """You keep a short list of numbered hypotheses about the person you are chatting with: their
    personality, their interests and circumstances, and how they like to communicate. Read their
    newest message and update the list: keep a hypothesis the message supports, revise one it refines,
    retire one it contradicts, and add a hypothesis for anything new it reveals. Every update quotes
    one or more short passages copied word for word from the person's messages as evidence. Do not
    invent facts; leave hypotheses the message says nothing about out of the updates."""

    conversation: list[str] = dspy.InputField(desc="the conversation so far, oldest first, each line 'user: ...' or 'assistant: ...'")
    hypotheses: list[str] = dspy.InputField(desc="the current hypotheses, 'N. [category] statement'; may be empty")
    message: str = dspy.InputField(desc="the person's newest message")
    updates: HypothesisUpdates = dspy.OutputField(desc="1 to 3 updates, each with action, number, category, statement and evidence")


class ReplyWithHypotheses(dspy.Signature):
    """Reply to the person's newest message in a conversation. Fit the reply to them: follow the
    hypotheses about their personality, interests and circumstances, and communication style (tone,
    length, what they care about). Be human-like, engaging and concise. Write only the reply, never
    mention the hypotheses."""

    conversation: list[str] = dspy.InputField(desc="the conversation so far, oldest first, each line 'user: ...' or 'assistant: ...'")
    hypotheses: list[str] = dspy.InputField(desc="what is known about the person, one statement each; may be empty")
    message: str = dspy.InputField(desc="the person's newest message")
    reply: Reply = dspy.OutputField(desc="the reply to the person")


class PlainReply(dspy.Signature):
    """Reply to the person's newest message in a conversation. Be helpful, human-like, engaging and
    concise. Write only the reply."""

    conversation: list[str] = dspy.InputField(desc="the conversation so far, oldest first, each line 'user: ...' or 'assistant: ...'")
    message: str = dspy.InputField(desc="the person's newest message")
    reply: Reply = dspy.OutputField(desc="the reply to the person")
