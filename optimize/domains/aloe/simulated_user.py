"""The simulated user of an ALOE conversation: one profile and one personality, revealed gradually."""

from __future__ import annotations

import dspy
from pydantic import RootModel

from hyperalign.signatures.simulation import PlayUser


class UserSimulator(dspy.Module):
    """profile + personality + conversation so far → the simulated user's next message."""

    def __init__(self, history_messages: int = 6):
        super().__init__()
        self.play = dspy.Predict(PlayUser)
        self.history_messages = history_messages

    def forward(self, profile: str, personality: str, conversation: list[str]) -> dspy.Prediction:
        recent = conversation[-self.history_messages:] if self.history_messages else conversation
        pred = self.play(profile=profile, personality=personality, conversation=list(recent))
        message = pred.message.root if isinstance(pred.message, RootModel) else str(pred.message)
        # An empty message would end the conversation early; the program refuses empty input.
        return dspy.Prediction(message=message.strip() or "Hi.")
