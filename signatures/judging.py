"""Judging: which of two candidate texts did this user more likely write (style, not content)."""

from __future__ import annotations

from typing import Literal

import dspy


class JudgeAuthorship(dspy.Signature):
    """You are shown texts one user wrote and two candidate texts, A and B, written for the same task.
    Decide which candidate this user more likely wrote. Judge style only: length, structure, sentence
    shape, punctuation, diction, voice and tone. Ignore content, correctness and quality: a plainer or
    worse text in the user's style beats a better text in someone else's style."""

    samples: list[str] = dspy.InputField(desc="texts the user wrote")
    task: str = dspy.InputField(desc="what both candidates were written for")
    candidate_a: str = dspy.InputField(desc="candidate text A")
    candidate_b: str = dspy.InputField(desc="candidate text B")
    more_likely: Literal["A", "B"] = dspy.OutputField(desc="A or B: the candidate the user more likely wrote")
