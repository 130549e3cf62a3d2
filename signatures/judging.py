"""Judging: which of two candidate texts did this user more likely write (style, not content); how
well one chat reply fits a person (the ALOE turn judge)."""

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


TurnScore = Literal[1, 2, 3, 4, 5]


class JudgeReply(dspy.Signature):
    """Judge one reply an AI assistant wrote to a person, whose profile and personality you know
    (the assistant did not). Score 1 (poor) to 5 (excellent): style — does the reply's tone and
    manner fit the personality; content — does it fit the person's profile, interests and
    circumstances as revealed so far; quality — is it human-like, engaging and concise."""

    profile: str = dspy.InputField(desc="who the person is")
    personality: str = dspy.InputField(desc="how the person thinks and talks")
    conversation: list[str] = dspy.InputField(desc="the conversation up to the person's latest message, oldest first")
    reply: str = dspy.InputField(desc="the assistant's reply to judge")
    style: TurnScore = dspy.OutputField(desc="fit to the personality, 1-5")
    content: TurnScore = dspy.OutputField(desc="fit to the profile, 1-5")
    quality: TurnScore = dspy.OutputField(desc="human-like, engaging and concise, 1-5")
