"""Hypothesis inference: from a user's texts to explicit, evidence-grounded hypotheses about them."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import dspy
from pydantic import BaseModel, Field, RootModel

HypothesisCategory = Literal["communication strategy", "personality", "writing style"]


class Hypothesis(BaseModel):
    """One statement about the user, with the quotes that support it."""

    category: HypothesisCategory
    # Length caps keep grammar-constrained decoding from running on forever in a string.
    statement: str = Field(min_length=10, max_length=300, description="one sentence about the writer, in the third person")
    evidence: list[Annotated[str, Field(min_length=3, max_length=160)]] = Field(
        min_length=1, max_length=3, description="short quotes copied word for word from the user's texts"
    )

    # Under a decoding grammar (the embedded LM) the answer has one slot per entry: its category is
    # fixed and its statement opens with the stem, so every statement is a claim about the writer in
    # the third person, and each slot asks for a different kind of claim (measured: without stems a
    # 135M model copies sentences from the texts or repeats one claim in every slot). A stem's ending
    # is picked from CHOICES (measured: free endings from a 135M model were vacuous or unfinished,
    # "makes a point by stating their communication strategy", "uses his own voice to express
    # himself", "... trying to make it a."). A slot whose stem is in MEASURED may only name a habit
    # measured in the texts, of the kind given (programs/checks/habits: one slot for the sentences,
    # one for the layout, so two different habits are stated and kept by the generation's edits); a
    # choice that names a measurable habit the texts contradict is not offered. Other LMs write free
    # statements, checked the same way. The kinds are programs/checks/habits.SENTENCES and LAYOUT
    # (a signature imports nothing from the programs).
    MEASURED: ClassVar[dict[str, str]] = {"The writer writes": "sentences", "The writer usually writes": "layout"}
    SLOTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("communication strategy", "The writer makes a point by"),
        ("personality", "The writer comes across as"),
        ("writing style", "The writer writes"),
        ("writing style", "The writer usually writes"),
        ("writing style", "The writer uses"),
    )
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "The writer makes a point by": (
            "stating an opinion outright", "asking the reader questions", "telling a personal story",
            "giving concrete examples", "citing facts and figures", "quoting what other people said",
            "arguing against the other side", "listing reasons one after another", "appealing to shared values",
            "reporting events without taking sides", "joking about it", "getting straight to the request",
            "explaining the background first", "weighing both sides before deciding",
        ),
        "The writer comes across as": (
            "confident and direct", "warm and friendly", "formal and polite", "blunt and impatient",
            "passionate and opinionated", "sceptical and critical", "calm and analytical", "playful and humorous",
            "earnest and sincere", "cautious and diplomatic", "enthusiastic and upbeat", "reserved and matter-of-fact",
            "frustrated and angry", "curious and open-minded", "caring and supportive", "authoritative and businesslike",
        ),
        "The writer uses": (
            "plain everyday words", "formal, polished vocabulary", "technical and specialist terms",
            "casual slang and loose spelling", "vivid, emotional words", "names, dates and numbers",
            "long, winding sentences", "short, clipped sentences", "rhetorical questions",
            "exclamation marks for emphasis", "direct quotations from other people", "a neutral reporting tone",
        ),
    }


class Hypotheses(RootModel[list[Hypothesis]]):
    """3 to 7 hypotheses. A root model so the bounds reach the JSON schema (and the decoding grammar)."""

    root: list[Hypothesis] = Field(min_length=3, max_length=7)


class InferHypotheses(dspy.Signature):
    """Read the texts one user wrote and state hypotheses about the writer: their communication
    strategy (how they approach a reader and make a point), their personality as it shows in writing,
    and their writing style (length, sentence shape, punctuation, greetings and sign-offs, diction,
    tone). Each hypothesis is one sentence about the writer in the third person, never a sentence
    copied from the texts, specific enough to imitate, and cites one or more short passages copied
    word for word from the texts as evidence. Use the measured habits and the attributes; do not
    invent facts, and state nothing already listed as known."""

    texts: list[str] = dspy.InputField(desc="texts written by the user")
    attributes: dict[str, str] = dspy.InputField(desc="known facts about the user (e.g. role, audience); may be empty")
    habits: list[str] = dspy.InputField(desc="habits measured in the texts (sentence length, punctuation, greetings...)")
    known: list[str] = dspy.InputField(desc="hypotheses already stated or ruled out: state different ones; may be empty")
    hypotheses: Hypotheses = dspy.OutputField(
        desc="3 to 7 hypotheses, each with category, statement and evidence quotes"
    )
