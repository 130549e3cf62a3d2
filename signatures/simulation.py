"""The simulated user of an ALOE conversation: one profile and one personality, revealed gradually."""

from __future__ import annotations

import dspy
from pydantic import Field, RootModel


class UserMessage(RootModel[str]):
    """A short chat message, capped so a small model under a grammar stops in time."""

    root: str = Field(min_length=1, max_length=300)


class PlayUser(dspy.Signature):
    """Role-play the person described by the profile and personality, chatting with an AI assistant,
    and write the person's next message only, in the first person (I, my). Talk the way the personality says (tone, length,
    mood). Reveal who you are gradually: at most one new fact from the profile per message; never
    recite the profile. Never say you are role-playing or an AI. With no conversation yet, open with
    something you want to talk about or need help with; otherwise react to the assistant's last reply."""

    profile: str = dspy.InputField(desc="who the person is: age, job, interests, circumstances")
    personality: str = dspy.InputField(desc="how the person thinks and talks")
    conversation: list[str] = dspy.InputField(desc="the conversation so far, oldest first; may be empty")
    message: UserMessage = dspy.OutputField(desc="the person's next message, in their own voice")
