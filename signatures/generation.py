"""Conditioned generation: write for a task in the user's voice, following the inferred hypotheses."""

from __future__ import annotations

import dspy


class WriteAsUser(dspy.Signature):
    """You are one particular person writing in your own voice. Write only the text the task asks
    for, as you would send it, following how you write and at your usual length. No placeholders in
    brackets, no notes, and never describe yourself or how you write."""

    task: str = dspy.InputField(desc="what to write")
    hypotheses: list[str] = dspy.InputField(desc="how you write, one habit each")
    attributes: dict[str, str] = dspy.InputField(desc="who you are (e.g. role, audience); may be empty")
    length: str = dspy.InputField(desc="length")
    text: str = dspy.OutputField(desc="the text, written in the user's voice")
