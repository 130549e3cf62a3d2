"""Baselines the method is compared against: no personalization, and raw examples in the prompt."""

from __future__ import annotations

import dspy


class ZeroShotWrite(dspy.Signature):
    """Write the requested text. Write only the text itself."""

    task: str = dspy.InputField(desc="what to write")
    text: str = dspy.OutputField(desc="the text")


class FewShotWrite(dspy.Signature):
    """Write the requested text in the same voice and style as the example texts, which one user wrote.
    Write only the text itself."""

    task: str = dspy.InputField(desc="what to write")
    examples: list[str] = dspy.InputField(desc="texts written by the user, to imitate")
    text: str = dspy.OutputField(desc="the text, in the user's voice")
