"""Conditioned generation: write for a task in the user's voice, following the inferred hypotheses."""

from __future__ import annotations

import dspy


class WriteAsUser(dspy.Signature):
    """Write the requested text the way this user would write it. Follow every hypothesis about the
    user's communication strategy, personality and writing style (length, structure, sentence shape,
    punctuation, diction, tone) and respect their attributes. Write only the text itself, with no
    commentary about the user or the hypotheses."""

    task: str = dspy.InputField(desc="what to write")
    hypotheses: list[str] = dspy.InputField(desc="hypotheses about how the user writes, one statement each")
    attributes: dict[str, str] = dspy.InputField(desc="known facts about the user (e.g. role, audience); may be empty")
    text: str = dspy.OutputField(desc="the text, written in the user's voice")
