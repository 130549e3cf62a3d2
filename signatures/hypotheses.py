"""Hypothesis inference: from a user's texts to explicit, evidence-grounded hypotheses about them."""

from __future__ import annotations

from typing import Annotated, Literal

import dspy
from pydantic import BaseModel, Field, RootModel

HypothesisCategory = Literal["communication strategy", "personality", "writing style"]


class Hypothesis(BaseModel):
    """One statement about the user, with the quotes that support it."""

    category: HypothesisCategory
    # Length caps keep grammar-constrained decoding from running on forever in a string.
    statement: str = Field(min_length=10, max_length=300, description="one sentence about the user")
    evidence: list[Annotated[str, Field(min_length=3, max_length=160)]] = Field(
        min_length=1, max_length=3, description="short quotes copied word for word from the user's texts"
    )


class Hypotheses(RootModel[list[Hypothesis]]):
    """3 to 7 hypotheses. A root model so the bounds reach the JSON schema (and the decoding grammar)."""

    root: list[Hypothesis] = Field(min_length=3, max_length=7)


class InferHypotheses(dspy.Signature):
    """Read the texts one user wrote and state hypotheses about how this user communicates: their
    communication strategy (how they approach a reader and a request), their personality as it shows
    in writing, and their writing style (length, structure, sentence shape, punctuation, diction, tone).
    Each hypothesis must be specific enough to imitate and must quote one or more short passages copied
    word for word from the texts as evidence. Use the attributes if given; do not invent facts."""

    texts: list[str] = dspy.InputField(desc="texts written by the user")
    attributes: dict[str, str] = dspy.InputField(desc="known facts about the user (e.g. role, audience); may be empty")
    hypotheses: Hypotheses = dspy.OutputField(
        desc="3 to 7 hypotheses, each with category, statement and evidence quotes"
    )
